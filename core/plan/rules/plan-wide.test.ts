import { describe, expect, it } from "vitest";
import { parsePlan } from "../parse.ts";
import { planText, resourceChange } from "../test/plans.ts";
import { planWideFindings } from "./plan-wide.ts";

const findings = (extra: Record<string, unknown>) => planWideFindings(parsePlan(planText([], extra)));

const check = (display: string, kind: string | undefined, status: string, problems: string[] = []) => ({
  address: { to_display: display, ...(kind === undefined ? {} : { kind }) },
  status,
  instances: [
    { address: { to_display: display }, status, problems: problems.map((message) => ({ message })) },
  ],
});

describe("plan-wide findings", () => {
  it("an errored plan is critical and an incomplete one high, each saying why it must not be applied as is", () => {
    expect(findings({ errored: true, complete: false })).toEqual([
      {
        rule: "plan-errored",
        severity: "critical",
        address: "",
        reason: "terraform reported errors while planning: this plan is partial and must not be applied.",
      },
      {
        rule: "plan-incomplete",
        severity: "high",
        address: "",
        reason: "the plan is incomplete: applying it leaves changes for a later plan (see deferred changes).",
      },
    ]);
    expect(findings({ errored: false, complete: true })).toEqual([]);
  });

  it("each deferred change is a medium finding naming the resource and terraform's reason", () => {
    const deferred = (name: string, reason: string) => ({
      reason,
      resource_change: resourceChange({ type: "aws_instance", name, actions: ["create"] }),
    });
    expect(
      findings({
        deferred_changes: [deferred("a", "instance_count_unknown"), deferred("b", "provider_config_unknown")],
      }),
    ).toEqual([
      {
        rule: "plan-incomplete",
        severity: "medium",
        address: "aws_instance.a",
        resourceType: "aws_instance",
        reason: "change deferred to a later plan (instance_count_unknown).",
      },
      {
        rule: "plan-incomplete",
        severity: "medium",
        address: "aws_instance.b",
        resourceType: "aws_instance",
        reason: "change deferred to a later plan (provider_config_unknown).",
      },
    ]);
  });

  it("a failed or errored check is high, with its kind and problems; passed and unknown checks are not findings", () => {
    expect(
      findings({
        checks: [
          check("check.health", "check", "fail", ["status was 503", "took 30s"]),
          check("aws_instance.web", "resource", "error"),
          check("output.url", undefined, "fail"),
          check("check.ok", "check", "pass"),
          check("check.later", "check", "unknown"),
        ],
      }).map((f) => [f.rule, f.severity, f.address, f.reason]),
    ).toEqual([
      ["check-failed", "high", "check.health", "check failed: status was 503; took 30s"],
      ["check-failed", "high", "aws_instance.web", "resource errored."],
      ["check-failed", "high", "output.url", "check failed."],
    ]);
  });

  it("drift names the resource and what changed outside Terraform", () => {
    const drift = [
      resourceChange({ type: "aws_s3_bucket", name: "logs", actions: ["update"] }),
      resourceChange({ type: "aws_instance", name: "vm", actions: ["delete", "create"] }),
    ];
    expect(findings({ resource_drift: drift })).toEqual([
      {
        rule: "drift",
        severity: "medium",
        address: "aws_s3_bucket.logs",
        resourceType: "aws_s3_bucket",
        reason: "changed outside Terraform (update) since the last apply.",
      },
      {
        rule: "drift",
        severity: "medium",
        address: "aws_instance.vm",
        resourceType: "aws_instance",
        reason: "changed outside Terraform (delete, create) since the last apply.",
      },
    ]);
  });
});
