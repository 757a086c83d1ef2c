import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { CheckStatus } from "@stryker-mutator/api/check";
import type { Mutant } from "@stryker-mutator/api/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyMutant, dependentsOf, offsetOf, TsgoChecker } from "./tsgo-checker.mjs";

// The checker against the real TypeScript 7 (tsgo) on a small project of its own.

const log = { info: () => {} };
const dirs: string[] = [];

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), "tsgo-checker-"));
  dirs.push(dir);
  const compilerOptions = {
    strict: true,
    noEmit: true,
    module: "ESNext",
    moduleResolution: "Bundler",
    allowImportingTsExtensions: true,
    types: [],
  };
  writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions, include: ["src"] }));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** A mutant that replaces the first `from` (on one line) in the file `name` of `files`. */
function mutant(
  id: string,
  dir: string,
  files: Record<string, string>,
  name: string,
  from: string,
  to: string,
): Mutant {
  const text = files[name] ?? "";
  const at = text.indexOf(from);
  if (at < 0) throw new Error(`${from} is not in ${name}`);
  const line = text.slice(0, at).split("\n").length - 1;
  const column = at - (text.lastIndexOf("\n", at - 1) + 1);
  return {
    id,
    fileName: path.join(dir, name),
    mutatorName: "Test",
    replacement: to,
    location: { start: { line, column }, end: { line, column: column + from.length } },
  };
}

describe("offsetOf and applyMutant", () => {
  const text = "const a = 1;\nconst b = a + 2;\n";

  it("apply a mutant at Stryker's zero-based line and column", () => {
    expect(offsetOf(text, { line: 1, column: 10 })).toBe(23);
    const m = {
      replacement: "a - 2",
      location: { start: { line: 1, column: 10 }, end: { line: 1, column: 15 } },
    };
    expect(applyMutant(text, m)).toBe("const a = 1;\nconst b = a - 2;\n");
  });

  it("refuse a position past the end of the file, saying where", () => {
    expect(() => offsetOf(text, { line: 5, column: 0 })).toThrow(
      "line 6 is past the end of the file (3 lines)",
    );
  });
});

describe("dependentsOf", () => {
  it("lists importers of importers, nearest first, each once, through cycles", () => {
    const importers = new Map([
      ["leaf", ["mid", "top"]],
      ["mid", ["top", "leaf"]],
      ["top", ["test"]],
    ]);
    expect(dependentsOf("leaf", importers)).toEqual(["mid", "top", "test"]);
    expect(dependentsOf("test", importers)).toEqual([]);
  });
});

describe("TsgoChecker", () => {
  const files = {
    "src/a.ts":
      'export const label = "x";\nexport function double(n: number): number {\n  return n * 2;\n}\n',
    "src/b.ts": 'import { label } from "./a.ts";\nexport const shout: string = label.toUpperCase();\n',
    "src/c.ts": 'import { shout } from "./b.ts";\nexport const quiet = shout.toLowerCase();\n',
  };
  let dir: string;
  let checker: TsgoChecker;
  const cwd = process.cwd();

  beforeAll(async () => {
    dir = project(files);
    process.chdir(dir);
    checker = new TsgoChecker(log, { tsconfigFile: path.join(dir, "tsconfig.json") });
    await checker.init();
  });

  afterAll(() => {
    checker?.dispose();
    process.chdir(cwd);
  });

  it("fails a mutant that breaks its own file, with TypeScript's message and the line", async () => {
    const m = mutant("1", dir, files, "src/a.ts", "n * 2", '"two"');
    expect(await checker.check([m])).toEqual({
      1: {
        status: CheckStatus.CompileError,
        reason: "src/a.ts(3): error TS2322: Type 'string' is not assignable to type 'number'.",
      },
    });
  });

  it("fails a mutant that compiles in its file but breaks a file that imports it", async () => {
    const m = mutant("2", dir, files, "src/a.ts", '"x"', "5");
    const result = await checker.check([m]);
    expect(result["2"]?.status).toBe(CheckStatus.CompileError);
    expect(result["2"]).toMatchObject({ reason: expect.stringMatching(/^src\/b\.ts\(2\): error TS\d+: /) });
  });

  it("fails a mutant that breaks only a file two imports away", async () => {
    const m = mutant("3", dir, files, "src/b.ts", ": string = label.toUpperCase()", " = label.length");
    const result = await checker.check([m]);
    expect(result["3"]).toMatchObject({
      status: CheckStatus.CompileError,
      reason: expect.stringMatching(/^src\/c\.ts\(2\)/),
    });
  });

  it("passes mutants that compile, each checked against the original of the file checked before", async () => {
    const breaksB = mutant("4", dir, files, "src/a.ts", '"x"', "5");
    const fine = mutant("5", dir, files, "src/b.ts", "toUpperCase", "toLowerCase");
    const alsoFine = mutant("6", dir, files, "src/a.ts", "n * 2", "n / 2");
    expect(await checker.check([breaksB, fine, alsoFine])).toEqual({
      4: expect.objectContaining({ status: CheckStatus.CompileError }),
      5: { status: CheckStatus.Passed },
      6: { status: CheckStatus.Passed },
    });
  });

  it("passes a mutant in a file outside the checked project", async () => {
    const outside = {
      ...mutant("7", dir, files, "src/a.ts", "n * 2", '"two"'),
      fileName: path.join(dir, "x.ts"),
    };
    expect(await checker.check([outside])).toEqual({ 7: { status: CheckStatus.Passed } });
  });

  it("refuses to start on a project that does not compile before any mutant, naming the file", async () => {
    const broken = project({ "src/a.ts": "export const n: number = 'one';\n" });
    const other = new TsgoChecker(log, { tsconfigFile: path.join(broken, "tsconfig.json") });
    try {
      await expect(other.init()).rejects.toThrow(
        /TypeScript errors before any mutant .*\n.*src\/a\.ts\(1\): error TS2322/,
      );
    } finally {
      other.dispose();
    }
  });
});
