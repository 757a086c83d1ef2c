import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { schema } from "@stryker-mutator/api/core";
import { afterAll, describe, expect, it } from "vitest";
import { normalizeIncremental, normalizeIncrementalFile } from "./normalize-incremental.mjs";

type Test = schema.TestDefinition;
const test = (id: string, name: string, line: number): Test => ({
  id,
  name,
  location: { start: { line, column: 3 } },
});

/** One set of results, as two runs number it: the same tests under other ids, files in another order. */
function run(ids: Record<string, string>, filesFirst: "a" | "b", root: string): schema.MutationTestResult {
  const testFiles: schema.TestFileDefinitionDictionary = {};
  const a = { tests: [test(ids.a2 as string, "a two", 9), test(ids.a1 as string, "a one", 4)], source: "a" };
  const b = { tests: [test(ids.b1 as string, "b one", 2)], source: "b" };
  if (filesFirst === "a") Object.assign(testFiles, { "a.test.ts": a, "b.test.ts": b });
  else Object.assign(testFiles, { "b.test.ts": b, "a.test.ts": a });
  return {
    schemaVersion: "2",
    thresholds: { high: 90, low: 80 },
    projectRoot: root,
    files: {
      "x.ts": {
        language: "typescript",
        source: "x",
        mutants: [
          {
            id: "0",
            mutatorName: "BooleanLiteral",
            replacement: "false",
            status: "Killed",
            location: { start: { line: 1, column: 1 }, end: { line: 1, column: 5 } },
            coveredBy: [ids.b1 as string, ids.a2 as string],
            killedBy: [ids.a2 as string],
          },
          {
            id: "1",
            mutatorName: "BlockStatement",
            replacement: "{}",
            status: "CompileError",
            location: { start: { line: 2, column: 1 }, end: { line: 2, column: 5 } },
          },
        ],
      },
    },
    testFiles,
  };
}

const first = run({ a1: "0", a2: "1", b1: "2" }, "a", "/work/main");
const second = run({ a1: "7", a2: "5", b1: "6" }, "b", "/home/someone/sluice");

describe("normalizeIncremental", () => {
  it("gives two runs with the same results the same text", () => {
    const text = (r: schema.MutationTestResult) => JSON.stringify(normalizeIncremental(r), null, 2);
    expect(text(second)).toBe(text(first));
    expect(JSON.stringify(second)).not.toBe(JSON.stringify(first));
  });

  it("numbers tests by file, then position, and keeps every mutant pointing at the same tests", () => {
    const normal = normalizeIncremental(second);
    const names = new Map(
      Object.values(normal.testFiles ?? {}).flatMap((f) => f.tests.map((t) => [t.id, t.name] as const)),
    );
    expect(Object.keys(normal.testFiles ?? {})).toEqual(["a.test.ts", "b.test.ts"]);
    expect([...names]).toEqual([
      ["0", "a one"],
      ["1", "a two"],
      ["2", "b one"],
    ]);
    const [killed, compileError] = normal.files["x.ts"]?.mutants ?? [];
    expect(killed?.coveredBy?.map((id) => names.get(id))).toEqual(["a two", "b one"]);
    expect(killed?.killedBy?.map((id) => names.get(id))).toEqual(["a two"]);
    expect(compileError).toEqual(second.files["x.ts"]?.mutants[1]);
  });

  it("writes the project root as '.'", () => {
    expect(normalizeIncremental(first).projectRoot).toBe(".");
  });
});

describe("normalizeIncrementalFile", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "sluice-incremental-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("rewrites a file as Stryker writes it (two-space JSON), in the stable form", () => {
    const file = path.join(dir, "incremental.json");
    writeFileSync(file, JSON.stringify(second, null, 2));
    normalizeIncrementalFile(file);
    expect(readFileSync(file, "utf8")).toBe(JSON.stringify(normalizeIncremental(first), null, 2));
  });

  it("does nothing when there is no file (a run without incremental mode)", () => {
    expect(() => normalizeIncrementalFile(path.join(dir, "missing.json"))).not.toThrow();
    expect(() => normalizeIncrementalFile(undefined)).not.toThrow();
  });
});
