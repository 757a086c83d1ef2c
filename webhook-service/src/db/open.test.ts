import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { postgresOnly } from "../../test/databases.ts";
import { openDatabase, passwordFromFile } from "./open.ts";

const dir = mkdtempSync(join(tmpdir(), "sluice-db-password-"));

describe("passwordFromFile", () => {
  it("reads the file at every call, so a rotated password is used by the next connection", async () => {
    const file = join(dir, "password");
    writeFileSync(file, "first\n");
    const password = passwordFromFile(file);
    expect(await password()).toBe("first");
    writeFileSync(file, "second");
    expect(await password()).toBe("second");
  });

  it("names the file and the error, never the content", async () => {
    await expect(passwordFromFile(join(dir, "missing"))()).rejects.toThrow(
      `cannot read the database password file ${join(dir, "missing")} (ENOENT)`,
    );
  });
});

postgresOnly("openDatabase with DATABASE_PASSWORD_PATH", (t) => {
  it("connects with the password from the file and a password-less DATABASE_URL", async () => {
    const full = new URL(String(t().url));
    const file = join(dir, "db-password");
    writeFileSync(file, `${decodeURIComponent(full.password)}\n`);
    const bare = new URL(full);
    bare.password = "";
    const db = await openDatabase({ databaseUrl: bare.toString(), databasePasswordFile: file, dataDir: dir });
    try {
      expect((await db.query<{ one: number }>("SELECT 1 AS one")).rows).toEqual([{ one: 1 }]);
    } finally {
      await db.close();
    }
    if (full.password === "") {
      console.warn("NOT RUN: the wrong-password half: TEST_DATABASE_URL has no password (trust auth)");
      return;
    }
    writeFileSync(file, "not-the-password");
    const wrong = await openDatabase({
      databaseUrl: bare.toString(),
      databasePasswordFile: file,
      dataDir: dir,
    });
    try {
      await expect(wrong.query("SELECT 1")).rejects.toThrow(/password authentication failed/);
    } finally {
      await wrong.close();
    }
  });
});
