import { describe, expect, it } from "vitest";
import { eachDatabase } from "../../test/databases.ts";
import { loadMigrations, migrate, migrationsDone } from "./migrate.ts";

describe("loadMigrations", () => {
  it("reads the numbered migrations in order, starting at 0001", () => {
    const versions = loadMigrations().map((m) => m.version);
    expect(versions[0]).toBe(1);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
  });
});

eachDatabase("migrate", (t) => {
  it("applies nothing twice and reports the schema ready", async () => {
    const { db } = t();
    expect(await migrate(db)).toEqual([]);
    expect(await migrationsDone(db)).toBe(true);
    const tables = await db.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY 1",
    );
    expect(tables.rows.map((r) => r.table_name)).toEqual(
      expect.arrayContaining(["audit_log", "decisions", "deliveries", "jobs", "plan_reviews"]),
    );
  });

  it("compresses stored delivery bodies with lz4 on PostgreSQL, and keeps PGlite's default (it has no lz4)", async () => {
    const { db, kind } = t();
    const column = await db.query<{ compression: string }>(
      `SELECT attcompression::text AS compression FROM pg_attribute
       WHERE attrelid = 'deliveries'::regclass AND attname = 'payload'`,
    );
    expect(column.rows[0]?.compression).toBe(kind === "postgres" ? "l" : "");
  });

  it("serializes advisory locks by key: a held key is refused, another key is not", async () => {
    const { db } = t();
    const inner = await db.tryWithLock("pr:o/r#1", async () => {
      const same = await db.tryWithLock("pr:o/r#1", async () => "no");
      const other = await db.tryWithLock("pr:o/r#2", async () => "yes");
      return [same.acquired, other.acquired];
    });
    expect(inner).toEqual({ acquired: true, value: [false, true] });
    expect((await db.tryWithLock("pr:o/r#1", async () => 1)).acquired).toBe(true);
  });
});
