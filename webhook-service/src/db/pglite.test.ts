import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "./database.ts";
import { openPglite } from "./pglite.ts";

describe("PGlite on its worker thread", () => {
  let db: Database;
  beforeAll(async () => {
    db = await openPglite();
    await db.exec("CREATE TABLE t (id int PRIMARY KEY, note text)");
  });
  afterAll(async () => {
    await db?.close();
  });

  it("keeps the main thread free while a query runs", async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    try {
      await db.query("SELECT pg_sleep(0.5)");
    } finally {
      clearInterval(timer);
    }
    // On the main thread PGlite's WASM would hold the event loop for the whole half second: no tick at all.
    expect(ticks).toBeGreaterThanOrEqual(2);
  });

  it("commits a transaction that resolves, rolls back one that throws, and passes PostgreSQL's error fields", async () => {
    await db.transaction(async (tx) => {
      await tx.query("INSERT INTO t VALUES ($1, $2)", [1, "kept"]);
    });
    await expect(
      db.transaction(async (tx) => {
        await tx.query("INSERT INTO t VALUES ($1, $2)", [2, "rolled back"]);
        throw new Error("changed my mind");
      }),
    ).rejects.toThrow("changed my mind");
    const duplicate = await db.query("INSERT INTO t VALUES (1, 'again')").catch((e: unknown) => e);
    expect(duplicate).toBeInstanceOf(Error);
    expect(duplicate).toMatchObject({ code: "23505", constraint: "t_pkey" });
    expect((await db.query<{ id: number; note: string }>("SELECT * FROM t ORDER BY id")).rows).toEqual([
      { id: 1, note: "kept" },
    ]);
  });

  it("refuses queries once closed, with a clear error", async () => {
    const other = await openPglite();
    await other.close();
    await expect(other.query("SELECT 1")).rejects.toThrow(/PGlite thread exited/);
  });
});
