import { describe, expect, it } from "vitest";
import { compilePolicy } from "./compile.ts";
import type { ChangeContext } from "./context.ts";
import { evaluate } from "./evaluate.ts";
import { deriveFacts } from "./facts.ts";
import { Roster } from "./people.ts";
import { applies } from "./predicates.ts";
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

describe("applies says exactly why", () => {
  /** The applicability of a rule "r" with the given `if` (YAML flow map) on a fake context. */
  function check(condition: string | undefined, overrides: Partial<ChangeContext> = {}) {
    const p = withRules(
      `  - name: r\n${condition === undefined ? "" : `    if: ${condition}\n`}    requires: { approvals: { count: 1 } }\n`,
    );
    const context = fakeContext(overrides);
    const compiled = compilePolicy(p);
    const rule = compiled.rules[0];
    if (!rule) throw new Error("no rule");
    return applies(rule, context, deriveFacts(compiled, context), new Roster(p, context));
  }
  const files = (...entries: [string, number][]) => ({
    files: entries.map(([path, additions]) => ({ path, additions, deletions: 0 })),
  });
  const inTwoTeams = {
    teams: { "sluice-dev/platform": ["author"], "sluice-dev/security": ["Author"], "sluice-dev/sre": [] },
  };
  const change = (address: string, kind: "create" | "delete" | "noop", type = "aws_s3_bucket") => ({
    address,
    type,
    kind,
  });
  const finding = (rule: string, severity: "low" | "medium" | "high" | "critical", address: string) => ({
    rule,
    severity,
    address,
    reason: "r",
  });
  const glossary = (file: string, line: number | undefined, name: string, rule = "unknown-token") => ({
    file,
    ...(line !== undefined && { line }),
    name,
    target: "t",
    rule,
    message: "m",
  });

  it.each<[string, string | undefined, Partial<ChangeContext>, boolean | "unknown", string[]]>([
    ["no conditions", undefined, {}, true, ["every pull request (the rule has no conditions)"]],
    ["an empty if", "{}", {}, true, ["every pull request (the rule has no conditions)"]],
    ["two labels present", "{ labels: [A, b, c] }", { labels: ["a", "B"] }, true, ["has label 'A', 'b'"]],
    ["no label present", "{ labels: [x, y] }", { labels: ["z"] }, false, ["has none of the labels 'x', 'y'"]],
    [
      "another base branch",
      "{ base_branches: [main, 'release/*'] }",
      { baseBranch: "dev" },
      false,
      ["targets dev, not main, release/*"],
    ],
    ["the base branch", "{ base_branches: [main] }", {}, true, ["targets main"]],
    [
      "an author in two of the teams",
      "{ author_teams: [platform, security, sre] }",
      inTwoTeams,
      true,
      ["the author @author is in @sluice-dev/platform, @sluice-dev/security"],
    ],
    [
      "an author in none of the teams",
      "{ author_teams: [security, sre] }",
      {},
      false,
      ["the author @author is not in @sluice-dev/security, @sluice-dev/sre"],
    ],
    [
      "an author in two excluded teams",
      "{ author_not_in_teams: [platform, security, sre] }",
      inTwoTeams,
      false,
      ["the author @author is in @sluice-dev/platform, @sluice-dev/security"],
    ],
    [
      "an author outside the excluded teams",
      "{ author_not_in_teams: [security, sre] }",
      {},
      true,
      ["the author @author is not in @sluice-dev/security, @sluice-dev/sre"],
    ],
    [
      "more files and lines than allowed",
      "{ size: { files_over: 1, lines_over: 10 } }",
      files(["a", 5], ["b", 6]),
      true,
      ["changes 2 files (more than 1) and changes 11 lines (more than 10)"],
    ],
    [
      "exactly as many files and lines as allowed",
      "{ size: { files_over: 2, lines_over: 11 } }",
      files(["a", 5], ["b", 6]),
      false,
      ["is small: 2 files, 11 lines"],
    ],
    [
      "more lines only",
      "{ size: { files_over: 2, lines_over: 10 } }",
      files(["a", 5], ["b", 6]),
      true,
      ["changes 11 lines (more than 10)"],
    ],
    [
      "two policy files changed",
      "{ policy_files_changed: true }",
      files(["CODEOWNERS", 1], ["a.ts", 1], ["change-control.yaml", 1]),
      true,
      ["changes change-control files: CODEOWNERS, change-control.yaml"],
    ],
    [
      "no policy file changed",
      "{ policy_files_changed: true }",
      {},
      false,
      ["changes no change-control file (change-control.yaml, glossary.md, CODEOWNERS)"],
    ],
    [
      "policy files changed where none may be",
      "{ policy_files_changed: false }",
      files(["change-control.yaml", 1]),
      false,
      ["changes change-control files: change-control.yaml"],
    ],
    [
      "no policy file changed, as wanted",
      "{ policy_files_changed: false }",
      {},
      true,
      ["changes no change-control file"],
    ],
    [
      "two environments touched, one by two files and a stack",
      "{ environments: [dev, prod] }",
      {
        ...files(
          ["gitops/envs/prod/a.yaml", 1],
          ["gitops/envs/prod/b.yaml", 1],
          ["gitops/envs/dev/c.yaml", 1],
        ),
        plan: plan([], [], { stack: "prod-x" }),
      },
      true,
      [
        "touches dev (gitops/envs/dev/c.yaml changed), prod (gitops/envs/prod/a.yaml and 1 more files changed; stack prod-x planned)",
      ],
    ],
    [
      "an environment only a plan can show, without a plan",
      "{ environments: [dev, prod] }",
      { plan: undefined },
      "unknown",
      ["may touch prod: no current plan to read, so assumed to"],
    ],
    ["no environment touched", "{ environments: [dev, prod] }", {}, false, ["touches none of dev, prod"]],
    [
      "glossary findings, the first by file then line",
      "{ glossary_findings: true }",
      {
        glossaryFindings: [glossary("b.ts", 1, "z"), glossary("a.ts", 9, "y"), glossary("a.ts", 2, "x")],
      },
      true,
      ["the glossary check found 3 finding(s) (first: unknown-token 'x' in a.ts:2)"],
    ],
    [
      "a glossary finding without a line first",
      "{ glossary_findings: true }",
      { glossaryFindings: [glossary("a.ts", 1, "y"), glossary("a.ts", undefined, "x")] },
      true,
      ["the glossary check found 2 finding(s) (first: unknown-token 'x' in a.ts)"],
    ],
    [
      "glossary findings of other rules only",
      "{ glossary_findings: { rules: [a, b] } }",
      { glossaryFindings: [glossary("a.ts", 1, "y", "c")] },
      false,
      ["no glossary findings of a, b"],
    ],
    [
      "glossary findings of a listed rule",
      "{ glossary_findings: { rules: [a] } }",
      { glossaryFindings: [glossary("a.ts", 1, "y", "c"), glossary("b.ts", 4, "z", "a")] },
      true,
      ["the glossary check found 1 finding(s) (first: a 'z' in b.ts:4)"],
    ],
    [
      "plan findings, most severe first, then by address",
      "{ plan_findings: { severity_at_least: medium } }",
      {
        plan: plan(
          [],
          [
            finding("a", "medium", "x.a"),
            finding("b", "critical", "x.c"),
            finding("c", "critical", "x.b"),
            finding("d", "low", "x.a"),
          ],
        ),
      },
      true,
      ["plan review found 3 finding(s) of severity medium or above (first: critical c on x.b)"],
    ],
    [
      "plan findings of any severity and a rule",
      "{ plan_findings: { rules: [d, e] } }",
      { plan: plan([], [finding("a", "high", "x.a"), finding("d", "low", "")]) },
      true,
      ["plan review found 1 finding(s) of any severity, rules d, e (first: low d)"],
    ],
    [
      "plan findings in an environment",
      "{ environments: [dev, prod], plan_findings: {} }",
      { plan: plan([], [finding("a", "high", "x.a")], { stack: "prod-a" }) },
      true,
      [
        "touches prod (stack prod-a planned)",
        "plan review found 1 finding(s) of any severity in dev, prod (first: high a on x.a)",
      ],
    ],
    [
      "plan findings without a plan",
      "{ plan_findings: {} }",
      { plan: undefined },
      "unknown",
      ["plan findings: no current plan to read, so assumed to apply"],
    ],
    [
      "planned changes, the first by address, no-ops left out",
      "{ plan: { actions: [create, delete, noop] } }",
      {
        plan: plan([
          change("x.a", "noop"),
          change("x.c", "delete"),
          change("x.b", "create"),
          change("x.d", "create"),
        ]),
      },
      true,
      ["the plan has 3 matching change(s) (actions create/delete/noop), e.g. create x.b"],
    ],
    [
      "planned changes of a type and address",
      "{ plan: { resource_types: ['aws_db_*', 'aws_s3_*'], addresses: ['x.*', 'y.*'] } }",
      {
        plan: plan([
          change("x.a", "delete", "aws_iam_role"),
          change("x.b", "delete"),
          change("z.c", "delete"),
        ]),
      },
      true,
      ["the plan has 1 matching change(s) (types aws_db_*, aws_s3_*; addresses x.*, y.*), e.g. delete x.b"],
    ],
    [
      "no planned change of a type, seen twice",
      "{ plan: { resource_types: ['aws_db_*'] } }",
      { plan: plan([change("x.a", "delete"), change("x.b", "delete")]) },
      false,
      ["the plan has no change matching types aws_db_*"],
    ],
    [
      "a plan of only no-ops",
      "{ plan: {} }",
      { plan: plan([change("x.a", "noop")]) },
      false,
      ["the plan has no change matching any change"],
    ],
    [
      "planned changes without a plan",
      "{ plan: {} }",
      { plan: undefined },
      "unknown",
      ["planned changes: no current plan to read, so assumed to apply"],
    ],
    [
      "a change in a stack of one of two wanted environments",
      "{ environments: [dev, prod], plan: { actions: [delete] } }",
      { plan: plan([change("x.a", "delete")], [], { stack: "prod-x" }) },
      true,
      [
        "touches prod (stack prod-x planned)",
        "the plan has 1 matching change(s) (actions delete; stacks of dev, prod), e.g. delete x.a",
      ],
    ],
    [
      "the same address planned in two stacks, the first stack's change shown",
      "{ plan: {} }",
      {
        plan: {
          commit: HEAD,
          stacks: [
            { name: "a", facts: facts([change("x.a", "create")]) },
            { name: "b", facts: facts([change("x.a", "delete")]) },
          ],
        },
      },
      true,
      ["the plan has 2 matching change(s), e.g. create x.a"],
    ],
    [
      "a changed file that is excluded, then one that is not",
      "{ changed_files: { include: ['src/**', 'lib/**'], exclude: ['**/*.md'] } }",
      files(["src/a.md", 1], ["docs/b.ts", 1], ["lib/c.ts", 1]),
      true,
      ["changes lib/c.ts (matches src/**, lib/**)"],
    ],
    [
      "several conditions, all holding",
      "{ labels: [x], base_branches: [main], size: { files_over: 0 } }",
      { labels: ["x"] },
      true,
      ["has label 'x'", "targets main", "changes 1 files (more than 0)"],
    ],
    [
      "an unknown condition and one that does not hold",
      "{ plan: {}, changed_files: { include: ['nothing/**'] } }",
      { plan: undefined },
      false,
      ["changes no file matching nothing/**"],
    ],
  ])("%s", (_name, condition, overrides, result, why) => {
    expect(check(condition, overrides)).toEqual({ applies: result, why });
  });

  it("names every environment that only a plan can show, without a plan", () => {
    const p = policy(`version: 1
environments:
  prod: { stacks: ["prod-*"] }
  staging: { addresses: ["module.staging.*"] }
rules:
  - name: r
    if: { environments: [prod, staging] }
    requires: { approvals: { count: 1 } }
`);
    const context = fakeContext({ plan: undefined });
    const compiled = compilePolicy(p);
    const rule = compiled.rules[0];
    if (!rule) throw new Error("no rule");
    expect(applies(rule, context, deriveFacts(compiled, context), new Roster(p, context))).toEqual({
      applies: "unknown",
      why: ["may touch prod, staging: no current plan to read, so assumed to"],
    });
  });
});
