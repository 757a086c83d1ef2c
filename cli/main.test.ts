import { execFileSync, spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { commands } from "./commands/index.ts";
import { main } from "./main.ts";
import { memoryIo } from "./test/memory-io.ts";

describe("sluice CLI", () => {
  it("lists every command in --help", async () => {
    const m = memoryIo();
    expect(await main(["--help"], m.io)).toBe(0);
    for (const c of commands) expect(m.stdout).toContain(c.path.join(" "));
  });

  it("rejects an unknown command with exit 2 and a hint", async () => {
    const m = memoryIo();
    expect(await main(["frobnicate"], m.io)).toBe(2);
    expect(m.stderr).toContain("unknown command 'frobnicate'");
    expect(m.stderr).toContain("sluice --help");
  });

  it("gives every command a help text", async () => {
    for (const c of commands) {
      const m = memoryIo();
      expect(await main([...c.path, "--help"], m.io)).toBe(0);
      expect(m.stdout).toMatch(/Usage: sluice /);
    }
  });

  it("runs as a real process through the package bin", () => {
    const result = spawnSync("node", ["cli/bin/sluice.mjs", "version"], { encoding: "utf8" });
    expect(result.status).toBe(0);
    expect(result.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const bad = spawnSync("node", ["cli/bin/sluice.mjs", "nope"], { encoding: "utf8" });
    expect(bad.status).toBe(2);
    expect(bad.stderr).not.toMatch(/\n\s+at /);
    expect(execFileSync("node", ["cli/bin/sluice.mjs", "--help"], { encoding: "utf8" })).toContain(
      "Commands:",
    );
  });
});
