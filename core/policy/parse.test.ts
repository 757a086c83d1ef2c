import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parsePolicy } from "./parse.ts";
import { formatSourceError } from "./source-errors.ts";

function errorsOf(yaml: string): string[] {
  const r = parsePolicy(yaml, "cc.yaml");
  if (r.ok) throw new Error("expected errors");
  return r.errors.map(formatSourceError);
}

const HEADER = `version: 1
teams:
  platform: org/platform
`;

describe("parsePolicy", () => {
  it("accepts the project's own change-control.yaml", () => {
    const text = readFileSync(new URL("../../change-control.yaml", import.meta.url), "utf8");
    const r = parsePolicy(text, "change-control.yaml");
    expect(r.ok ? r.value.rules.map((x) => x.name) : r.errors).toContain("baseline-review");
  });

  it("normalizes defaults: hard-mandatory, web-flow ignored, UTC freezes", () => {
    const r = parsePolicy(
      `${HEADER}freezes:\n  - { name: f, from: "2026-01-01", to: "2026-01-02", reason: x }\nrules:\n  - name: a\n    requires: { approvals: { count: 1 } }\n`,
      "cc.yaml",
    );
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(r.value.rules[0]?.enforcement).toBe("hard-mandatory");
    expect(r.value.separationOfDuties.ignoredCommitters).toEqual(["web-flow"]);
    expect(r.value.freezes[0]?.timeZone).toBe("UTC");
    expect(r.value.rules[0]?.requires).toEqual({
      kind: "approvals",
      count: 1,
      users: [],
      teams: [],
      organization: false,
    });
  });

  it.each([
    [
      "a bad enum value, with the value and the allowed ones",
      `${HEADER}rules:\n  - name: a\n    enforcement: hard\n    requires: { approvals: { count: 1 } }\n`,
      'cc.yaml:6:18: rules[0].enforcement: got "hard", expected "advisory" or "soft-mandatory" or "hard-mandatory"',
    ],
    [
      "an unknown field, at the key",
      `${HEADER}rules:\n  - name: a\n    requires: { approvals: { count: 1 } }\n    iff: {}\n`,
      "cc.yaml:7:5: rules[0].iff: unknown field 'iff'",
    ],
    [
      "a team that is not declared",
      `${HEADER}rules:\n  - name: a\n    requires:\n      approvals: { count: 1, from: { teams: [secrity] } }\n`,
      'cc.yaml:7:46: rules[0].requires.approvals.from.teams[0]: got "secrity", expected a team declared under teams (platform)',
    ],
    [
      "a requirement with two kinds",
      `${HEADER}rules:\n  - name: a\n    requires:\n      approvals: { count: 1 }\n      code_owners: true\n`,
      "cc.yaml:7:7: rules[0].requires: got",
    ],
    [
      "a count that is not a whole number",
      `${HEADER}rules:\n  - name: a\n    requires: { approvals: { count: 1.5 } }\n`,
      "cc.yaml:6:37: rules[0].requires.approvals.count: got 1.5, expected int",
    ],
    ["a missing rules list", `${HEADER}`, "cc.yaml:1:1: rules: missing, expected array"],
    [
      "soft-mandatory without override teams",
      `${HEADER}rules:\n  - name: a\n    enforcement: soft-mandatory\n    requires: { code_owners: true }\n`,
      "cc.yaml:6:18: rules[0].enforcement: soft-mandatory needs override_teams",
    ],
    [
      "an unknown time zone",
      `${HEADER}change_windows:\n  - { name: w, time_zone: Mars/Olympus, days: [mon], from: "09:00", to: "10:00" }\nrules:\n  - name: a\n    requires: { code_owners: true }\n`,
      'cc.yaml:5:27: change_windows[0].time_zone: got "Mars/Olympus", expected an IANA time zone',
    ],
    [
      "a window that ends before it starts",
      `${HEADER}change_windows:\n  - { name: w, time_zone: UTC, days: [mon], from: "16:00", to: "09:00" }\nrules:\n  - name: a\n    requires: { code_owners: true }\n`,
      'cc.yaml:5:64: change_windows[0].to: got "09:00", expected a time after from (16:00)',
    ],
    [
      "an undeclared environment",
      `${HEADER}rules:\n  - name: a\n    if: { environments: [prod] }\n    requires: { code_owners: true }\n`,
      'cc.yaml:6:26: rules[0].if.environments[0]: got "prod", expected an environment declared under environments (none are declared)',
    ],
    [
      "duplicate rule names",
      `${HEADER}rules:\n  - name: a\n    requires: { code_owners: true }\n  - name: a\n    requires: { code_owners: true }\n`,
      'cc.yaml:7:11: rules[1].name: got "a", expected a unique name (rules[0] has it)',
    ],
    ["a YAML syntax error", `${HEADER}rules: [\n`, "cc.yaml:5:1:"],
  ])("reports %s with file:line", (_name, yaml, expected) => {
    const errors = errorsOf(yaml);
    expect(
      errors.some((e) => e.startsWith(expected)),
      errors.join("\n"),
    ).toBe(true);
  });

  it("reports every error, sorted by line", () => {
    const errors = errorsOf(
      `${HEADER}rules:\n  - name: Bad Name\n    enforcement: nope\n    requires: { approvals: { count: 0 } }\n`,
    );
    expect(errors).toHaveLength(3);
    expect(errors.map((e) => Number(e.split(":")[1]))).toEqual([5, 6, 7]);
  });
});

describe("parsePolicy reads every field", () => {
  it("converts a policy with every optional part to the engine's shape", () => {
    const r = parsePolicy(
      `version: 1
teams:
  platform: org/platform
  sre: org/sre
environments:
  prod: { paths: ["gitops/prod/**"], stacks: ["prod-*"], addresses: ["module.prod.*"] }
  dev: {}
separation_of_duties: { approver_outside_author_teams: true, ignored_committers: [bot] }
change_windows:
  - { name: office, environments: [prod], time_zone: Europe/Amsterdam, days: [mon, fri], from: "09:00", to: "17:00" }
freezes:
  - { name: new-year, environments: [prod], time_zone: Europe/Amsterdam, from: "2026-12-24", to: "2027-01-02", reason: holidays }
emergency: { label: emergency, min_reason_length: 5, requires: { code_owners: true } }
rules:
  - name: full
    description: every condition
    enforcement: soft-mandatory
    override_teams: [platform]
    if:
      changed_files: { include: ["src/**"], exclude: ["**/*.md"] }
      environments: [prod]
      plan: { actions: [delete], resource_types: ["aws_*"], addresses: ["module.*"] }
      plan_findings: { severity_at_least: high, rules: [iam-wildcard] }
      glossary_findings: { rules: [g] }
      labels: [l]
      base_branches: [main]
      author_teams: [platform]
      author_not_in_teams: [sre]
      size: { files_over: 0, lines_over: 0 }
      policy_files_changed: false
      cost: { monthly_increase_over: 0, percent_increase_over: 0 }
    requires:
      all:
        - approvals: { count: 2, from: { users: [u], teams: [platform], organization: true } }
        - any: [{ distinct_teams: { count: 2, teams: [platform, sre] } }, { distinct_teams: { count: 1 } }]
  - name: bare
    if:
      changed_files: { include: ["a"] }
      plan: {}
      plan_findings: {}
      glossary_findings: true
      size: {}
      cost: { percent_increase_over: 5 }
    requires: { approvals: { count: 1 } }
  - name: no-conditions
    enforcement: advisory
    requires: { code_owners: true }
  - name: monthly
    if: { cost: { monthly_increase_over: 5 } }
    requires: { code_owners: true }
`,
      "cc.yaml",
    );
    if (!r.ok) throw new Error(r.errors.map(formatSourceError).join("\n"));
    // Strict: a condition the policy does not set must be absent, not present as undefined.
    expect(r.value).toStrictEqual({
      file: "cc.yaml",
      teams: { platform: "org/platform", sre: "org/sre" },
      environments: {
        prod: { paths: ["gitops/prod/**"], stacks: ["prod-*"], addresses: ["module.prod.*"] },
        dev: { paths: [], stacks: [], addresses: [] },
      },
      separationOfDuties: { approverOutsideAuthorTeams: true, ignoredCommitters: ["bot"] },
      changeWindows: [
        {
          name: "office",
          environments: ["prod"],
          timeZone: "Europe/Amsterdam",
          days: ["mon", "fri"],
          from: "09:00",
          to: "17:00",
        },
      ],
      freezes: [
        {
          name: "new-year",
          environments: ["prod"],
          timeZone: "Europe/Amsterdam",
          from: "2026-12-24",
          to: "2027-01-02",
          reason: "holidays",
        },
      ],
      emergency: { label: "emergency", minReasonLength: 5, requires: { kind: "code-owners" } },
      rules: [
        {
          name: "full",
          description: "every condition",
          enforcement: "soft-mandatory",
          overrideTeams: ["platform"],
          when: {
            changedFiles: { include: ["src/**"], exclude: ["**/*.md"] },
            environments: ["prod"],
            plan: { actions: ["delete"], resourceTypes: ["aws_*"], addresses: ["module.*"] },
            planFindings: { severityAtLeast: "high", rules: ["iam-wildcard"] },
            glossaryFindings: { rules: ["g"] },
            labels: ["l"],
            baseBranches: ["main"],
            authorTeams: ["platform"],
            authorNotInTeams: ["sre"],
            size: { filesOver: 0, linesOver: 0 },
            policyFilesChanged: false,
            cost: { monthlyIncreaseOver: 0, percentIncreaseOver: 0 },
          },
          requires: {
            kind: "all",
            of: [
              { kind: "approvals", count: 2, users: ["u"], teams: ["platform"], organization: true },
              {
                kind: "any",
                of: [
                  { kind: "distinct-teams", count: 2, teams: ["platform", "sre"] },
                  { kind: "distinct-teams", count: 1, teams: [] },
                ],
              },
            ],
          },
        },
        {
          name: "bare",
          enforcement: "hard-mandatory",
          overrideTeams: [],
          when: {
            changedFiles: { include: ["a"], exclude: [] },
            plan: {},
            planFindings: {},
            glossaryFindings: {},
            size: {},
            cost: { percentIncreaseOver: 5 },
          },
          requires: { kind: "approvals", count: 1, users: [], teams: [], organization: false },
        },
        {
          name: "no-conditions",
          enforcement: "advisory",
          overrideTeams: [],
          when: {},
          requires: { kind: "code-owners" },
        },
        {
          name: "monthly",
          enforcement: "hard-mandatory",
          overrideTeams: [],
          when: { cost: { monthlyIncreaseOver: 5 } },
          requires: { kind: "code-owners" },
        },
      ],
    });
  });

  it("defaults: no teams or environments; windows and freezes for every environment; separation off; emergency reason of 20", () => {
    const r = parsePolicy(
      `version: 1
emergency: { label: e, requires: { code_owners: true } }
change_windows: [{ name: w, time_zone: UTC, days: [mon], from: "09:00", to: "10:00" }]
freezes: [{ name: f, time_zone: UTC, from: "2026-01-01", to: "2026-01-01", reason: x }]
rules:
  - name: a
    requires: { code_owners: true }
`,
      "cc.yaml",
    );
    if (!r.ok) throw new Error(r.errors.map(formatSourceError).join("\n"));
    expect(r.value.teams).toEqual({});
    expect(r.value.environments).toEqual({});
    expect(r.value.changeWindows.map((w) => w.environments)).toEqual([[]]);
    expect(r.value.freezes.map((f) => f.environments)).toEqual([[]]);
    expect(r.value.separationOfDuties).toEqual({
      approverOutsideAuthorTeams: false,
      ignoredCommitters: ["web-flow"],
    });
    expect(r.value.emergency?.minReasonLength).toBe(20);
    expect(r.value.emergency).toEqual({ label: "e", minReasonLength: 20, requires: { kind: "code-owners" } });
    expect(r.value.rules[0]).not.toHaveProperty("description");
  });

  it("has no emergency when none is declared", () => {
    const r = parsePolicy(`${HEADER}rules:\n  - name: a\n    requires: { code_owners: true }\n`, "cc.yaml");
    expect(r.ok && r.value).not.toHaveProperty("emergency");
  });
});

describe("parsePolicy checks references and consistency", () => {
  const RULE = (body: string) => `${HEADER}  sre: org/sre\nrules:\n  - name: a\n${body}`;
  it.each<[string, string, string[]]>([
    ["an empty file", "", ["cc.yaml:1:1: the file is empty, expected a policy with version and rules"]],
    [
      "a file of only a comment",
      "# nothing yet\n",
      ["cc.yaml:1:1: the file is empty, expected a policy with version and rules"],
    ],
    [
      "override teams on a hard-mandatory rule",
      RULE("    override_teams: [platform]\n    requires: { code_owners: true }\n"),
      [
        "cc.yaml:7:5: rules[0].override_teams: only soft-mandatory rules can be overridden, this rule is hard-mandatory",
      ],
    ],
    [
      "override teams on an advisory rule",
      RULE(
        "    enforcement: advisory\n    override_teams: [platform]\n    requires: { code_owners: true }\n",
      ),
      [
        "cc.yaml:8:5: rules[0].override_teams: only soft-mandatory rules can be overridden, this rule is advisory",
      ],
    ],
    [
      "an undeclared override team",
      RULE(
        "    enforcement: soft-mandatory\n    override_teams: [platform, ops]\n    requires: { code_owners: true }\n",
      ),
      [
        'cc.yaml:8:32: rules[0].override_teams[1]: got "ops", expected a team declared under teams (platform, sre)',
      ],
    ],
    [
      "an undeclared author team",
      RULE("    if: { author_teams: [ops] }\n    requires: { code_owners: true }\n"),
      [
        'cc.yaml:7:26: rules[0].if.author_teams[0]: got "ops", expected a team declared under teams (platform, sre)',
      ],
    ],
    [
      "an undeclared author-not-in team",
      RULE("    if: { author_not_in_teams: [ops] }\n    requires: { code_owners: true }\n"),
      [
        'cc.yaml:7:33: rules[0].if.author_not_in_teams[0]: got "ops", expected a team declared under teams (platform, sre)',
      ],
    ],
    [
      "an undeclared distinct team, deep in any and all",
      RULE(
        "    requires:\n      any:\n        - code_owners: true\n        - all: [{ distinct_teams: { count: 1, teams: [ops] } }]\n",
      ),
      [
        'cc.yaml:10:55: rules[0].requires.any[1].all[0].distinct_teams.teams[0]: got "ops", expected a team declared under teams (platform, sre)',
      ],
    ],
    [
      "more distinct teams than listed",
      RULE("    requires: { distinct_teams: { count: 3, teams: [platform, sre] } }\n"),
      [
        "cc.yaml:7:42: rules[0].requires.distinct_teams.count: got 3, expected at most 2 (the number of teams it can draw from)",
      ],
    ],
    [
      "more distinct teams than declared",
      RULE("    requires: { distinct_teams: { count: 3 } }\n"),
      [
        "cc.yaml:7:42: rules[0].requires.distinct_teams.count: got 3, expected at most 2 (the number of teams it can draw from)",
      ],
    ],
    [
      "an undeclared team in the emergency requirement",
      `${HEADER}emergency: { label: e, requires: { approvals: { count: 1, from: { teams: [ops] } } } }\nrules:\n  - name: a\n    requires: { code_owners: true }\n`,
      [
        'cc.yaml:4:75: emergency.requires.approvals.from.teams[0]: got "ops", expected a team declared under teams (platform)',
      ],
    ],
    [
      "an undeclared environment of a window",
      `${HEADER}change_windows:\n  - { name: w, environments: [prod], time_zone: UTC, days: [mon], from: "09:00", to: "10:00" }\nrules:\n  - name: a\n    requires: { code_owners: true }\n`,
      [
        'cc.yaml:5:31: change_windows[0].environments[0]: got "prod", expected an environment declared under environments (none are declared)',
      ],
    ],
    [
      "a window that starts and ends at the same time",
      `${HEADER}change_windows:\n  - { name: w, time_zone: UTC, days: [mon], from: "09:00", to: "09:00" }\nrules:\n  - name: a\n    requires: { code_owners: true }\n`,
      ['cc.yaml:5:64: change_windows[0].to: got "09:00", expected a time after from (09:00)'],
    ],
    [
      "a freeze with an undeclared environment and an unknown time zone",
      `${HEADER}freezes:\n  - { name: f, environments: [prod], time_zone: Mars/Olympus, from: "2026-01-01", to: "2026-01-01", reason: x }\nrules:\n  - name: a\n    requires: { code_owners: true }\n`,
      [
        'cc.yaml:5:31: freezes[0].environments[0]: got "prod", expected an environment declared under environments (none are declared)',
        'cc.yaml:5:49: freezes[0].time_zone: got "Mars/Olympus", expected an IANA time zone such as "Europe/Amsterdam" or "UTC"',
      ],
    ],
    [
      "freeze dates that are not on the calendar",
      `${HEADER}freezes:\n  - { name: f, from: "2026-02-30", to: "2026-13-01", reason: x }\nrules:\n  - name: a\n    requires: { code_owners: true }\n`,
      [
        'cc.yaml:5:22: freezes[0].from: got "2026-02-30", expected a real calendar date',
        'cc.yaml:5:40: freezes[0].to: got "2026-13-01", expected a real calendar date',
      ],
    ],
    [
      "a freeze that ends before it starts",
      `${HEADER}freezes:\n  - { name: f, from: "2026-01-02", to: "2026-01-01", reason: x }\nrules:\n  - name: a\n    requires: { code_owners: true }\n`,
      ['cc.yaml:5:40: freezes[0].to: got "2026-01-01", expected a date on or after from (2026-01-02)'],
    ],
    [
      "a rule name used three times",
      `${HEADER}rules:\n  - { name: a, requires: { code_owners: true } }\n  - { name: a, requires: { code_owners: true } }\n  - { name: a, requires: { code_owners: true } }\n`,
      [
        'cc.yaml:6:13: rules[1].name: got "a", expected a unique name (rules[0] has it)',
        'cc.yaml:7:13: rules[2].name: got "a", expected a unique name (rules[0] has it)',
      ],
    ],
  ])("reports %s", (_name, yaml, expected) => {
    expect(errorsOf(yaml)).toEqual(expected);
  });

  it("lists the declared teams and environments sorted", () => {
    expect(
      errorsOf(
        "version: 1\nteams: { sre: org/sre, platform: org/platform }\nenvironments: { prod: {}, dev: {} }\nrules:\n  - name: a\n    if: { author_teams: [ops], environments: [qa] }\n    requires: { code_owners: true }\n",
      ),
    ).toEqual([
      'cc.yaml:6:26: rules[0].if.author_teams[0]: got "ops", expected a team declared under teams (platform, sre)',
      'cc.yaml:6:47: rules[0].if.environments[0]: got "qa", expected an environment declared under environments (dev, prod)',
    ]);
  });

  it.each([
    ["a one-day freeze", `freezes:\n  - { name: f, from: "2026-01-01", to: "2026-01-01", reason: x }\n`],
    ["a leap day", `freezes:\n  - { name: f, from: "2028-02-29", to: "2028-02-29", reason: x }\n`],
    [
      "a window until midnight",
      `change_windows:\n  - { name: w, time_zone: UTC, days: [mon], from: "23:00", to: "24:00" }\n`,
    ],
    ["exactly as many distinct teams as declared", ""],
  ])("accepts %s", (_name, extra) => {
    const r = parsePolicy(
      `${HEADER}  sre: org/sre\n${extra}rules:\n  - name: a\n    requires: { distinct_teams: { count: 2 } }\n`,
      "cc.yaml",
    );
    expect(r.ok ? [] : r.errors.map(formatSourceError)).toEqual([]);
  });
});
