import { describe, expect, it } from "vitest";
import { PlanInputError, parsePlan } from "./parse.ts";
import { planObject, planText, resourceChange } from "./test/plans.ts";
import { ExactNumber, SENSITIVE, UNKNOWN } from "./values.ts";

function messageOf(text: string, source?: string): string {
  try {
    if (source === undefined) parsePlan(text);
    else parsePlan(text, source);
  } catch (error) {
    expect(error).toBeInstanceOf(PlanInputError);
    return (error as Error).message;
  }
  return expect.unreachable("expected a PlanInputError");
}

const plan = (extra: Record<string, unknown>) => JSON.stringify({ ...planObject([]), ...extra });
const warningsOf = (extra: Record<string, unknown>) => parsePlan(plan(extra), "p.json").warnings;

describe("parsePlan errors name the source, the field and what was expected", () => {
  it("is a PlanInputError by name, from the source 'plan' when none is given", () => {
    try {
      parsePlan("");
    } catch (error) {
      expect((error as Error).name).toBe("PlanInputError");
    }
    expect(messageOf("")).toMatch(/^plan: is empty/);
    expect(parsePlan(planText([])).source).toBe("plan");
  });

  it("top-level fields of the wrong type", () => {
    expect(messageOf(plan({ terraform_version: 3 }), "p.json")).toBe(
      "p.json: terraform_version: expected a string, got a number",
    );
    expect(messageOf(plan({ errored: "yes" }), "p.json")).toBe(
      "p.json: errored: expected true or false, got a string",
    );
    expect(messageOf(plan({ complete: 1 }), "p.json")).toBe(
      "p.json: complete: expected true or false, got a number",
    );
    expect(messageOf(plan({ applyable: [] }), "p.json")).toBe(
      "p.json: applyable: expected true or false, got an array",
    );
    expect(messageOf(plan({ resource_changes: {} }), "p.json")).toBe(
      "p.json: resource_changes: expected an array, got an object",
    );
    expect(messageOf(plan({ format_version: 1.2 }), "p.json")).toBe(
      'p.json: format_version: expected a version string such as "1.2", got a number',
    );
  });

  it("an action list holding a non-string", () => {
    expect(messageOf(planText([{ actions: ["create", 1] as unknown as string[] }]), "p.json")).toBe(
      "p.json: resource_changes[0].change.actions: expected an array of strings, got an array",
    );
  });

  it("output_changes that are not objects, and their actions", () => {
    expect(messageOf(plan({ output_changes: [] }), "p.json")).toBe(
      "p.json: output_changes: expected an object, got an array",
    );
    expect(messageOf(plan({ output_changes: { url: 5 } }), "p.json")).toBe(
      'p.json: output_changes["url"]: expected an object, got a number',
    );
    expect(messageOf(plan({ output_changes: { url: { actions: "create" } } }), "p.json")).toBe(
      'p.json: output_changes["url"].actions: expected an array of strings, got a string',
    );
  });

  it("a format_version that does not start with a supported major version, quoting at most 20 characters", () => {
    for (const version of ["v1.2", "1.", "1.x", "01.0", "10.0", "2.0"]) {
      expect(messageOf(plan({ format_version: version }), "p.json")).toContain(
        `unsupported format_version ${JSON.stringify(version)}`,
      );
    }
    for (const version of ["0.1", "1.0", "1.12"]) {
      expect(parsePlan(plan({ format_version: version })).formatVersion).toBe(version);
    }
    expect(messageOf(plan({ format_version: `2.${"0".repeat(40)}` }), "p.json")).toBe(
      `p.json: unsupported format_version "2.${"0".repeat(18)}": Sluice reads plan JSON format 0.x and 1.x`,
    );
  });
});

describe("parsePlan treats null as absent", () => {
  it("null terraform_version, status flags, resource_changes, output_changes and drift", () => {
    const parsed = parsePlan(
      plan({
        terraform_version: null,
        errored: null,
        complete: null,
        applyable: null,
        resource_changes: null,
        output_changes: null,
        resource_drift: null,
      }),
    );
    expect("terraformVersion" in parsed).toBe(false);
    expect(parsed).toMatchObject({
      errored: false,
      complete: true,
      applyable: true,
      changes: [],
      outputs: [],
    });
    expect(parsed.warnings).toEqual([]);
    expect(parsePlan(planText([])).terraformVersion).toBe("1.9.8");
  });
});

describe("parsePlan tells plans from state files", () => {
  it("a plan with a values key is still a plan when it has resource_changes or planned_values", () => {
    const withChanges = { format_version: "1.2", resource_changes: [], values: {} };
    expect(parsePlan(JSON.stringify(withChanges)).changes).toEqual([]);
    const withPlanned = { format_version: "1.2", planned_values: { root_module: {} }, values: {} };
    expect(parsePlan(JSON.stringify(withPlanned)).changes).toEqual([]);
  });

  it("state needs resources with a lineage or a serial", () => {
    expect(messageOf('{"serial":3,"resources":[]}')).toMatch(/Terraform state file/);
    expect(messageOf('{"lineage":"x","resources":[]}')).toMatch(/Terraform state file/);
    expect(messageOf('{"resources":[]}')).toMatch(/no format_version/);
    expect(messageOf('{"lineage":"x","serial":3}')).toMatch(/no format_version/);
  });
});

describe("parsePlan reads changes and outputs", () => {
  it("a previous_address equal to the address is no move", () => {
    const parsed = parsePlan(
      planText([{ actions: ["no-op"], extra: { previous_address: "aws_instance.this" } }]),
    );
    expect(parsed.changes[0]?.kind).toBe("noop");
  });

  it("masks an output terraform's configuration marks sensitive, and only that one", () => {
    const parsed = parsePlan(
      plan({
        configuration: {
          root_module: { outputs: { secret: { sensitive: true }, open: { sensitive: false }, odd: 1 } },
        },
        output_changes: {
          secret: { actions: ["update"], before: "old-pw", after: "new-pw" },
          open: { actions: ["update"], before: "a", after: "b" },
          odd: { actions: ["create"], before: null, after: "c" },
        },
      }),
    );
    expect(parsed.outputs.map((o) => [o.name, o.sensitive, o.before, o.after])).toEqual([
      ["secret", true, SENSITIVE, SENSITIVE],
      ["open", false, "a", "b"],
      ["odd", false, null, "c"],
    ]);
  });

  it("masks an output flagged sensitive on either side; an unknown sensitive value stays unknown", () => {
    const parsed = parsePlan(
      plan({
        output_changes: {
          b: { actions: ["update"], before: "x", after: "y", before_sensitive: true },
          a: { actions: ["update"], before: "x", after: "y", after_sensitive: true },
          u: { actions: ["update"], before: "x", after: null, after_sensitive: true, after_unknown: true },
          k: { actions: ["update"], before: "x", after: "y", after_sensitive: true, after_unknown: false },
        },
      }),
    );
    expect(parsed.outputs.map((o) => [o.name, o.sensitive, o.before, o.after])).toEqual([
      ["b", true, SENSITIVE, SENSITIVE],
      ["a", true, SENSITIVE, SENSITIVE],
      ["u", true, SENSITIVE, UNKNOWN],
      ["k", true, SENSITIVE, SENSITIVE],
    ]);
  });
});

describe("parsePlan warns about unreadable checks and deferred changes", () => {
  it("names the check field of the wrong type", () => {
    const check = (extra: Record<string, unknown>) => warningsOf({ checks: [{ status: "pass", ...extra }] });
    const tail = "; this checks entry was left out.";
    expect(check({ address: { to_display: 5 } })).toEqual([
      `checks[0].address.to_display: expected a string, got a number${tail}`,
    ]);
    expect(check({ address: { kind: 5 } })).toEqual([
      `checks[0].address.kind: expected a string, got a number${tail}`,
    ]);
    expect(check({ instances: "x" })).toEqual([
      `checks[0].instances: expected an array, got a string${tail}`,
    ]);
    expect(check({ instances: [{ problems: "x" }] })).toEqual([
      `checks[0].instances[].problems: expected an array, got a string${tail}`,
    ]);
    expect(check({ status: 5 })).toEqual([`checks[0].status: expected a string, got a number${tail}`]);
  });

  it("reads a check without address or status as an unnamed check of unknown status", () => {
    const parsed = parsePlan(plan({ checks: [{}] }));
    expect(parsed.checks).toEqual([{ address: "", kind: "", status: "unknown", problems: [] }]);
  });

  it("names the deferred change field of the wrong type, and reads a missing reason as unknown", () => {
    const change = resourceChange({ actions: ["create"] });
    expect(warningsOf({ deferred_changes: ["junk"] })).toEqual([
      "deferred_changes[0]: expected an object, got a string; this deferred_changes entry was left out.",
    ]);
    expect(warningsOf({ deferred_changes: [{ reason: 5, resource_change: change }] })).toEqual([
      "deferred_changes[0].reason: expected a string, got a number; this deferred_changes entry was left out.",
    ]);
    expect(parsePlan(plan({ deferred_changes: [{ resource_change: change }] })).deferred[0]?.reason).toBe(
      "unknown",
    );
  });
});

describe("parsePlan reports bad JSON with its position", () => {
  it("a truncated text with trailing whitespace: the byte where the JSON ends", () => {
    expect(messageOf('{"a":\n\n', "p.json")).toBe(
      "p.json: truncated JSON: the text ends at line 1, column 6 (byte 5) before the plan JSON is complete",
    );
  });

  it("invalid JSON, with the line and column when known", () => {
    expect(messageOf('{"a":1,}', "p.json")).toBe(
      "p.json: invalid JSON at line 1, column 8: Expected double-quoted property name",
    );
    expect(messageOf('{"a":NaN}', "p.json")).toBe("p.json: invalid JSON: unexpected character");
    expect(messageOf('{"a":1}\n{"b":2}', "p.json")).toMatch(/^p\.json: invalid JSON at line 2, column 1: /);
    expect(messageOf("{x\nfoo\nbar", "p.json")).toBe(
      "p.json: invalid JSON at line 1, column 2: Expected property name or '}'",
    );
  });

  it("text that is not JSON, XML or HTML", () => {
    expect(messageOf("noise }\nmore", "p.json")).toBe(
      'p.json: is not JSON: expected a JSON object starting with "{" (the output of `terraform show -json <planfile>`)',
    );
    expect(messageOf('<?xml version="1.0"?>', "p.json")).toBe("p.json: is XML or HTML, not plan JSON");
    expect(messageOf("<foo><html>", "p.json")).toBe("p.json: is XML or HTML, not plan JSON");
    expect(messageOf("\n  <!DOCTYPE html><html></html>", "p.json")).toMatch(/^p\.json: is an HTML page/);
  });

  it("binary data: eight replacement characters, or a NUL within the first 8 KiB", () => {
    expect(messageOf(`${"\ufffd".repeat(8)}x`)).toMatch(/is binary data/);
    expect(messageOf(`${"\ufffd".repeat(7)}x`)).toMatch(/is not JSON/);
    expect(messageOf(`{"a":${" ".repeat(9000)}\u0000`, "p.json")).toBe(
      "p.json: invalid JSON: unexpected character",
    );
  });

  it("CI noise around JSON that does not parse: the position within the extracted part", () => {
    expect(messageOf('noise\n{\n"a":1,\n}\nnoise', "p.json")).toBe(
      "p.json: has non-JSON lines around the JSON (CI log output?) and the text between them is not one JSON object: the extracted part: invalid JSON at line 3, column 1: Expected double-quoted property name",
    );
  });
});

describe("parsePlan extracts the plan from CI noise", () => {
  const body = planText([{ actions: ["create"] }]);

  it("counts the non-blank lines before and after, whitespace-only lines are blank", () => {
    const parsed = parsePlan(`log 1\n\n   \nlog 2\n${body}\n\n \t\nlog 3\n`);
    expect(parsed.changes).toHaveLength(1);
    expect(parsed.notes).toEqual([
      "Ignored 2 non-JSON line(s) before and 1 after the plan JSON (CI log output?).",
    ]);
  });

  it("noise only after the plan", () => {
    expect(parsePlan(`${body}\nlog`).notes).toEqual([
      "Ignored 0 non-JSON line(s) before and 1 after the plan JSON (CI log output?).",
    ]);
  });

  it("an indented plan line and a plan line with trailing spaces", () => {
    expect(parsePlan(`log\n   ${body}`).notes).toHaveLength(1);
    expect(parsePlan(`log\n${body}   \nlog`).notes).toHaveLength(1);
  });

  it("a plan with a byte order mark and nothing around it needs no note", () => {
    const parsed = parsePlan(`\ufeff${body}`);
    expect(parsed.changes).toHaveLength(1);
    expect(parsed.notes).toEqual([]);
  });
});

describe("parsePlan keeps numbers beyond 2^53 exact in every section", () => {
  const big = new ExactNumber("123456789012345678901");
  const withBig = (text: string) => text.replaceAll('"BIG"', "123456789012345678901");

  it("in drift, deferred changes and outputs", () => {
    const drift = [
      resourceChange({ actions: ["update"], name: "a", before: 1, after: 2 }),
      resourceChange({ actions: ["update"], name: "b", before: 1, after: "BIG" }),
    ];
    expect(parsePlan(withBig(plan({ resource_drift: drift }))).drift[1]?.after).toEqual(big);
    const deferred = [
      { reason: "r", resource_change: resourceChange({ actions: ["create"], after: "BIG" }) },
    ];
    expect(parsePlan(withBig(plan({ deferred_changes: deferred }))).deferred[0]?.change.after).toEqual(big);
    const outputs = {
      a: { actions: ["update"], before: 1, after: 2 },
      b: { actions: ["update"], before: 1, after: "BIG" },
    };
    expect(parsePlan(withBig(plan({ output_changes: outputs }))).outputs[1]?.after).toEqual(big);
    const before = { b: { actions: ["update"], before: "BIG", after: 1 } };
    expect(parsePlan(withBig(plan({ output_changes: before }))).outputs[0]?.before).toEqual(big);
  });
});

describe("parsePlan names JSON behind CI log lines", () => {
  it("only a line starting with { (after spaces or tabs) starts the JSON", () => {
    const notJson =
      'p.json: is not JSON: expected a JSON object starting with "{" (the output of `terraform show -json <planfile>`)';
    expect(messageOf('log {"a":1}', "p.json")).toBe(notJson);
    expect(messageOf('log line\nx{"a":1}', "p.json")).toBe(notJson);
    // Cut short, but not a JSON object: named as not JSON, not as truncated.
    expect(messageOf("[1,", "p.json")).toBe(notJson);
  });

  it("JSON after log lines that is not one object, with the position in the JSON part", () => {
    expect(messageOf('log\n{"a":1} x', "p.json")).toBe(
      "p.json: has non-JSON lines before the JSON (CI log output?) and the JSON is unusable: the JSON part: invalid JSON at line 1, column 9: Unexpected non-whitespace character after JSON at position 8",
    );
    expect(messageOf('log\n\t{"a":', "p.json")).toBe(
      "p.json: has non-JSON lines before the JSON (CI log output?) and the JSON is unusable: the JSON part: truncated JSON: the text ends at line 1, column 7 (byte 6) before the plan JSON is complete",
    );
  });

  it("truncated pretty-printed JSON after log lines, with the position in the JSON part", () => {
    const text = JSON.stringify(planObject([{ actions: ["create"], after: { a: { b: 1 } } }]), null, 2);
    const cut = text.slice(0, text.indexOf("}") + 10);
    expect(messageOf(`log {\nlog\n${cut}`, "p.json")).toBe(
      "p.json: has non-JSON lines before the JSON (CI log output?) and the JSON is truncated: the JSON part: truncated JSON: the text ends at line 7, column 4 (byte 113) before the plan JSON is complete",
    );
    expect(messageOf(`log\n  ${cut}`, "p.json")).toMatch(
      /and the JSON is truncated: the JSON part: truncated JSON: the text ends at line 7, column 4 \(byte 115\)/,
    );
  });
});
