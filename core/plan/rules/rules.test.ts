import { describe, expect, it } from "vitest";
import { parsePlan } from "../parse.ts";
import { reviewPlan } from "../review.ts";
import { type ChangeSpec, planText } from "../test/plans.ts";

function findings(specs: ChangeSpec[], extra: Record<string, unknown> = {}) {
  return reviewPlan(parsePlan(planText(specs, extra))).findings.map((f) => [f.rule, f.severity, f.address]);
}

const policy = (statement: Record<string, unknown>) =>
  JSON.stringify({ Version: "2012-10-17", Statement: [statement] });

describe("risk findings", () => {
  it("deleting or replacing stateful resources is critical; other deletes are medium", () => {
    expect(
      findings([
        { type: "aws_db_instance", name: "db", actions: ["delete"], before: { id: "x" } },
        {
          type: "aws_s3_bucket",
          name: "b",
          actions: ["create", "delete"],
          before: { id: "x" },
          after: { id: "y" },
        },
        { type: "aws_kms_key", name: "k", actions: ["delete", "create"], before: { id: "x" }, after: {} },
        { type: "aws_instance", name: "vm", actions: ["delete"], before: { id: "x" } },
        { type: "aws_sqs_queue", name: "q", actions: ["create"], after: { id: "x" } },
      ]),
    ).toEqual([
      ["stateful-delete", "critical", "aws_db_instance.db"],
      ["stateful-delete", "critical", "aws_s3_bucket.b"],
      ["stateful-delete", "critical", "aws_kms_key.k"],
      ["resource-delete", "medium", "aws_instance.vm"],
    ]);
  });

  it("an unknown action list needs approval", () => {
    expect(findings([{ type: "aws_instance", actions: ["teleport"] }])).toEqual([
      ["unknown-action", "high", "aws_instance.this"],
    ]);
  });

  it("IAM changes, trust changes and wildcards", () => {
    const trust = (service: string) =>
      policy({ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" });
    expect(
      findings([
        {
          type: "aws_iam_role",
          name: "r",
          actions: ["update"],
          before: { assume_role_policy: trust("ec2.amazonaws.com") },
          after: { assume_role_policy: trust("lambda.amazonaws.com") },
        },
        {
          type: "aws_iam_policy",
          name: "p",
          actions: ["create"],
          after: { policy: policy({ Effect: "Allow", Action: "*", Resource: "*" }) },
        },
        {
          type: "aws_iam_role_policy",
          name: "s3",
          actions: ["create"],
          after: { policy: policy({ Effect: "Allow", Action: ["s3:*"], Resource: "arn:aws:s3:::b/*" }) },
        },
        {
          type: "aws_iam_role_policy",
          name: "deny",
          actions: ["create"],
          after: { policy: policy({ Effect: "Deny", Action: "*", Resource: "*" }) },
        },
      ]),
    ).toEqual([
      ["iam-wildcard", "critical", "aws_iam_policy.p"],
      ["iam-trust", "high", "aws_iam_role.r"],
      ["iam-wildcard", "high", "aws_iam_policy.p"],
      ["iam-wildcard", "high", "aws_iam_role_policy.s3"],
      ["iam-change", "medium", "aws_iam_policy.p"],
      ["iam-change", "medium", "aws_iam_role_policy.s3"],
      ["iam-change", "medium", "aws_iam_role_policy.deny"],
    ]);
  });

  it("a resource policy open to any principal is critical exposure", () => {
    expect(
      findings([
        {
          type: "aws_s3_bucket_policy",
          actions: ["create"],
          after: {
            policy: policy({
              Effect: "Allow",
              Principal: "*",
              Action: "s3:GetObject",
              Resource: "arn:aws:s3:::b/*",
            }),
          },
        },
      ]),
    ).toEqual([["public-exposure", "critical", "aws_s3_bucket_policy.this"]]);
  });

  it("ingress newly opened to 0.0.0.0/0 or ::/0, not ingress that was open already or egress", () => {
    const ingress = (cidr: string, from: number, to: number) => ({
      cidr_blocks: [cidr],
      ipv6_cidr_blocks: [],
      from_port: from,
      to_port: to,
      protocol: "tcp",
    });
    expect(
      findings([
        {
          type: "aws_security_group",
          name: "web",
          actions: ["update"],
          before: { ingress: [ingress("0.0.0.0/0", 443, 443)] },
          after: { ingress: [ingress("0.0.0.0/0", 443, 443), ingress("0.0.0.0/0", 22, 22)] },
        },
        {
          type: "aws_security_group_rule",
          name: "v6",
          actions: ["create"],
          after: {
            type: "ingress",
            ipv6_cidr_blocks: ["::/0"],
            from_port: 8080,
            to_port: 8080,
            protocol: "tcp",
          },
        },
        {
          type: "aws_security_group_rule",
          name: "egress",
          actions: ["create"],
          after: { type: "egress", cidr_blocks: ["0.0.0.0/0"], from_port: 0, to_port: 0, protocol: "-1" },
        },
        {
          type: "aws_network_acl_rule",
          name: "all",
          actions: ["create"],
          after: { egress: false, rule_action: "allow", cidr_block: "0.0.0.0/0", protocol: "-1" },
        },
        {
          type: "aws_vpc_security_group_ingress_rule",
          name: "private",
          actions: ["create"],
          after: { cidr_ipv4: "10.0.0.0/8", ip_protocol: "tcp", from_port: 22, to_port: 22 },
        },
      ]),
    ).toEqual([
      ["open-ingress", "critical", "aws_security_group.web"],
      ["open-ingress", "critical", "aws_network_acl_rule.all"],
      ["open-ingress", "high", "aws_security_group_rule.v6"],
    ]);
  });

  it("encryption, deletion protection, backups and logging turned off", () => {
    expect(
      findings([
        {
          type: "aws_db_instance",
          name: "db",
          actions: ["update"],
          before: { deletion_protection: true, backup_retention_period: 7, storage_encrypted: true },
          after: { deletion_protection: false, backup_retention_period: 0, storage_encrypted: true },
        },
        {
          type: "aws_cloudtrail",
          name: "t",
          actions: ["update"],
          before: { enable_logging: true },
          after: { enable_logging: false },
        },
        { type: "aws_ebs_volume", name: "v", actions: ["create"], after: { encrypted: false } },
        { type: "aws_flow_log", name: "f", actions: ["delete"], before: { id: "x" } },
        {
          type: "aws_db_instance",
          name: "same",
          actions: ["update"],
          before: { deletion_protection: false },
          after: { deletion_protection: false },
        },
      ]),
    ).toEqual([
      ["protection-off", "high", "aws_db_instance.db"],
      ["protection-off", "high", "aws_db_instance.db"],
      ["protection-off", "high", "aws_cloudtrail.t"],
      ["protection-off", "high", "aws_flow_log.f"],
      ["protection-off", "medium", "aws_ebs_volume.v"],
      ["resource-delete", "medium", "aws_flow_log.f"],
    ]);
  });

  it("public exposure: publicly_accessible, S3 public access and ACLs, a public EKS endpoint", () => {
    expect(
      findings([
        {
          type: "aws_db_instance",
          name: "db",
          actions: ["update"],
          before: { publicly_accessible: false },
          after: { publicly_accessible: true },
        },
        {
          type: "aws_s3_bucket_public_access_block",
          name: "pab",
          actions: ["update"],
          before: { block_public_acls: true, block_public_policy: true },
          after: { block_public_acls: false, block_public_policy: true },
        },
        { type: "aws_s3_bucket_acl", name: "acl", actions: ["create"], after: { acl: "public-read" } },
        {
          type: "aws_eks_cluster",
          name: "eks",
          actions: ["update"],
          before: { vpc_config: [{ endpoint_public_access: false }] },
          after: { vpc_config: [{ endpoint_public_access: true, public_access_cidrs: ["0.0.0.0/0"] }] },
        },
        {
          type: "aws_eks_cluster",
          name: "restricted",
          actions: ["create"],
          after: { vpc_config: [{ endpoint_public_access: true, public_access_cidrs: ["203.0.113.0/24"] }] },
        },
      ]).filter(([rule]) => rule === "public-exposure"),
    ).toEqual([
      ["public-exposure", "high", "aws_db_instance.db"],
      ["public-exposure", "high", "aws_s3_bucket_public_access_block.pab"],
      ["public-exposure", "high", "aws_s3_bucket_acl.acl"],
      ["public-exposure", "high", "aws_eks_cluster.eks"],
    ]);
  });

  it("drift, errored and incomplete plans, failed checks", () => {
    const drifted = JSON.parse(planText([{ actions: ["update"], name: "d" }])).resource_changes;
    expect(
      findings([], {
        errored: true,
        complete: false,
        resource_drift: drifted,
        checks: [{ address: { kind: "check", to_display: "check.up" }, status: "fail", instances: [] }],
      }),
    ).toEqual([
      ["plan-errored", "critical", ""],
      ["plan-incomplete", "high", ""],
      ["check-failed", "high", "check.up"],
      ["drift", "medium", "aws_instance.d"],
    ]);
  });
});
