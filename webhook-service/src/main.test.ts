import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const MAIN = fileURLToPath(new URL("./main.ts", import.meta.url));
const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const SECRET = "webhook-secret-never-printed";

/** `npm start` in a child process with only these settings, until it exits. */
const start = (settings: { PORT: string; DATA_DIR: string }) =>
  spawnSync(process.execPath, ["--import", "tsx", MAIN], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? "",
      GITHUB_WEBHOOK_SECRET: SECRET,
      HOST: "127.0.0.1",
      LOG_LEVEL: "silent",
      ...settings,
    },
    encoding: "utf8",
    timeout: 120_000,
  });

describe("npm start on an address it cannot have", () => {
  let taken: Server;
  let port: number;
  let dataDir: string;
  beforeAll(async () => {
    taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    port = (taken.address() as { port: number }).port;
    dataDir = mkdtempSync(join(tmpdir(), "sluice-main-"));
  });
  afterAll(async () => {
    await new Promise((resolve) => taken.close(resolve));
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("says which address is taken and what to set, exits 2, and prints no stack or secret", () => {
    const run = start({ PORT: String(port), DATA_DIR: dataDir });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(
      `sluice change-control: cannot listen on 127.0.0.1:${port}: the port is in use; set PORT (and HOST) to a free address`,
    );
    expect(run.stderr).not.toMatch(/\n\s+at |EADDRINUSE|Unhandled/);
    expect(run.stderr + run.stdout).not.toContain(SECRET);
  });
});

describe("npm start on a data directory another process has open", () => {
  it("names the directory and the process, says what to do, exits 2, and leaves the other's lock alone", () => {
    const dataDir = mkdtempSync(join(tmpdir(), "sluice-main-"));
    try {
      // The parent (the test runner) stands in for a running service on this directory.
      writeFileSync(join(dataDir, "sluice.pid"), `${process.pid}\n`);
      const run = start({ PORT: "0", DATA_DIR: dataDir });
      expect(run.status).toBe(2);
      expect(run.stderr).toContain(
        `sluice change-control: DATA_DIR ${dataDir} is in use by process ${process.pid}: the embedded database serves one process`,
      );
      expect(run.stderr).not.toMatch(/\n\s+at /);
      expect(readFileSync(join(dataDir, "sluice.pid"), "utf8")).toBe(`${process.pid}\n`);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
