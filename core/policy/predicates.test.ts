import { describe, expect, it } from "vitest";
import type { ChangeContext } from "./context.ts";
import { evaluate } from "./evaluate.ts";
import { facts, fakeContext, HEAD, plan, policy, TUESDAY_10, withRules } from "./test/fake-context.ts";

/** The state of a rule "r" with the given `if`, evaluated on a fake context. */
function ruleState(condition: string, overrides: Partial<ChangeContext>) {
  const policy = withRules(`  - name: r
    if: ${condition}
    requires: { approvals: { count: 1 } }
`);
  const rule = evaluate(policy, fakeContext(overrides), TUESDAY_10).rules[0];
  return { applies: rule?.state !== "not-applicable", why: rule?.why.join("; ") ?? "" };
}

const prodFile = { files: [{ path: "gitops/envs/prod/app.yaml", additions: 1, deletions: 0 }] };
const prodStack = { plan: plan([], [], { stack: "prod-platform" }) };
const deletion = {
  plan: plan([{ address: "aws_db_instance.main", type: "aws_db_instance", kind: "delete" }]),
};
const finding = {
  plan: plan(
    [],
    [{ rule: "iam-wildcard", severity: "high", address: "aws_iam_policy.p", reason: "wildcard" }],
  ),
};

describe("predicates", () => {
  it.each<[string, string, Partial<ChangeContext>, boolean, string]>([
    [
      "changed files include",
      "{ changed_files: { include: ['gitops/**'] } }",
      prodFile,
      true,
      "changes gitops/envs/prod/app.yaml",
    ],
    [
      "changed files exclude",
      "{ changed_files: { include: ['gitops/**'], exclude: ['**/*.yaml'] } }",
      prodFile,
      false,
      "changes no file matching gitops/**",
    ],
    ["changed files no match", "{ changed_files: { include: ['infra/**'] } }", {}, false, "changes no file"],
    [
      "environment from a path",
      "{ environments: [prod] }",
      prodFile,
      true,
      "touches prod (gitops/envs/prod/app.yaml changed)",
    ],
    [
      "environment from a plan stack",
      "{ environments: [prod] }",
      prodStack,
      true,
      "stack prod-platform planned",
    ],
    ["environment not touched", "{ environments: [prod] }", {}, false, "touches none of prod"],
    [
      "environment unknown without a plan",
      "{ environments: [prod] }",
      { plan: undefined },
      true,
      "may touch prod: no current plan",
    ],
    [
      "plan action",
      "{ plan: { actions: [delete, replace] } }",
      deletion,
      true,
      "delete aws_db_instance.main",
    ],
    [
      "plan action absent",
      "{ plan: { actions: [replace] } }",
      deletion,
      false,
      "the plan has no change matching",
    ],
    [
      "plan resource type glob",
      "{ plan: { resource_types: ['aws_db_*'] } }",
      deletion,
      true,
      "types aws_db_*",
    ],
    [
      "plan address glob",
      "{ plan: { addresses: ['module.x.**'] } }",
      deletion,
      false,
      "addresses module.x.**",
    ],
    [
      "plan unknown without a plan",
      "{ plan: { actions: [delete] } }",
      { plan: undefined },
      true,
      "assumed to apply",
    ],
    [
      "plan finding severity",
      "{ plan_findings: { severity_at_least: high } }",
      finding,
      true,
      "high iam-wildcard on aws_iam_policy.p",
    ],
    [
      "plan finding too mild",
      "{ plan_findings: { severity_at_least: critical } }",
      finding,
      false,
      "no finding of severity critical",
    ],
    [
      "plan finding rule",
      "{ plan_findings: { rules: [open-ingress] } }",
      finding,
      false,
      "rules open-ingress",
    ],
    [
      "glossary findings",
      "{ glossary_findings: true }",
      {
        glossaryFindings: [
          { file: "a.ts", line: 3, name: "q1", target: "sqs-queue", rule: "unknown-token", message: "m" },
        ],
      },
      true,
      "unknown-token 'q1' in a.ts:3",
    ],
    ["glossary clean", "{ glossary_findings: true }", {}, false, "no glossary findings"],
    ["label, case-insensitive", "{ labels: [Risky] }", { labels: ["risky"] }, true, "has label 'Risky'"],
    ["label missing", "{ labels: [risky] }", {}, false, "has none of the labels 'risky'"],
    [
      "base branch glob",
      "{ base_branches: ['release/*'] }",
      { baseBranch: "release/1.2" },
      true,
      "targets release/1.2",
    ],
    ["base branch other", "{ base_branches: [main] }", { baseBranch: "dev" }, false, "targets dev, not main"],
    ["author in team", "{ author_teams: [platform] }", {}, true, "@author is in @sluice-dev/platform"],
    [
      "author not in team",
      "{ author_not_in_teams: [platform] }",
      {},
      false,
      "@author is in @sluice-dev/platform",
    ],
    [
      "author outside team",
      "{ author_not_in_teams: [security] }",
      {},
      true,
      "is not in @sluice-dev/security",
    ],
    ["size in files", "{ size: { files_over: 0 } }", {}, true, "changes 1 files (more than 0)"],
    ["size in lines", "{ size: { lines_over: 12 } }", {}, false, "is small: 1 files, 12 lines"],
    [
      "policy files changed",
      "{ policy_files_changed: true }",
      { files: [{ path: "change-control.yaml", additions: 1, deletions: 1 }] },
      true,
      "changes change-control files: change-control.yaml",
    ],
    [
      "glossary.md changed",
      "{ policy_files_changed: true }",
      { files: [{ path: "docs/glossary.md", additions: 1, deletions: 1 }] },
      true,
      "docs/glossary.md",
    ],
    ["policy files unchanged", "{ policy_files_changed: true }", {}, false, "changes no change-control file"],
    [
      "all conditions must hold",
      "{ labels: [x], environments: [prod] }",
      { ...prodFile, labels: ["x"] },
      true,
      "has label 'x'; touches prod",
    ],
    [
      "one failing condition is enough",
      "{ labels: [y], environments: [prod] }",
      { ...prodFile, labels: ["x"] },
      false,
      "has none of the labels 'y'",
    ],
  ])("%s", (_name, condition, overrides, applies, why) => {
    const r = ruleState(condition, overrides);
    expect(r.applies).toBe(applies);
    expect(r.why).toContain(why);
  });
});

describe("environments with plan conditions match per stack", () => {
  const dbDelete = { address: "aws_db_instance.main", type: "aws_db_instance", kind: "delete" } as const;
  const update = { address: "helm_release.app", type: "helm_release", kind: "update" } as const;
  const wildcard = {
    rule: "iam-wildcard",
    severity: "high",
    address: "aws_iam_policy.p",
    reason: "wildcard",
  } as const;
  /** A pull request touching prod (a prod stack with an update) and dev (a dev stack with `devChange`). */
  const twoStacks = (devFacts: ReturnType<typeof facts>, unclaimed = false) => ({
    plan: {
      commit: HEAD,
      stacks: [
        { name: "prod-platform", facts: facts([update]) },
        { name: unclaimed ? "shared-platform" : "dev-platform", facts: devFacts },
      ],
    },
  });

  it.each<[string, string, Partial<ChangeContext>, boolean, string]>([
    [
      "a delete in a dev stack does not trigger a prod rule",
      "{ environments: [prod], plan: { actions: [delete] } }",
      twoStacks(facts([dbDelete])),
      false,
      "the plan has no change matching actions delete; stacks of prod",
    ],
    [
      "a delete in a prod stack does",
      "{ environments: [prod], plan: { actions: [delete] } }",
      { plan: { commit: HEAD, stacks: [{ name: "prod-platform", facts: facts([dbDelete]) }] } },
      true,
      "e.g. delete aws_db_instance.main",
    ],
    [
      "a delete in a stack no environment claims counts for every environment (fail closed)",
      "{ environments: [prod], plan: { actions: [delete] } }",
      twoStacks(facts([dbDelete]), true),
      true,
      "e.g. delete aws_db_instance.main",
    ],
    [
      "a finding in a dev stack does not trigger a prod rule",
      "{ environments: [prod], plan_findings: { severity_at_least: high } }",
      twoStacks(facts([], [wildcard])),
      false,
      "plan review found no finding of severity high or above in prod",
    ],
    [
      "without environments, a delete anywhere counts",
      "{ plan: { actions: [delete] } }",
      twoStacks(facts([dbDelete])),
      true,
      "e.g. delete aws_db_instance.main",
    ],
  ])("%s", (_name, condition, overrides, applies, why) => {
    const p = policy(`version: 1
environments:
  prod: { stacks: ["prod-*"] }
  dev: { stacks: ["dev-*"] }
rules:
  - name: r
    if: ${condition}
    requires: { approvals: { count: 1 } }
`);
    const rule = evaluate(p, fakeContext(overrides), TUESDAY_10).rules[0];
    expect(rule?.state !== "not-applicable").toBe(applies);
    expect(rule?.why.join("; ")).toContain(why);
  });
});
