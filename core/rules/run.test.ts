import { describe, expect, it } from "vitest";
import { secureDefaultRules } from "./index.ts";
import { formatViolations, runRules } from "./run.ts";
import type { Rule, SynthesizedStack } from "./types.ts";

const stack = (name: string): SynthesizedStack => ({
  name,
  json: { resource: { aws_thing: { b: {}, a: {} } } },
});

const flagsEveryThing: Rule = {
  id: "flags-every-thing",
  description: "test rule",
  check: (s) =>
    Object.keys(s.json.resource?.aws_thing ?? {}).map((name) => ({
      rule: "flags-every-thing",
      stack: s.name,
      address: `aws_thing.${name}`,
      message: "flagged",
    })),
};

const throws: Rule = {
  id: "throws",
  description: "test rule that cannot read its input",
  check: () => {
    throw new TypeError("cannot read properties of undefined");
  },
};

describe("runRules", () => {
  it("reports a rule that throws as a violation of that rule instead of skipping it", () => {
    expect(runRules([stack("dev-platform")], [throws])).toEqual([
      {
        rule: "throws",
        stack: "dev-platform",
        address: "",
        message: "rule failed to evaluate: cannot read properties of undefined",
      },
    ]);
  });

  it("sorts by stack, then address, then rule, and formats one line per violation", () => {
    const found = runRules([stack("prod-platform"), stack("dev-platform")], [flagsEveryThing]);
    expect(formatViolations(found)).toBe(
      [
        "flags-every-thing  dev-platform  aws_thing.a  flagged",
        "flags-every-thing  dev-platform  aws_thing.b  flagged",
        "flags-every-thing  prod-platform  aws_thing.a  flagged",
        "flags-every-thing  prod-platform  aws_thing.b  flagged",
      ].join("\n"),
    );
  });
});

describe("the secure-default rule set", () => {
  it("has unique kebab-case ids, each with a description", () => {
    const ids = secureDefaultRules.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const rule of secureDefaultRules) {
      expect(rule.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)+$/);
      expect(rule.description.length).toBeGreaterThan(10);
    }
  });
});
