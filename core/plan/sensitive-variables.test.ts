import { describe, expect, it } from "vitest";
import { parsePlan } from "./parse.ts";
import { renderJson } from "./render/json.ts";
import { renderMarkdown } from "./render/markdown.ts";
import { renderText } from "./render/text.ts";
import { reviewPlan } from "./review.ts";
import { sensitiveVariableValues } from "./sensitive-variables.ts";
import { planObject } from "./test/plans.ts";
import { SENSITIVE } from "./values.ts";

const SECRET = "hunter2-canary-value";

/** A sensitive variable whose value a provider copied into attributes it does not mark. */
function planWithLeakyProvider() {
  return {
    ...planObject([
      {
        type: "aws_db_instance",
        name: "db",
        actions: ["update"],
        before: { note: "old", copy: "old" },
        after: { note: `created with ${SECRET} by ops`, copy: SECRET, list: [SECRET] },
      },
    ]),
    variables: { db_password: { value: SECRET }, region: { value: "eu-west-1" }, pin: { value: "123" } },
    configuration: {
      root_module: {
        variables: { db_password: { sensitive: true }, region: {}, pin: { sensitive: true } },
      },
    },
    output_changes: { dsn: { actions: ["create"], before: null, after: `db?pw=${SECRET}` } },
  };
}

describe("sensitive variables", () => {
  it("are read only to be hidden: sensitive ones, strings of 4 characters or more", () => {
    expect(sensitiveVariableValues(planWithLeakyProvider())).toEqual([SECRET]);
  });

  it("are hidden wherever an unmarked attribute or output holds their value, in every format", () => {
    const review = reviewPlan(parsePlan(JSON.stringify(planWithLeakyProvider()), "plan.json"));
    const after = review.changes[0]?.after as Record<string, unknown>;
    expect(after.copy).toBe(SENSITIVE);
    expect(after.list).toEqual([SENSITIVE]);
    expect(after.note).toBe("created with (sensitive) by ops");
    expect(review.outputs[0]?.after).toBe("db?pw=(sensitive)");
    for (const text of [renderMarkdown(review), renderJson(review), renderText(review, { color: true })]) {
      expect(text).not.toContain(SECRET);
      expect(text).toContain("(sensitive)");
    }
  });
});
