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
