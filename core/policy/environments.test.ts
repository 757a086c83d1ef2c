import { describe, expect, it } from "vitest";
import type { ChangeContext } from "./context.ts";
import { evaluate } from "./evaluate.ts";
import { fakeContext, HEAD, plan, policy, TUESDAY_10, withRules } from "./test/fake-context.ts";

// How a pull request's environments are recognised (compiled once per policy in compile.ts). Policies are
// built inside each test, never at load time (see docs/testing.md, "Static mutants").

/** A policy whose environment `shared` is recognised only by resource addresses, with a rule for it. */
const addressed = () =>
  policy(`version: 1
environments:
  shared: { addresses: ["module.shared.**"] }
  prod: { stacks: ["prod-*"] }
rules:
  - name: any
    requires: { approvals: { count: 1 } }
  - name: shared-only
    if: { environments: [shared] }
    requires: { approvals: { count: 1 } }
`);

function decide(p: ReturnType<typeof policy>, overrides: Partial<ChangeContext>) {
  return evaluate(p, fakeContext(overrides), TUESDAY_10);
}

describe("environments of a change", () => {
  it("are listed by name, whatever order the policy declares them in", () => {
    // TEAMS declares prod before dev.
    const d = decide(withRules("  - name: r\n    requires: { approvals: { count: 1 } }\n"), {
      files: [
        { path: "gitops/envs/prod/app.yaml", additions: 1, deletions: 0 },
        { path: "gitops/envs/dev/app.yaml", additions: 1, deletions: 0 },
      ],
    });
    expect(d.environments).toEqual([
      { name: "dev", because: ["gitops/envs/dev/app.yaml changed"] },
      { name: "prod", because: ["gitops/envs/prod/app.yaml changed"] },
    ]);
  });

  it("are recognised from a planned resource address, in a stack no environment claims", () => {
    const d = decide(addressed(), {
      plan: plan(
        [{ address: "module.shared.aws_s3_bucket.logs", type: "aws_s3_bucket", kind: "update" }],
        [],
        { stack: "misc" },
      ),
    });
    expect(d.environments).toEqual([
      { name: "shared", because: ["module.shared.aws_s3_bucket.logs planned"] },
    ]);
    expect(d.rules[1]).toMatchObject({ name: "shared-only", state: "unsatisfied" });
    expect(d.rules[1]?.why.join()).toContain("touches shared (module.shared.aws_s3_bucket.logs planned)");
  });

  it("an environment known only by addresses may be touched while there is no current plan", () => {
    const d = decide(addressed(), { plan: undefined });
    expect(d.rules[1]?.state).toBe("unsatisfied");
    expect(d.rules[1]?.why.join()).toContain("may touch shared: no current plan to read");
  });

  it("an environment known by paths only is not touched when none of its files changed, plan or not", () => {
    const p = () =>
      withRules(`  - name: any
    requires: { approvals: { count: 1 } }
  - name: dev-only
    if: { environments: [dev] }
    requires: { approvals: { count: 1 } }
`);
    for (const plan of [undefined, { commit: HEAD, stacks: [] }]) {
      const d = decide(p(), { plan });
      expect(d.rules[1], JSON.stringify(plan)).toMatchObject({
        name: "dev-only",
        state: "not-applicable",
        why: ["touches none of dev"],
      });
    }
  });

  it("a rule on resource types does not apply to a plan with other types only", () => {
    const p = withRules(`  - name: any
    requires: { approvals: { count: 1 } }
  - name: iam
    if: { plan: { resource_types: ['aws_iam_*'] } }
    requires: { approvals: { count: 2 } }
`);
    const d = decide(p, {
      plan: plan([{ address: "aws_db_instance.main", type: "aws_db_instance", kind: "delete" }]),
    });
    expect(d.rules[1]).toMatchObject({
      name: "iam",
      state: "not-applicable",
      why: ["the plan has no change matching types aws_iam_*"],
    });
  });
});
