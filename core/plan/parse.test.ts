import { describe, expect, it } from "vitest";
import { PlanInputError, parsePlan } from "./parse.ts";
import { planObject, planText } from "./test/plans.ts";
import { ExactNumber, SENSITIVE, UNKNOWN } from "./values.ts";

function rejects(text: string, pattern: RegExp): void {
  try {
    parsePlan(text, "plan.json");
    expect.unreachable("expected a PlanInputError");
  } catch (error) {
    expect(error).toBeInstanceOf(PlanInputError);
    expect((error as Error).message).toMatch(/^plan\.json: /);
    expect((error as Error).message).toMatch(pattern);
  }
}

describe("parsePlan rejects input that is not plan JSON", () => {
  it("truncated JSON, with the position", () => {
    const text = planText([{ actions: ["create"], after: { a: 1 } }]);
    rejects(text.slice(0, 120), /truncated JSON: the text ends at line 1, column 121 \(byte 120\)/);
  });

  it("pretty-printed JSON cut after a line ending in }, which is not CI noise", () => {
    const text = JSON.stringify(planObject([{ actions: ["create"], after: { a: { b: 1 } } }]), null, 2);
    const cut = text.slice(0, text.indexOf("}") + 10);
    rejects(cut, /^plan\.json: truncated JSON: the text ends at line \d+/);
    const noisy = `[command]terraform show -json\n${cut}`;
    rejects(noisy, /non-JSON lines before the JSON \(CI log output\?\) and the JSON is truncated/);
  });

  it("binary input: a saved plan file (zip) and other bytes", () => {
    rejects("PK\u0003\u0004\u0014\u0000binary", /is a binary plan file \(zip\).*terraform show -json/);
    rejects("\u0000\u0001{}", /is binary data, not plan JSON/);
    rejects("\ufffd".repeat(20), /is binary data, not plan JSON/);
  });

  it("UTF-16 (PowerShell's `>`): named as such, not as binary data", () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(planText([]), "utf16le")]);
    rejects(bytes.toString("utf8"), /is UTF-16 text \(as Windows PowerShell's `>` writes\), expected UTF-8/);
  });

  it("a state file, both raw and as terraform show -json prints it", () => {
    rejects(
      '{"version":4,"serial":3,"lineage":"x","resources":[]}',
      /this is a Terraform state file, not a plan/,
    );
    rejects(
      '{"format_version":"1.0","values":{"root_module":{}}}',
      /this is a Terraform state file, not a plan/,
    );
  });

  it("an HTML error page", () => {
    rejects("<!DOCTYPE html><html><title>502 Bad Gateway</title></html>", /is an HTML page/);
  });

  it("an unsupported major format_version", () => {
    rejects(JSON.stringify({ ...planObject([]), format_version: "2.0" }), /unsupported format_version "2.0"/);
  });

  it("JSON that is not a plan", () => {
    rejects("[1,2]", /expected a JSON object/);
    rejects('{"a":1}', /no format_version/);
    rejects('{"format_version":"1.0","provider_schemas":{}}', /neither planned_values nor resource_changes/);
    rejects("", /is empty/);
    rejects("Terraform will perform the following actions:\n", /human-readable plan/);
  });

  it("a field of the wrong type, naming the field", () => {
    const plan = planObject([{ actions: ["create"] }]);
    (plan.resource_changes[0] as { change: { actions: unknown } }).change.actions = "create";
    rejects(
      JSON.stringify(plan),
      /resource_changes\[0\]\.change\.actions: expected an array of strings, got a string/,
    );
  });

  it("CI noise around JSON that is not one object", () => {
    rejects(
      `::group::show\n{"format_version":"1.0"}\n{"format_version":"1.0"}\n::endgroup::`,
      /non-JSON lines/,
    );
    rejects(
      `[command]terraform show -json\n{"format_version":"1.2","resource_`,
      /non-JSON lines before the JSON.*truncated/,
    );
  });
});

describe("parsePlan reads plans", () => {
  it("extracts the plan from CI log lines around it and says so", () => {
    const text = `[command]/usr/bin/terraform show -json plan.tfplan\n${planText([{ actions: ["create"] }])}\n::debug::exitcode: 0\n`;
    const plan = parsePlan(text);
    expect(plan.changes).toHaveLength(1);
    expect(plan.notes[0]).toMatch(/Ignored 1 non-JSON line\(s\) before and 1 after/);
  });

  it("treats absent resource_changes as no changes, and absent status fields as a complete plan", () => {
    const plan = parsePlan('{"format_version":"0.1","planned_values":{"root_module":{}}}');
    expect(plan.changes).toEqual([]);
    expect(plan).toMatchObject({ errored: false, complete: true, applyable: true });
  });

  it("classifies every action list", () => {
    const cases: [string[], string, Record<string, unknown>?][] = [
      [["no-op"], "noop"],
      [["create"], "create"],
      [["read"], "read"],
      [["update"], "update"],
      [["delete"], "delete"],
      [["forget"], "forget"],
      [["delete", "create"], "replace"],
      [["create", "delete"], "replace"],
      [["no-op"], "import", { importing: { id: "i-123" } }],
      [["update"], "import", { importing: { id: "i-123" } }],
      [["explode"], "unknown"],
      [[], "unknown"],
    ];
    const plan = parsePlan(
      planText(
        cases.map(([actions, , changeExtra], i) => ({
          actions,
          name: `r${i}`,
          ...(changeExtra ? { changeExtra } : {}),
        })),
      ),
    );
    expect(plan.changes.map((c) => c.kind)).toEqual(cases.map(([, kind]) => kind));
    expect(plan.changes[6]?.replaceOrder).toBe("delete-before-create");
    expect(plan.changes[7]?.replaceOrder).toBe("create-before-delete");
    expect(plan.changes[8]?.importing).toEqual({ id: "i-123" });
    expect(plan.changes.filter((c) => c.destructive).map((c) => c.kind)).toEqual([
      "delete",
      "replace",
      "replace",
      "unknown",
      "unknown",
    ]);
  });

  it("a no-op with previous_address is a move; an update with one is an update that shows the move", () => {
    const plan = parsePlan(
      planText([
        { actions: ["no-op"], name: "a", extra: { previous_address: "aws_instance.old_a" } },
        { actions: ["update"], name: "b", extra: { previous_address: "aws_instance.old_b" } },
      ]),
    );
    expect(plan.changes.map((c) => [c.kind, c.previousAddress])).toEqual([
      ["move", "aws_instance.old_a"],
      ["update", "aws_instance.old_b"],
    ]);
  });

  it("keeps action_reason and replace_paths", () => {
    const plan = parsePlan(
      planText([
        {
          actions: ["delete", "create"],
          before: { ami: "a" },
          after: { ami: "b" },
          extra: { action_reason: "replace_because_cannot_update" },
          changeExtra: { replace_paths: [["ami"], ["ebs_block_device", 0, "size"]] },
        },
      ]),
    );
    expect(plan.changes[0]).toMatchObject({
      actionReason: "replace_because_cannot_update",
      replacePaths: [["ami"], ["ebs_block_device", 0, "size"]],
    });
  });

  it("reads drift apart from planned changes, and outputs, deferred changes, checks and status", () => {
    const plan = parsePlan(
      JSON.stringify({
        ...planObject([{ actions: ["update"], before: { a: 1 }, after: { a: 2 } }]),
        resource_drift: [{ ...planObject([{ actions: ["update"], name: "drifted" }]).resource_changes[0] }],
        output_changes: {
          url: { actions: ["create"], before: null, after: "https://x", after_unknown: false },
        },
        deferred_changes: [
          {
            reason: "instance_count_unknown",
            resource_change: planObject([{ actions: ["create"] }]).resource_changes[0],
          },
        ],
        checks: [
          {
            address: { kind: "check", name: "health", to_display: "check.health" },
            status: "fail",
            instances: [
              { address: { to_display: "check.health" }, status: "fail", problems: [{ message: "down" }] },
            ],
          },
        ],
        errored: true,
        complete: false,
        applyable: false,
      }),
    );
    expect(plan.changes.map((c) => c.address)).toEqual(["aws_instance.this"]);
    expect(plan.drift.map((c) => c.address)).toEqual(["aws_instance.drifted"]);
    expect(plan.outputs).toEqual([
      {
        name: "url",
        actions: ["create"],
        kind: "create",
        sensitive: false,
        before: null,
        after: "https://x",
      },
    ]);
    expect(plan.deferred.map((d) => d.reason)).toEqual(["instance_count_unknown"]);
    expect(plan.checks).toEqual([
      { address: "check.health", kind: "check", status: "fail", problems: ["down"] },
    ]);
    expect(plan).toMatchObject({ errored: true, complete: false, applyable: false });
  });

  it("derives the module from the address without splitting keys on dots", () => {
    const address = 'module.a["x.y"].aws_instance.b["k.1"]';
    const plan = parsePlan(planText([{ actions: ["create"], address }]));
    expect(plan.changes[0]?.moduleAddress).toBe('module.a["x.y"]');
    expect(plan.changes[0]?.address).toBe(address);
  });

  it("masks sensitive and unknown values at parse time", () => {
    const plan = parsePlan(
      planText([
        {
          actions: ["update"],
          before: { password: "old-secret", tags: { a: "1" }, list: ["p", "q"] },
          after: { password: "new-secret", tags: { a: "2" }, list: ["p", "r"] },
          beforeSensitive: { password: true, list: [false, true] },
          afterSensitive: { password: true, list: [false, true] },
          afterUnknown: { id: true },
        },
      ]),
    );
    const change = plan.changes[0];
    expect(change?.before).toEqual({ password: SENSITIVE, tags: { a: "1" }, list: ["p", SENSITIVE] });
    expect(change?.after).toEqual({
      password: SENSITIVE,
      tags: { a: "2" },
      list: ["p", SENSITIVE],
      id: UNKNOWN,
    });
  });

  it("hides on both sides what either side marks sensitive, without inventing elements", () => {
    const plan = parsePlan(
      planText([
        {
          // A provider upgrade newly marks `password`: before_sensitive does not flag the old plaintext.
          actions: ["update"],
          before: { password: "old-plaintext", list: ["a", "old-item"], gone: "x" },
          after: { password: "new-secret", list: ["a"] },
          beforeSensitive: { list: [false, true], gone: true },
          afterSensitive: { password: true },
        },
      ]),
    );
    const change = plan.changes[0];
    expect(change?.before).toEqual({ password: SENSITIVE, list: ["a", SENSITIVE], gone: SENSITIVE });
    expect(change?.after).toEqual({ password: SENSITIVE, list: ["a"] });
    expect(JSON.stringify(plan)).not.toContain("plaintext");
  });

  it("keeps numbers beyond 2^53 exact", () => {
    const text = planText([{ actions: ["create"], after: { big: 1, small: 2 } }]).replace(
      '"big":1',
      '"big":123456789012345678901',
    );
    const plan = parsePlan(text);
    const after = plan.changes[0]?.after as Record<string, unknown>;
    expect(after.big).toEqual(new ExactNumber("123456789012345678901"));
    expect(after.small).toBe(2);
  });
});

describe("parsePlan never rejects a plan for a defect in an auxiliary section", () => {
  // Terraform 1.0.0 wrote resource_drift entries without an address.
  const driftWithoutAddress = (extra: Record<string, unknown>) => {
    const { address: _drop, ...entry } = planObject([
      { actions: ["update"], before: { a: 1 }, after: { a: 2 } },
    ]).resource_changes[0] as Record<string, unknown>;
    return { ...entry, ...extra };
  };

  it("derives a drift entry's address from module address, mode, type, name and index", () => {
    const plan = parsePlan(
      JSON.stringify({
        ...planObject([{ actions: ["create"] }]),
        terraform_version: "1.0.0",
        resource_drift: [
          driftWithoutAddress({
            module_address: 'module.net["eu"]',
            type: "aws_vpc",
            name: "main",
            index: 0,
          }),
          driftWithoutAddress({ mode: "data", type: "aws_ami", name: "base", index: "a b" }),
          driftWithoutAddress({ type: "aws_s3_bucket", name: "logs" }),
        ],
      }),
    );
    expect(plan.drift.map((d) => [d.address, d.moduleAddress])).toEqual([
      ['module.net["eu"].aws_vpc.main[0]', 'module.net["eu"]'],
      ['data.aws_ami.base["a b"]', ""],
      ["aws_s3_bucket.logs", ""],
    ]);
    expect(plan.warnings).toHaveLength(3);
    expect(plan.warnings[0]).toContain("resource_drift[0] has no address");
  });

  it("derives the address of a drift entry whose address is null, and names a wrong module_address", () => {
    const plan = parsePlan(
      JSON.stringify({
        ...planObject([{ actions: ["create"] }]),
        resource_drift: [
          driftWithoutAddress({ address: null, type: "aws_sqs_queue", name: "q" }),
          driftWithoutAddress({ module_address: 3, type: "aws_vpc", name: "main" }),
        ],
      }),
    );
    expect(plan.drift.map((d) => d.address)).toEqual(["aws_sqs_queue.q"]);
    expect(plan.warnings.join("\n")).toContain("resource_drift[1].module_address: expected a string");
  });

  it("leaves out an unreadable drift entry or check with a warning naming it", () => {
    const plan = parsePlan(
      JSON.stringify({
        ...planObject([{ actions: ["create"] }]),
        resource_drift: [{ type: "aws_vpc" }, "junk"],
        checks: [{ address: { to_display: "check.ok", kind: "check" }, status: "pass" }, 7],
      }),
    );
    expect(plan.changes).toHaveLength(1);
    expect(plan.drift).toEqual([]);
    expect(plan.checks.map((c) => c.address)).toEqual(["check.ok"]);
    expect(plan.warnings).toEqual([
      "resource_drift[0].name: expected a string, got nothing (the field is missing); this resource_drift entry was left out.",
      "resource_drift[1]: expected an object, got a string; this resource_drift entry was left out.",
      "checks[1]: expected an object, got a number; this checks entry was left out.",
    ]);
  });

  it("leaves out an unreadable deferred change with a warning; the plan stays incomplete", () => {
    const plan = parsePlan(
      JSON.stringify({
        ...planObject([{ actions: ["create"] }]),
        complete: false,
        deferred_changes: [{ reason: "instance_count_unknown", resource_change: { type: "aws_instance" } }],
      }),
    );
    expect(plan.deferred).toEqual([]);
    expect(plan.complete).toBe(false);
    expect(plan.warnings).toEqual([
      "deferred_changes[0].resource_change.name: expected a string, got nothing (the field is missing); this deferred_changes entry was left out.",
    ]);
  });

  it("ignores a drift section that is not an array, with a warning", () => {
    const plan = parsePlan(JSON.stringify({ ...planObject([]), resource_drift: { x: 1 } }));
    expect(plan.warnings).toEqual([
      "resource_drift: expected an array, got an object; the section was ignored.",
    ]);
  });

  it("still rejects a defect in resource_changes, which the review is about", () => {
    expect(() =>
      parsePlan(JSON.stringify({ ...planObject([]), resource_changes: [{ type: "aws_vpc", name: "x" }] })),
    ).toThrow(PlanInputError);
  });
});
