import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseBenchArgs } from "./args.ts";
import { writeSection } from "./harness.ts";

describe("npm run bench arguments", () => {
  it("writes docs/benchmarks.md only with --write", () => {
    expect(parseBenchArgs([])).toEqual({ write: false });
    expect(parseBenchArgs(["plan"])).toEqual({ filter: "plan", write: false });
    expect(parseBenchArgs(["--write", "plan"])).toEqual({ filter: "plan", write: true });
  });

  it("names an unknown option or a second name", () => {
    expect(() => parseBenchArgs(["--wrte"])).toThrow("unknown option '--wrte'");
    expect(() => parseBenchArgs(["plan", "synth"])).toThrow("at most one benchmark name");
  });

  it("rejects an unknown option as a real process before running anything", () => {
    const run = spawnSync(process.execPath, ["--import", "tsx", "bench/run.ts", "--wrte"], {
      encoding: "utf8",
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toBe("bench: unknown option '--wrte' (expected: [NAME] [--write])\n");
  });
});

describe("writeSection", () => {
  it("leaves the page alone unless asked to write, then replaces only its own section", () => {
    const dir = mkdtempSync(join(tmpdir(), "sluice-bench-doc-"));
    const doc = join(dir, "benchmarks.md");
    try {
      const page =
        "# Benchmarks\n\n<!-- bench:a -->\nold a\n<!-- /bench:a -->\n\n<!-- bench:b -->\nold b\n<!-- /bench:b -->\n";
      writeFileSync(doc, page);
      expect(writeSection("a", "new a", { doc, write: false })).toBe(false);
      expect(readFileSync(doc, "utf8")).toBe(page);
      expect(writeSection("a", "new a", { doc, write: true })).toBe(true);
      expect(readFileSync(doc, "utf8")).toBe(page.replace("old a", "new a"));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
