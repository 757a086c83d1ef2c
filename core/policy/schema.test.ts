import { describe, expect, it } from "vitest";
import { parsePolicy } from "./parse.ts";
import { formatSourceError } from "./source-errors.ts";
import { MISSING, type Path, setAt } from "./test/edit.ts";

// The schema is checked through parsePolicy: a constraint that is dropped would let a bad policy through
// (the service must fail closed on it), and each error must name the field.

/** A valid policy with every optional part present, built fresh for each test (JSON is YAML too). */
function full(): Record<string, unknown> {
  return {
    version: 1,
    teams: { platform: "org/platform", "sre-2": "Org-1/sre.team_x-y" },
    environments: { prod: { paths: ["gitops/prod/**"], stacks: ["prod-*"], addresses: ["module.prod.*"] } },
    separation_of_duties: { approver_outside_author_teams: true, ignored_committers: ["web-flow"] },
    change_windows: [
      {
        name: "office",
        environments: ["prod"],
        time_zone: "Europe/Amsterdam",
        days: ["mon", "fri"],
        from: "09:00",
        to: "17:00",
      },
    ],
    freezes: [
      {
        name: "new-year",
        environments: ["prod"],
        time_zone: "UTC",
        from: "2026-12-24",
        to: "2027-01-02",
        reason: "holidays",
      },
    ],
    emergency: { label: "emergency", min_reason_length: 10, requires: { approvals: { count: 1 } } },
    rules: [
      {
        name: "r",
        description: "a rule",
        enforcement: "soft-mandatory",
        override_teams: ["platform"],
        if: {
          changed_files: { include: ["src/**"], exclude: ["**/*.md"] },
          environments: ["prod"],
          plan: { actions: ["delete"], resource_types: ["aws_*"], addresses: ["module.*"] },
          plan_findings: { severity_at_least: "high", rules: ["iam-wildcard"] },
          glossary_findings: { rules: ["g"] },
          labels: ["l"],
          base_branches: ["main"],
          author_teams: ["platform"],
          author_not_in_teams: ["sre-2"],
          size: { files_over: 0, lines_over: 0 },
          policy_files_changed: true,
          cost: { monthly_increase_over: 0, percent_increase_over: 0 },
        },
        requires: {
          all: [
            { approvals: { count: 1, from: { users: ["u"], teams: ["platform"], organization: true } } },
            { any: [{ code_owners: true }, { distinct_teams: { count: 1, teams: ["platform"] } }] },
          ],
        },
      },
    ],
  };
}

function withValue(path: Path, value: unknown): Record<string, unknown> {
  return setAt(full(), path, value);
}

function parse(value: unknown) {
  return parsePolicy(JSON.stringify(value, null, 2), "cc.yaml");
}

/** `path: message` of each error for the full policy with the value at `path` set (or left out). */
function errorsAfter(path: Path, value: unknown): string[] {
  const r = parse(withValue(path, value));
  if (r.ok) throw new Error("expected errors");
  return r.errors.map((e) => `${e.path}: ${e.message}`);
}

function window(from: string, to: string) {
  return { name: "w", time_zone: "UTC", days: ["mon"], from, to };
}

const RULE = ["rules", 0] as const;
const IF = [...RULE, "if"] as const;
const REQ = [...RULE, "requires"] as const;

describe("the policy schema", () => {
  it("accepts a policy with every optional part", () => {
    const r = parse(full());
    if (!r.ok) throw new Error(r.errors.map(formatSourceError).join("\n"));
    expect(r.value.rules[0]?.name).toBe("r");
  });

  it.each<[string, Path, unknown]>([
    ["a name of digits and dashes", [...RULE, "name"], "0-a-"],
    ["a team slug with dots, dashes and underscores", ["teams", "platform"], "A-1/b.c_d-e"],
    ["a window from 00:00 to 19:59", ["change_windows", 0], window("00:00", "19:59")],
    ["a window from 19:59 to 23:59", ["change_windows", 0], window("19:59", "23:59")],
    ["a window from 23:00 to 24:00", ["change_windows", 0], window("23:00", "24:00")],
    ["every weekday", ["change_windows", 0, "days"], ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]],
    ["glossary findings of any rule", [...IF, "glossary_findings"], true],
    ["a cost threshold in USD only", [...IF, "cost"], { monthly_increase_over: 10 }],
    ["a cost threshold in percent only", [...IF, "cost"], { percent_increase_over: 10.5 }],
    ["changed files without exclude", [...IF, "changed_files"], { include: ["a"] }],
    ["empty lists of users and teams", [...REQ], { approvals: { count: 1, from: { users: [], teams: [] } } }],
    ["a freeze without a time zone", ["freezes", 0, "time_zone"], MISSING],
    ["an environment with no paths", ["environments", "prod"], {}],
  ])("accepts %s", (_name, path, value) => {
    const r = parse(withValue(path, value));
    if (!r.ok) throw new Error(r.errors.map(formatSourceError).join("\n"));
    expect(r.ok).toBe(true);
  });

  const NAME = "expected a lower-case kebab-case name (a-z, 0-9, -)";
  const SLUG = "expected a GitHub team slug 'org/team'";
  const HHMM = "expected a time 'HH:MM' (24-hour)";
  const END = "expected a time 'HH:MM' (24-hour) or '24:00'";
  const DATE = "expected a date 'YYYY-MM-DD'";
  const EMPTY = 'got "", expected a non-empty string';
  const NONE = "got [], expected at least 1 item(s)";

  it.each<[string, Path, unknown, string]>([
    // version and top level
    ["version 2", ["version"], 2, "version: got 2, expected 1"],
    ["no version", ["version"], MISSING, "version: missing, expected 1"],
    ["no rules", ["rules"], [], `rules: ${NONE}`],
    ["an unknown top-level field", ["rule"], [], "rule: unknown field 'rule'"],
    // names
    ["a rule name with capitals", [...RULE, "name"], "Rule", `rules[0].name: got "Rule", ${NAME}`],
    ["a rule name starting with a dash", [...RULE, "name"], "-r", `rules[0].name: got "-r", ${NAME}`],
    ["a rule name ending in a capital", [...RULE, "name"], "rX", `rules[0].name: got "rX", ${NAME}`],
    ["a rule name with an underscore", [...RULE, "name"], "a_b", `rules[0].name: got "a_b", ${NAME}`],
    ["an empty rule name", [...RULE, "name"], "", `rules[0].name: got "", ${NAME}`],
    // teams
    [
      "a team slug without an org",
      ["teams", "platform"],
      "platform",
      `teams.platform: got "platform", ${SLUG}`,
    ],
    ["a team slug without a team", ["teams", "platform"], "org/", `teams.platform: got "org/", ${SLUG}`],
    [
      "a team slug starting with a dash",
      ["teams", "platform"],
      "-org/t",
      `teams.platform: got "-org/t", ${SLUG}`,
    ],
    [
      "a team slug with a space in the org",
      ["teams", "platform"],
      "o g/t",
      `teams.platform: got "o g/t", ${SLUG}`,
    ],
    [
      "a team slug ending in a space",
      ["teams", "platform"],
      "org/t ",
      `teams.platform: got "org/t ", ${SLUG}`,
    ],
    ["a team slug with two slashes", ["teams", "platform"], "o/t/x", `teams.platform: got "o/t/x", ${SLUG}`],
    [
      "a team name that is not kebab-case",
      ["teams"],
      { Platform: "org/platform" },
      'teams.Platform: got "org/platform", invalid key:',
    ],
    // environments
    [
      "an environment name that is not kebab-case",
      ["environments"],
      { Prod: {} },
      "environments.Prod: got {}, invalid key:",
    ],
    [
      "an environment with no paths listed",
      ["environments", "prod", "paths"],
      [],
      `environments.prod.paths: ${NONE}`,
    ],
    ["an empty path glob", ["environments", "prod", "paths", 0], "", `environments.prod.paths[0]: ${EMPTY}`],
    [
      "an empty stack glob",
      ["environments", "prod", "stacks", 0],
      "",
      `environments.prod.stacks[0]: ${EMPTY}`,
    ],
    ["no stacks listed", ["environments", "prod", "stacks"], [], `environments.prod.stacks: ${NONE}`],
    [
      "no addresses listed",
      ["environments", "prod", "addresses"],
      [],
      `environments.prod.addresses: ${NONE}`,
    ],
    [
      "an unknown environment field",
      ["environments", "prod", "path"],
      [],
      "environments.prod.path: unknown field 'path'",
    ],
    // separation of duties
    [
      "approver_outside_author_teams that is not a boolean",
      ["separation_of_duties", "approver_outside_author_teams"],
      "yes",
      'separation_of_duties.approver_outside_author_teams: got "yes", expected boolean',
    ],
    [
      "an empty ignored committer",
      ["separation_of_duties", "ignored_committers", 0],
      "",
      `separation_of_duties.ignored_committers[0]: ${EMPTY}`,
    ],
    [
      "an unknown separation field",
      ["separation_of_duties", "x"],
      1,
      "separation_of_duties.x: unknown field 'x'",
    ],
    // change windows
    [
      "a window with a bad name",
      ["change_windows", 0, "name"],
      "Office",
      `change_windows[0].name: got "Office", ${NAME}`,
    ],
    [
      "a window without a time zone",
      ["change_windows", 0, "time_zone"],
      MISSING,
      "change_windows[0].time_zone: missing, expected string",
    ],
    [
      "a window with an empty time zone",
      ["change_windows", 0, "time_zone"],
      "",
      `change_windows[0].time_zone: ${EMPTY}`,
    ],
    [
      "a window with an empty environment",
      ["change_windows", 0, "environments", 0],
      "",
      `change_windows[0].environments[0]: ${EMPTY}`,
    ],
    ["a window on no days", ["change_windows", 0, "days"], [], `change_windows[0].days: ${NONE}`],
    [
      "a window on a day that is not one",
      ["change_windows", 0, "days", 0],
      "monday",
      'change_windows[0].days[0]: got "monday", expected "mon"',
    ],
    [
      "a window from 24:00",
      ["change_windows", 0, "from"],
      "24:00",
      `change_windows[0].from: got "24:00", ${HHMM}`,
    ],
    [
      "a window from 20:60",
      ["change_windows", 0, "from"],
      "20:60",
      `change_windows[0].from: got "20:60", ${HHMM}`,
    ],
    [
      "a window from 9:00",
      ["change_windows", 0, "from"],
      "9:00",
      `change_windows[0].from: got "9:00", ${HHMM}`,
    ],
    [
      "a window from 30:00",
      ["change_windows", 0, "from"],
      "30:00",
      `change_windows[0].from: got "30:00", ${HHMM}`,
    ],
    [
      "a window from x09:00",
      ["change_windows", 0, "from"],
      "x09:00",
      `change_windows[0].from: got "x09:00", ${HHMM}`,
    ],
    [
      "a window from 09:00x",
      ["change_windows", 0, "from"],
      "09:00x",
      `change_windows[0].from: got "09:00x", ${HHMM}`,
    ],
    [
      "a window from 0900",
      ["change_windows", 0, "from"],
      "0900",
      `change_windows[0].from: got "0900", ${HHMM}`,
    ],
    ["a window to 24:01", ["change_windows", 0, "to"], "24:01", `change_windows[0].to: got "24:01", ${END}`],
    ["a window to 25:00", ["change_windows", 0, "to"], "25:00", `change_windows[0].to: got "25:00", ${END}`],
    ["a window to 17:60", ["change_windows", 0, "to"], "17:60", `change_windows[0].to: got "17:60", ${END}`],
    ["a window to 9:00", ["change_windows", 0, "to"], "9:00", `change_windows[0].to: got "9:00", ${END}`],
    [
      "a window to x24:00",
      ["change_windows", 0, "to"],
      "x24:00",
      `change_windows[0].to: got "x24:00", ${END}`,
    ],
    [
      "a window to 24:00x",
      ["change_windows", 0, "to"],
      "24:00x",
      `change_windows[0].to: got "24:00x", ${END}`,
    ],
    [
      "a window to x17:00",
      ["change_windows", 0, "to"],
      "x17:00",
      `change_windows[0].to: got "x17:00", ${END}`,
    ],
    [
      "a window to 17:00x",
      ["change_windows", 0, "to"],
      "17:00x",
      `change_windows[0].to: got "17:00x", ${END}`,
    ],
    ["an unknown window field", ["change_windows", 0, "x"], 1, "change_windows[0].x: unknown field 'x'"],
    // freezes
    [
      "a freeze with a bad name",
      ["freezes", 0, "name"],
      "New Year",
      `freezes[0].name: got "New Year", ${NAME}`,
    ],
    ["a freeze with an empty time zone", ["freezes", 0, "time_zone"], "", `freezes[0].time_zone: ${EMPTY}`],
    [
      "a freeze with an empty environment",
      ["freezes", 0, "environments", 0],
      "",
      `freezes[0].environments[0]: ${EMPTY}`,
    ],
    [
      "a freeze from a short year",
      ["freezes", 0, "from"],
      "26-12-24",
      `freezes[0].from: got "26-12-24", ${DATE}`,
    ],
    [
      "a freeze from a one-digit month",
      ["freezes", 0, "from"],
      "2026-1-24",
      `freezes[0].from: got "2026-1-24", ${DATE}`,
    ],
    [
      "a freeze from a one-digit day",
      ["freezes", 0, "from"],
      "2026-12-4",
      `freezes[0].from: got "2026-12-4", ${DATE}`,
    ],
    [
      "a freeze from a date with a prefix",
      ["freezes", 0, "from"],
      "x2026-12-24",
      `freezes[0].from: got "x2026-12-24", ${DATE}`,
    ],
    [
      "a freeze from a date and time",
      ["freezes", 0, "from"],
      "2026-12-24T00",
      `freezes[0].from: got "2026-12-24T00", ${DATE}`,
    ],
    [
      "a freeze to a bad date",
      ["freezes", 0, "to"],
      "2027/01/02",
      `freezes[0].to: got "2027/01/02", ${DATE}`,
    ],
    ["a freeze without a reason", ["freezes", 0, "reason"], "", `freezes[0].reason: ${EMPTY}`],
    ["an unknown freeze field", ["freezes", 0, "x"], 1, "freezes[0].x: unknown field 'x'"],
    // emergency
    ["an emergency with an empty label", ["emergency", "label"], "", `emergency.label: ${EMPTY}`],
    [
      "an emergency reason length of 0",
      ["emergency", "min_reason_length"],
      0,
      "emergency.min_reason_length: got 0, expected at least 1",
    ],
    [
      "a fractional emergency reason length",
      ["emergency", "min_reason_length"],
      2.5,
      "emergency.min_reason_length: got 2.5, expected int",
    ],
    [
      "an emergency without requires",
      ["emergency", "requires"],
      MISSING,
      "emergency.requires: missing, expected object",
    ],
    ["an unknown emergency field", ["emergency", "x"], 1, "emergency.x: unknown field 'x'"],
    // rules
    [
      "a description that is not text",
      [...RULE, "description"],
      1,
      "rules[0].description: got 1, expected string",
    ],
    ["no override teams", [...RULE, "override_teams"], [], `rules[0].override_teams: ${NONE}`],
    ["an empty override team", [...RULE, "override_teams", 0], "", `rules[0].override_teams[0]: ${EMPTY}`],
    [
      "a rule without requires",
      [...RULE, "requires"],
      MISSING,
      "rules[0].requires: missing, expected object",
    ],
    // requirements
    [
      "an approval count of 0",
      [...REQ],
      { approvals: { count: 0 } },
      "rules[0].requires.approvals.count: got 0, expected at least 1",
    ],
    [
      "an empty approving user",
      [...REQ],
      { approvals: { count: 1, from: { users: [""] } } },
      `rules[0].requires.approvals.from.users[0]: ${EMPTY}`,
    ],
    [
      "an empty approving team",
      [...REQ],
      { approvals: { count: 1, from: { teams: [""] } } },
      `rules[0].requires.approvals.from.teams[0]: ${EMPTY}`,
    ],
    [
      "organization that is not a boolean",
      [...REQ],
      { approvals: { count: 1, from: { organization: "yes" } } },
      'rules[0].requires.approvals.from.organization: got "yes", expected boolean',
    ],
    [
      "an unknown approvals field",
      [...REQ],
      { approvals: { count: 1, x: 1 } },
      "rules[0].requires.approvals.x: unknown field 'x'",
    ],
    [
      "an unknown from field",
      [...REQ],
      { approvals: { count: 1, from: { x: 1 } } },
      "rules[0].requires.approvals.from.x: unknown field 'x'",
    ],
    [
      "a distinct teams count of 0",
      [...REQ],
      { distinct_teams: { count: 0 } },
      "rules[0].requires.distinct_teams.count: got 0, expected at least 1",
    ],
    [
      "a fractional distinct teams count",
      [...REQ],
      { distinct_teams: { count: 1.5 } },
      "rules[0].requires.distinct_teams.count: got 1.5, expected int",
    ],
    [
      "an empty distinct team",
      [...REQ],
      { distinct_teams: { count: 1, teams: [""] } },
      `rules[0].requires.distinct_teams.teams[0]: ${EMPTY}`,
    ],
    [
      "an unknown distinct teams field",
      [...REQ],
      { distinct_teams: { count: 1, x: 1 } },
      "rules[0].requires.distinct_teams.x: unknown field 'x'",
    ],
    [
      "code owners false",
      [...REQ],
      { code_owners: false },
      "rules[0].requires.code_owners: got false, expected true",
    ],
    ["all of nothing", [...REQ], { all: [] }, `rules[0].requires.all: ${NONE}`],
    ["any of nothing", [...REQ], { any: [] }, `rules[0].requires.any: ${NONE}`],
    [
      "a bad requirement inside all",
      [...REQ],
      { all: [{ code_owners: 1 }] },
      "rules[0].requires.all[0].code_owners: got 1, expected true",
    ],
    [
      "a bad requirement inside any",
      [...REQ],
      { any: [{ code_owners: 1 }] },
      "rules[0].requires.any[0].code_owners: got 1, expected true",
    ],
    [
      "a requirement of no kind",
      [...REQ],
      {},
      "rules[0].requires: got {}, expected exactly one of approvals, distinct_teams, code_owners, all, any",
    ],
    [
      "a requirement of two kinds",
      [...REQ],
      { code_owners: true, any: [{ code_owners: true }] },
      "rules[0].requires: got {",
    ],
    [
      "an unknown requirement",
      [...REQ],
      { reviews: 1 },
      "rules[0].requires.reviews: unknown field 'reviews'",
    ],
    // predicates
    [
      "changed files with no include",
      [...IF, "changed_files", "include"],
      [],
      `rules[0].if.changed_files.include: ${NONE}`,
    ],
    [
      "changed files with an empty include",
      [...IF, "changed_files", "include", 0],
      "",
      `rules[0].if.changed_files.include[0]: ${EMPTY}`,
    ],
    [
      "changed files without include",
      [...IF, "changed_files", "include"],
      MISSING,
      "rules[0].if.changed_files.include: missing, expected array",
    ],
    [
      "changed files with an empty exclude",
      [...IF, "changed_files", "exclude", 0],
      "",
      `rules[0].if.changed_files.exclude[0]: ${EMPTY}`,
    ],
    [
      "an unknown changed files field",
      [...IF, "changed_files", "x"],
      1,
      "rules[0].if.changed_files.x: unknown field 'x'",
    ],
    ["no environments", [...IF, "environments"], [], `rules[0].if.environments: ${NONE}`],
    ["an empty environment", [...IF, "environments", 0], "", `rules[0].if.environments[0]: ${EMPTY}`],
    ["no plan actions", [...IF, "plan", "actions"], [], `rules[0].if.plan.actions: ${NONE}`],
    [
      "a plan action that is not one",
      [...IF, "plan", "actions", 0],
      "destroy",
      'rules[0].if.plan.actions[0]: got "destroy", expected "create"',
    ],
    ["no resource types", [...IF, "plan", "resource_types"], [], `rules[0].if.plan.resource_types: ${NONE}`],
    ["no addresses", [...IF, "plan", "addresses"], [], `rules[0].if.plan.addresses: ${NONE}`],
    ["an unknown plan field", [...IF, "plan", "x"], 1, "rules[0].if.plan.x: unknown field 'x'"],
    [
      "a severity that is not one",
      [...IF, "plan_findings", "severity_at_least"],
      "severe",
      'rules[0].if.plan_findings.severity_at_least: got "severe", expected "critical"',
    ],
    [
      "an empty finding rule",
      [...IF, "plan_findings", "rules", 0],
      "",
      `rules[0].if.plan_findings.rules[0]: ${EMPTY}`,
    ],
    [
      "an unknown plan findings field",
      [...IF, "plan_findings", "x"],
      1,
      "rules[0].if.plan_findings.x: unknown field 'x'",
    ],
    [
      "glossary findings false",
      [...IF, "glossary_findings"],
      false,
      "rules[0].if.glossary_findings: got false, expected true, or { rules: [glossary rule ids] }",
    ],
    [
      "glossary findings of no rules",
      [...IF, "glossary_findings"],
      { rules: [] },
      `rules[0].if.glossary_findings.rules: ${NONE}`,
    ],
    [
      "glossary findings of an empty rule",
      [...IF, "glossary_findings"],
      { rules: [""] },
      `rules[0].if.glossary_findings.rules[0]: ${EMPTY}`,
    ],
    [
      "glossary findings with an unknown field",
      [...IF, "glossary_findings"],
      { rules: ["g"], x: 1 },
      "rules[0].if.glossary_findings.x: unknown field 'x'",
    ],
    ["no labels", [...IF, "labels"], [], `rules[0].if.labels: ${NONE}`],
    ["an empty label", [...IF, "labels", 0], "", `rules[0].if.labels[0]: ${EMPTY}`],
    ["no base branches", [...IF, "base_branches"], [], `rules[0].if.base_branches: ${NONE}`],
    ["an empty base branch", [...IF, "base_branches", 0], "", `rules[0].if.base_branches[0]: ${EMPTY}`],
    ["no author teams", [...IF, "author_teams"], [], `rules[0].if.author_teams: ${NONE}`],
    ["an empty author team", [...IF, "author_teams", 0], "", `rules[0].if.author_teams[0]: ${EMPTY}`],
    [
      "no author-not-in teams",
      [...IF, "author_not_in_teams"],
      [],
      `rules[0].if.author_not_in_teams: ${NONE}`,
    ],
    [
      "an empty author-not-in team",
      [...IF, "author_not_in_teams", 0],
      "",
      `rules[0].if.author_not_in_teams[0]: ${EMPTY}`,
    ],
    [
      "a negative file count",
      [...IF, "size", "files_over"],
      -1,
      "rules[0].if.size.files_over: got -1, expected at least 0",
    ],
    [
      "a fractional file count",
      [...IF, "size", "files_over"],
      0.5,
      "rules[0].if.size.files_over: got 0.5, expected int",
    ],
    [
      "a negative line count",
      [...IF, "size", "lines_over"],
      -1,
      "rules[0].if.size.lines_over: got -1, expected at least 0",
    ],
    [
      "a fractional line count",
      [...IF, "size", "lines_over"],
      0.5,
      "rules[0].if.size.lines_over: got 0.5, expected int",
    ],
    ["an unknown size field", [...IF, "size", "x"], 1, "rules[0].if.size.x: unknown field 'x'"],
    [
      "policy_files_changed that is not a boolean",
      [...IF, "policy_files_changed"],
      "yes",
      'rules[0].if.policy_files_changed: got "yes", expected boolean',
    ],
    [
      "a negative monthly increase",
      [...IF, "cost", "monthly_increase_over"],
      -1,
      "rules[0].if.cost.monthly_increase_over: got -1, expected at least 0",
    ],
    [
      "a negative percent increase",
      [...IF, "cost", "percent_increase_over"],
      -1,
      "rules[0].if.cost.percent_increase_over: got -1, expected at least 0",
    ],
    [
      "a cost condition without a threshold",
      [...IF, "cost"],
      {},
      "rules[0].if.cost: got {}, expected monthly_increase_over (USD) and/or percent_increase_over",
    ],
    ["an unknown cost field", [...IF, "cost", "x"], 1, "rules[0].if.cost.x: unknown field 'x'"],
    ["an unknown condition", [...IF, "x"], 1, "rules[0].if.x: unknown field 'x'"],
  ])("rejects %s, naming the field", (_name, path, value, expected) => {
    const errors = errorsAfter(path, value);
    expect(
      errors.some((e) => e.startsWith(expected)),
      errors.join("\n"),
    ).toBe(true);
  });
});
