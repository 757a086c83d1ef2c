import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { LOCK_FILE, lockDataDir } from "./data-dir-lock.ts";
import { openPglite } from "./pglite.ts";

describe("the PGlite data directory belongs to one process", () => {
  const dirs: string[] = [];
  const fresh = () => {
    const dir = mkdtempSync(join(tmpdir(), "sluice-lock-"));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it("writes this process's id, refuses a second open in this process, and frees the directory on release", () => {
    const dir = fresh();
    const release = lockDataDir(dir);
    expect(readFileSync(join(dir, LOCK_FILE), "utf8").trim()).toBe(String(process.pid));
    expect(() => lockDataDir(dir)).toThrow(`DATA_DIR ${dir} is in use by this process`);
    release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    lockDataDir(dir)();
  });

  it("refuses a directory another running process holds, naming it; takes over one whose process is gone", async () => {
    const dir = fresh();
    const other = spawn(process.execPath, ["-e", "setTimeout(() => {}, 60000)"], { stdio: "ignore" });
    try {
      writeFileSync(join(dir, LOCK_FILE), `${other.pid}\n`);
      expect(() => lockDataDir(dir)).toThrow(
        `DATA_DIR ${dir} is in use by process ${other.pid}: the embedded database serves one process`,
      );
    } finally {
      other.kill("SIGKILL");
      await new Promise((resolve) => other.once("exit", resolve));
    }
    // The holder is gone (as after a crash): its lock is stale.
    const release = lockDataDir(dir);
    expect(readFileSync(join(dir, LOCK_FILE), "utf8").trim()).toBe(String(process.pid));
    release();
  });

  it("openPglite takes the lock for as long as the database is open", async () => {
    const dir = fresh();
    const db = await openPglite(dir);
    try {
      await expect(openPglite(dir)).rejects.toThrow("is in use by this process");
      expect((await db.query<{ x: number }>("SELECT 1 AS x")).rows).toEqual([{ x: 1 }]);
    } finally {
      await db.close();
    }
    const again = await openPglite(dir);
    await again.close();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
  });
});
