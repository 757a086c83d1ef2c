import { describe, expect, it } from "vitest";
import { planDigest } from "../digest.ts";
import { change, counts, finding, reviewOf } from "../test/reviews.ts";
import { SENSITIVE, UNKNOWN } from "../values.ts";
import { renderText } from "./text.ts";

describe("renderText", () => {
  it("writes an empty plan as its heading, counts, terraform's summary and the digest", () => {
    expect(renderText(reviewOf(), { digest: "d1" })).toBe(
      [
        "Terraform plan review",
        "",
        "create 0, update 0, replace 0, delete 0, import 0, move 0, read 0, forget 0, no-op 0",
        "Plan: 0 to add, 0 to change, 0 to destroy.",
        "",
        "Plan digest d1",
        "",
      ].join("\n"),
    );
  });

  it("computes the digest when none is given", () => {
    const r = reviewOf();
    expect(renderText(r)).toContain(`\nPlan digest ${planDigest(r)}\n`);
  });

  it("warns of an errored or incomplete plan, then notes and warnings on one line each", () => {
    const r = reviewOf({
      errored: true,
      complete: false,
      notes: ["note one"],
      warnings: ["bad\nentry"],
      counts: counts({ unknown: 2 }),
      summary: { import: 1, add: 2, change: 3, destroy: 4 },
    });
    expect(renderText(r, { digest: "d" }).split("\n").slice(0, 8)).toEqual([
      "Terraform plan review",
      "",
      "! Terraform reported errors while planning: this plan is partial.",
      "! The plan is incomplete: some changes are deferred.",
      "note one",
      "warning: bad\\u000aentry",
      "create 0, update 0, replace 0, delete 0, import 0, move 0, read 0, forget 0, no-op 0, unknown 2",
      "Plan: 1 to import, 2 to add, 3 to change, 4 to destroy.",
    ]);
  });

  it("lists findings with padded severities, plan-wide ones as (plan)", () => {
    const r = reviewOf({
      findings: [finding("critical", "r1", "aws_x.a\n", "reason\tone"), finding("low", "r2", "", "two")],
    });
    const text = renderText(r, { digest: "d" });
    expect(text).toContain(
      "\n\nFindings (2):\n  critical r1  aws_x.a\\u000a: reason\\u0009one\n  low      r2  (plan): two\n\nPlan digest",
    );
  });

  it("lists changes in review order with their diffs, leaves out no-ops and diffs of reads", () => {
    const r = reviewOf({
      changes: [
        change("aws_x.upd", {
          before: { a: 1, gone: "x", same: 1 },
          after: { a: 2, added: UNKNOWN, same: 1 },
        }),
        change("aws_x.nop", { kind: "noop", actions: ["no-op"] }),
        change("aws_x.rd", { kind: "read", actions: ["read"], before: null, after: { a: 1 } }),
        change("aws_x.del", {
          kind: "delete",
          before: { id: "i" },
          after: null,
          actionReason: "delete_because_no_resource_config",
          deposed: "abc",
        }),
        change("aws_x.mv\n", { previousAddress: "aws_x.old\n", before: { p: 1 }, after: { p: SENSITIVE } }),
      ],
    });
    expect(renderText(r, { digest: "d" })).toContain(
      [
        "",
        "Changes:",
        "aws_x.del: destroy (delete_because_no_resource_config; deposed abc)",
        '    - id = "i"',
        "aws_x.mv\\u000a: move, then update in-place (moved from aws_x.old\\u000a)",
        "    ~ p = 1 -> (sensitive)",
        "aws_x.upd: update in-place",
        "    ~ a = 1 -> 2",
        '    - gone = "x"',
        "    + added = (known after apply)",
        "aws_x.rd: read",
        "",
        "Plan digest d",
      ].join("\n"),
    );
  });

  it("shows values up to 400 characters in diffs and 200 in outputs", () => {
    const long = "x".repeat(500);
    const r = reviewOf({
      changes: [change("aws_x.a", { before: { v: long }, after: { v: "y" } })],
      outputs: [
        { name: "o", actions: ["create"], kind: "create", sensitive: false, before: null, after: long },
      ],
    });
    const text = renderText(r, { digest: "d" });
    expect(text).toContain(`    ~ v = "${"x".repeat(399)}… (102 more chars) -> "y"\n`);
    expect(text).toContain(`  o: create = "${"x".repeat(199)}… (302 more chars)\n`);
  });

  it("shows drift, changing outputs and checks", () => {
    const r = reviewOf({
      drift: [change("aws_x.d", { before: { a: 1 }, after: { a: 2 } })],
      outputs: [
        { name: "same", actions: ["no-op"], kind: "noop", sensitive: false, before: 1, after: 1 },
        { name: "o\n", actions: ["update"], kind: "update", sensitive: true, before: 1, after: SENSITIVE },
      ],
      checks: [
        { address: "check.a", kind: "check", status: "fail", problems: ["p1", "p2"] },
        { address: "", kind: "resource", status: "pass", problems: [] },
      ],
    });
    expect(renderText(r, { digest: "d" })).toContain(
      [
        "",
        "Drift (changed outside Terraform):",
        "aws_x.d: update in-place",
        "    ~ a = 1 -> 2",
        "",
        "Outputs:",
        "  o\\u000a: update = (sensitive)",
        "",
        "check check.a: fail: p1; p2",
        "check resource: pass",
        "Plan digest d",
        "",
      ].join("\n"),
    );
  });

  it("masks secrets of well-known shapes anywhere in the text", () => {
    const key = "AKIAIOSFODNN7EXAMPLE";
    const text = renderText(reviewOf({ notes: [key] }), { digest: "d" });
    expect(text).not.toContain(key);
  });

  it("paints with ANSI codes per kind and severity when asked", () => {
    const esc = (code: number, text: string) => `\u001b[${code}m${text}\u001b[0m`;
    const r = reviewOf({
      errored: true,
      complete: false,
      notes: ["n"],
      warnings: ["w"],
      findings: [
        finding("critical", "c", "a"),
        finding("high", "h", "a"),
        finding("medium", "m", "a"),
        finding("low", "l", "a"),
        finding("info", "i", "a"),
      ],
      changes: [
        change("aws_x.c", { kind: "create", before: null, after: { a: 1 } }),
        change("aws_x.u", { before: { a: 1 }, after: null }),
        change("aws_x.d", { kind: "delete" }),
        change("aws_x.r", { kind: "replace", actions: ["delete", "create"] }),
        change("aws_x.k", { kind: "unknown", actions: ["warp"] }),
        change("aws_x.i", { kind: "import", actions: ["no-op"] }),
        change("aws_x.m", { kind: "move", actions: ["no-op"] }),
        change("aws_x.f", { kind: "forget", actions: ["forget"] }),
        change("aws_x.rd", { kind: "read", actions: ["read"] }),
      ],
      drift: [change("aws_x.dr", { before: { a: 1 }, after: { a: 2 } })],
      outputs: [{ name: "o", actions: ["create"], kind: "create", sensitive: false, before: null, after: 1 }],
    });
    const lines = renderText(r, { color: true, digest: "d" }).split("\n");
    const title = (code: number, address: string, label: string) =>
      `${esc(code, esc(1, address))}: ${esc(code, label)}`;
    expect(lines).toEqual([
      esc(1, "Terraform plan review"),
      "",
      esc(31, "! Terraform reported errors while planning: this plan is partial."),
      esc(33, "! The plan is incomplete: some changes are deferred."),
      esc(2, "n"),
      esc(33, "warning: w"),
      "create 0, update 0, replace 0, delete 0, import 0, move 0, read 0, forget 0, no-op 0",
      "Plan: 0 to add, 0 to change, 0 to destroy.",
      "",
      esc(1, "Findings (5):"),
      `  ${esc(31, "critical")} c  a: why`,
      `  ${esc(31, "high    ")} h  a: why`,
      `  ${esc(33, "medium  ")} m  a: why`,
      `  ${esc(36, "low     ")} l  a: why`,
      `  ${esc(2, "info    ")} i  a: why`,
      "",
      esc(1, "Changes:"),
      title(31, "aws_x.k", "unknown actions [warp]: needs approval"),
      title(31, "aws_x.d", "destroy"),
      title(35, "aws_x.r", "replace (destroy, then create)"),
      title(33, "aws_x.f", "forget (remove from state, keep the object)"),
      title(33, "aws_x.u", "update in-place"),
      esc(31, "    - a = 1"),
      title(32, "aws_x.c", "create"),
      esc(32, "    + a = 1"),
      title(36, "aws_x.i", "import"),
      title(36, "aws_x.m", "move"),
      title(2, "aws_x.rd", "read"),
      "",
      esc(1, "Drift (changed outside Terraform):"),
      title(33, "aws_x.dr", "update in-place"),
      esc(33, "    ~ a = 1 -> 2"),
      "",
      esc(1, "Outputs:"),
      "  o: create = 1",
      "",
      "Plan digest d",
      "",
    ]);
  });
});
