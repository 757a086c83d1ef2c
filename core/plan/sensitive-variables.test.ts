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

/** A plan whose only sensitive variable values are `secrets`, declared in that order, with extra sections. */
function planWithSecrets(
  secrets: Record<string, unknown>,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  const names = Object.keys(secrets);
  return planObject([], {
    variables: Object.fromEntries(names.map((n) => [n, { value: secrets[n] }])),
    configuration: {
      root_module: { variables: Object.fromEntries(names.map((n) => [n, { sensitive: true }])) },
    },
    ...extra,
  });
}

describe("sensitive variable values", () => {
  it("include strings of exactly 4 characters and the strings inside list, map and object values", () => {
    const plan = planWithSecrets({
      pin: "1234",
      short: "abc",
      tokens: ["list-secret", ["nested-list-secret"]],
      creds: { user: "map-user-secret", inner: { key: "object-key-secret", port: 5432 } },
    });
    expect(sensitiveVariableValues(plan).sort()).toEqual(
      ["1234", "list-secret", "map-user-secret", "nested-list-secret", "object-key-secret"].sort(),
    );
  });

  it("come longest first, so that a secret containing a shorter one is hidden whole", () => {
    const plan = planWithSecrets({ a: "abcd", b: "abcd-efgh-ijkl", c: "abcd-efgh" });
    expect(sensitiveVariableValues(plan)).toEqual(["abcd-efgh-ijkl", "abcd-efgh", "abcd"]);
    plan.output_changes = { o: { actions: ["create"], before: null, after: "x abcd-efgh-ijkl y" } };
    expect(parsePlan(JSON.stringify(plan), "plan.json").outputs[0]?.after).toBe("x (sensitive) y");
  });

  it("are none without declared variables or without their values", () => {
    const { configuration, variables } = planWithSecrets({ a: "secret-value" });
    expect(sensitiveVariableValues({ variables })).toEqual([]);
    expect(sensitiveVariableValues({ configuration })).toEqual([]);
    expect(sensitiveVariableValues({})).toEqual([]);
  });
});

describe("hiding sensitive variable values", () => {
  const change = (after: unknown, extra: Record<string, unknown> = {}) => ({
    address: "aws_instance.web",
    mode: "managed",
    type: "aws_instance",
    name: "web",
    change: {
      actions: ["update"],
      before: {},
      after,
      after_unknown: {},
      before_sensitive: {},
      after_sensitive: {},
    },
    ...extra,
  });

  it("covers drift, deferred changes and the problems of checks, and skips entries it cannot read", () => {
    const plan = planWithSecrets(
      { password: SECRET },
      {
        resource_drift: [change({ note: `drifted ${SECRET}` })],
        deferred_changes: [
          null,
          { reason: "resource_config_unknown", resource_change: change({ copy: SECRET }) },
        ],
        checks: [
          null,
          { address: { to_display: "check.a", kind: "check" }, status: "fail", instances: "none" },
          {
            address: { to_display: "check.health", kind: "check" },
            status: "fail",
            instances: [null, { problems: [{ message: `login with ${SECRET} failed` }] }],
          },
        ],
      },
    );
    const parsed = parsePlan(JSON.stringify(plan), "plan.json");
    expect(parsed.drift[0]?.after).toEqual({ note: "drifted (sensitive)" });
    expect(parsed.deferred[0]?.change.after).toEqual({ copy: SENSITIVE });
    expect(parsed.checks.find((c) => c.address === "check.health")?.problems).toEqual([
      "login with (sensitive) failed",
    ]);
    expect(parsed.warnings.length).toBeGreaterThan(0);
    expect(JSON.stringify(parsed)).not.toContain(SECRET);
  });

  it("covers the import id, in the change or beside it", () => {
    for (const extra of [{}, { importing: { id: `db-${SECRET}` } }]) {
      const entry = change({}, extra);
      if (!("importing" in extra)) Object.assign(entry.change, { importing: { id: `db-${SECRET}` } });
      const plan = planWithSecrets({ password: SECRET }, { resource_changes: [entry] });
      const parsed = parsePlan(JSON.stringify(plan), "plan.json");
      expect(parsed.changes[0]?.importing).toEqual({ id: "db-(sensitive)" });
    }
  });
});
