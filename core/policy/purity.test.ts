import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const DIR = new URL("./", import.meta.url);
/** Libraries the pure engine may use: parsing and glob matching, no I/O, HTTP, GitHub or database. */
const LIBRARIES = new Set(["zod", "yaml", "picomatch"]);
/** The plain-data contracts and pure helpers it reads from other areas. */
const CONTRACTS = new Set([
  "../plan/findings.ts",
  "../glossary/findings.ts",
  "../text-encoding.ts",
  "../bisect.ts",
]);

function importsOf(file: string): string[] {
  const text = readFileSync(new URL(file, DIR), "utf8");
  return [...text.matchAll(/^\s*(?:import|export)\b[^"']*?\bfrom\s+["']([^"']+)["']/gm)].map(
    (m) => m[1] ?? "",
  );
}

const SOURCES = readdirSync(DIR).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"));

describe("the policy engine is pure", () => {
  it("finds the engine's sources", () => {
    expect(SOURCES).toEqual(expect.arrayContaining(["evaluate.ts", "predicates.ts", "requirements.ts"]));
  });

  it.each(SOURCES)("%s imports only local files, plain-data contracts and parsing libraries", (file) => {
    const outside = importsOf(file).filter(
      (spec) => !(spec.startsWith("./") || CONTRACTS.has(spec) || LIBRARIES.has(spec)),
    );
    expect(outside).toEqual([]);
  });
});
