import { closeSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { join, resolve } from "node:path";
import { StartupError } from "../startup-error.ts";

const held = new Set<string>();

/** The data directory is open in another process (or already in this one). */
export class DataDirInUseError extends StartupError {
  override name = "DataDirInUseError";
}

/** The lock file in a PGlite data directory: the process id of the one process that has it open. */
export const LOCK_FILE = "sluice.pid";

/**
 * Takes the data directory for this process, or throws naming the process that has it. PGlite belongs to one
 * process: a second one on the same directory would silently overwrite the first one's writes. A lock left by
 * a process that is gone (a crash, a container restarted with the same pid) is taken over. Returns the release.
 */
export function lockDataDir(dataDir: string): () => void {
  const dir = resolve(dataDir);
  const path = join(dir, LOCK_FILE);
  const inUse = (by: string) =>
    new DataDirInUseError(
      `DATA_DIR ${dataDir} is in use by ${by}: the embedded database serves one process. Stop it, or run ` +
        "several processes on a PostgreSQL server (DATABASE_URL).",
    );
  if (held.has(dir)) throw inUse("this process");
  for (let attempt = 0; attempt < 3; attempt++) {
    let fd: number;
    try {
      fd = openSync(path, "wx");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const holder = Number.parseInt(readFileSync(path, "utf8"), 10);
      if (Number.isInteger(holder) && holder !== process.pid && alive(holder))
        throw inUse(`process ${holder}`);
      rmSync(path, { force: true });
      continue;
    }
    writeSync(fd, `${process.pid}\n`);
    closeSync(fd);
    held.add(dir);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      held.delete(dir);
      rmSync(path, { force: true });
    };
  }
  throw new Error(`DATA_DIR ${dataDir}: could not create its lock file ${path}`);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
