import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const DIR = new URL("./", import.meta.url);
/** The cost core takes and returns plain data: no file system, network or process access. */
const ALLOWED = (spec: string) =>
  spec.startsWith("./") ||
  spec === "zod" ||
  spec === "../plan/findings.ts" ||
  spec === "../plan/types.ts" ||
  spec === "../plan/values.ts" ||
  spec === "../policy/source-errors.ts";

const SOURCES = readdirSync(DIR).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"));

describe("the cost core is pure", () => {
  it("finds its sources", () => {
    expect(SOURCES).toEqual(expect.arrayContaining(["estimate.ts", "diff.ts", "prices.ts", "usage.ts"]));
  });
  it.each(SOURCES)("%s imports only local files, plain-data contracts and zod", (file) => {
    const text = readFileSync(new URL(file, DIR), "utf8");
    const imports = [...text.matchAll(/^\s*(?:import|export)\b[^"']*?\bfrom\s+["']([^"']+)["']/gm)].map(
      (m) => m[1] ?? "",
    );
    expect(imports.filter((spec) => !ALLOWED(spec))).toEqual([]);
  });
});
