import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { secureDefaultRules } from "./index.ts";

/** Every `*.rules.test.ts` under modules/: the tests that weaken a construct until a rule trips. */
function ruleTestSources(): string {
  const root = new URL("../../modules/", import.meta.url).pathname;
  return readdirSync(root, { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".rules.test.ts"))
    .map((file) => readFileSync(join(root, file), "utf8"))
    .join("\n");
}

describe("the secure-default rule set", () => {
  it("has a weakened-construct test naming every rule", () => {
    const sources = ruleTestSources();
    const named = (id: string) => new RegExp(`(?<![\\w-])${id}(?![\\w-])`).test(sources);
    const untested = secureDefaultRules.map((r) => r.id).filter((id) => !named(id));
    expect(untested).toEqual([]);
  });
});
