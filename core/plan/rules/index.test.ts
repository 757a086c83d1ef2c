import { describe, expect, it } from "vitest";
import { parsePlan } from "../parse.ts";
import { type ChangeSpec, planText } from "../test/plans.ts";
import { findingsOf } from "./index.ts";

const findings = (specs: ChangeSpec[], extra: Record<string, unknown> = {}) =>
  findingsOf(parsePlan(planText(specs, extra))).map((f) => `${f.severity} ${f.rule} ${f.address}`);

const doc = (statement: Record<string, unknown>) =>
  JSON.stringify({ Version: "2012-10-17", Statement: [statement] });

describe("findingsOf", () => {
  it("runs every change rule and lists findings most severe first, then plan-wide, then in plan order", () => {
    expect(
      findings(
        [
          { type: "aws_instance", name: "gone", actions: ["delete"], before: { id: "x" } },
          { type: "aws_instance", name: "odd", actions: ["teleport"] },
          {
            type: "aws_iam_role",
            name: "r",
            actions: ["update"],
            before: { assume_role_policy: "{}" },
            after: {
              assume_role_policy: doc({ Effect: "Allow", Action: "s3:*", Resource: "arn:aws:s3:::b" }),
            },
          },
          {
            type: "aws_security_group",
            name: "ssh",
            actions: ["create"],
            after: { ingress: [{ cidr_blocks: ["0.0.0.0/0"], protocol: "tcp", from_port: 22, to_port: 22 }] },
          },
          { type: "aws_cloudtrail", name: "t", actions: ["delete"], before: { id: "x" } },
          { type: "aws_db_instance", name: "db", actions: ["create"], after: { publicly_accessible: true } },
        ],
        { errored: true },
      ),
    ).toEqual([
      "critical plan-errored ",
      "critical open-ingress aws_security_group.ssh",
      "high unknown-action aws_instance.odd",
      "high iam-trust aws_iam_role.r",
      "high iam-wildcard aws_iam_role.r",
      "high protection-off aws_cloudtrail.t",
      "high public-exposure aws_db_instance.db",
      "medium resource-delete aws_instance.gone",
      "medium resource-delete aws_cloudtrail.t",
    ]);
  });

  it("keeps plan order among findings of one severity however many there are", () => {
    const names = Array.from({ length: 30 }, (_, i) => `n${String(i).padStart(2, "0")}`);
    const specs: ChangeSpec[] = names.flatMap((name, i) => [
      { type: "aws_instance", name, actions: ["delete"], before: { id: "x" } },
      ...(i % 3 === 0 ? [{ type: "aws_kms_key", name, actions: ["delete"], before: { id: "x" } }] : []),
    ]);
    const out = findings(specs);
    expect(out.filter((f) => f.startsWith("medium"))).toEqual(
      names.map((n) => `medium resource-delete aws_instance.${n}`),
    );
    expect(out.filter((f) => f.startsWith("critical"))).toEqual(
      names.filter((_, i) => i % 3 === 0).map((n) => `critical stateful-delete aws_kms_key.${n}`),
    );
    expect(out.slice(0, 10).every((f) => f.startsWith("critical"))).toBe(true);
  });

  it("a plan with nothing risky has no findings", () => {
    expect(findings([{ type: "aws_instance", actions: ["create"], after: { id: "x" } }])).toEqual([]);
  });
});
