import { describe, expect, it } from "vitest";
import { resources, synthStack, testStack } from "../test/stack.ts";
import { CiIdentity, type CiIdentityProps } from "./ci-identity.ts";
import { evaluate, type Request } from "./test/evaluate.ts";

const ACCOUNT = "111111111111";
const base: CiIdentityProps = {
  repository: "acme/platform",
  stateBucketArn: "arn:aws:s3:::prod-tfstate-111111111111",
  stateKmsKeyArn: "arn:aws:kms:eu-west-1:111111111111:key/0f0e0d0c-0000-4000-8000-000000000000",
};
const iam = (resource: string) => `arn:aws:iam::${ACCOUNT}:${resource}`;
const BOUNDARY = iam("policy/prod-role-boundary");

/** Policy documents of the bootstrap stack, with the partition and account data sources resolved. */
function build(props: Partial<CiIdentityProps> = {}) {
  const stack = testStack("prod", "prod-bootstrap");
  const ci = new CiIdentity(stack, "ci", { ...base, ...props });
  const json = synthStack(stack);
  const resolve = (doc: unknown) =>
    String(doc)
      .replace(/\$\{data\.aws_partition\.[\w-]+\.partition\}/g, "aws")
      .replace(/\$\{data\.aws_caller_identity\.[\w-]+\.account_id\}/g, ACCOUNT)
      .replace(/\$\{data\.aws_region\.[\w-]+\.(?:region|name)\}/g, "eu-west-1");
  const byName = (type: string, name: string) => {
    const found = Object.values(resources(json, type)).find((r) => r.name === name);
    if (!found) throw new Error(`no ${type} ${name}`);
    return resolve(found.policy);
  };
  return {
    ci,
    json,
    apply: byName("aws_iam_role_policy", "prod-ci-apply-policy"),
    boundary: byName("aws_iam_policy", "prod-role-boundary"),
  };
}

const withBoundary = (arn: string) => ({ "iam:PermissionsBoundary": arn });

describe("the apply role and the workload boundary", () => {
  const { ci, apply, boundary } = build();
  const can = (request: Request) => evaluate(apply, request);

  it("names the boundary from glossary terms and exposes its ARN", () => {
    expect(ci.boundaryPolicyName).toBe("prod-role-boundary");
    expect(ci.boundaryPolicyArn).toMatch(/:iam::.+:policy\/prod-role-boundary$/);
  });

  it("grants the role-granting actions only with iam:PermissionsBoundary equal to the boundary", () => {
    const statements = JSON.parse(apply).Statement as { Sid: string; Condition?: unknown }[];
    const bySid = Object.fromEntries(statements.map((s) => [s.Sid, s]));
    const actions = [
      "iam:CreateRole",
      "iam:PutRolePermissionsBoundary",
      "iam:PutRolePolicy",
      "iam:AttachRolePolicy",
    ];
    expect(bySid.GrantEnvironmentRolesWithinBoundary).toEqual({
      Sid: "GrantEnvironmentRolesWithinBoundary",
      Effect: "Allow",
      Action: actions,
      Resource: iam("role/prod-*"),
      Condition: { StringEquals: { "iam:PermissionsBoundary": BOUNDARY } },
    });
    expect(bySid.DenyRolesOutsideBoundary).toEqual({
      Sid: "DenyRolesOutsideBoundary",
      Effect: "Deny",
      Action: actions,
      Resource: "*",
      Condition: { StringNotEquals: { "iam:PermissionsBoundary": BOUNDARY } },
    });
  });

  it("closes the escalation: no role without the boundary, with another one, or freed from it", () => {
    const role = iam("role/prod-x");
    for (const action of [
      "iam:CreateRole",
      "iam:PutRolePolicy",
      "iam:AttachRolePolicy",
      "iam:PutRolePermissionsBoundary",
    ]) {
      expect(can({ action, resource: role }), `${action} without boundary`).toBe("deny");
      expect(
        can({ action, resource: role, context: withBoundary(iam("policy/prod-other")) }),
        `${action} with another boundary`,
      ).toBe("deny");
      expect(can({ action, resource: role, context: withBoundary(BOUNDARY) }), action).toBe("allow");
      expect(
        can({ action, resource: iam("role/staging-x"), context: withBoundary(BOUNDARY) }),
        `${action} outside the prefix`,
      ).not.toBe("allow");
    }
    expect(can({ action: "iam:DeleteRolePermissionsBoundary", resource: role })).toBe("deny");
  });

  it("cannot change or delete the boundary policy itself", () => {
    for (const action of [
      "iam:CreatePolicyVersion",
      "iam:DeletePolicy",
      "iam:SetDefaultPolicyVersion",
      "iam:DeletePolicyVersion",
    ]) {
      expect(can({ action, resource: BOUNDARY }), action).toBe("deny");
    }
    expect(can({ action: "iam:GetPolicyVersion", resource: BOUNDARY })).toBe("allow");
  });

  it("keeps what apply already did: workload policies, role upkeep, passing roles", () => {
    const policy = iam("policy/prod-orders-policy");
    for (const action of ["iam:CreatePolicy", "iam:CreatePolicyVersion", "iam:DeletePolicy"])
      expect(can({ action, resource: policy }), action).toBe("allow");
    const role = iam("role/prod-eks-node-role");
    for (const action of [
      "iam:DeleteRole",
      "iam:UpdateAssumeRolePolicy",
      "iam:TagRole",
      "iam:PassRole",
      "iam:DetachRolePolicy",
      "iam:DeleteRolePolicy",
    ])
      expect(can({ action, resource: role }), action).toBe("allow");
    expect(
      can({ action: "iam:AddRoleToInstanceProfile", resource: iam("instance-profile/prod-nodes") }),
    ).toBe("allow");
  });

  it("still may not attach AdministratorAccess, even to a bounded role", () => {
    expect(
      can({
        action: "iam:AttachRolePolicy",
        resource: iam("role/prod-x"),
        context: {
          ...withBoundary(BOUNDARY),
          "iam:PolicyARN": "arn:aws:iam::aws:policy/AdministratorAccess",
        },
      }),
    ).toBe("deny");
  });

  describe("the boundary", () => {
    const caps = (request: Request) => evaluate(boundary, request);

    const home = { "aws:RequestedRegion": "eu-west-1" };
    it("allows what the platform's service roles and workloads use, in the environment's region", () => {
      expect(caps({ action: "ec2:CreateNetworkInterface", resource: "*", context: home })).toBe("allow");
      expect(caps({ action: "eks-auth:AssumeRoleForPodIdentity", resource: "*", context: home })).toBe(
        "allow",
      );
      expect(
        caps({
          action: "sqs:SendMessage",
          resource: "arn:aws:sqs:eu-west-1:1:prod-orders-queue",
          context: home,
        }),
      ).toBe("allow");
      expect(caps({ action: "s3:GetObject", resource: "arn:aws:s3:::prod-app-data/x", context: home })).toBe(
        "allow",
      );
      expect(caps({ action: "sts:AssumeRole", resource: iam("role/prod-orders-role"), context: home })).toBe(
        "allow",
      );
      expect(
        caps({
          action: "iam:CreateServiceLinkedRole",
          resource: iam(
            "role/aws-service-role/elasticloadbalancing.amazonaws.com/AWSServiceRoleForElasticLoadBalancing",
          ),
        }),
      ).toBe("allow");
    });

    it("denies IAM writes, boundary changes, Organizations, account and the Terraform state", () => {
      for (const [action, resource] of [
        ["iam:CreateRole", iam("role/prod-x")],
        ["iam:PutRolePolicy", iam("role/prod-eks-node-role")],
        ["iam:UpdateAssumeRolePolicy", iam("role/prod-eks-node-role")],
        ["iam:CreatePolicyVersion", BOUNDARY],
        ["iam:DeleteRolePermissionsBoundary", iam("role/prod-x")],
        ["iam:PassRole", iam("role/prod-x")],
        ["iam:CreateAccessKey", iam("user/someone")],
        ["organizations:LeaveOrganization", "*"],
        ["account:PutAlternateContact", "*"],
        ["s3:PutObject", `${base.stateBucketArn}/prod-platform.tfstate`],
        ["kms:Decrypt", base.stateKmsKeyArn],
      ] as const) {
        expect(caps({ action, resource }), `${action} on ${resource}`).toBe("deny");
      }
    });

    it("closes the escalation paths: foreign roles, SSM commands, key policies, open buckets, other regions", () => {
      for (const [action, resource] of [
        ["sts:AssumeRole", "arn:aws:iam::999999999999:role/prod-orders-role"],
        ["sts:AssumeRole", iam("role/platform-admin")],
        ["sts:AssumeRole", iam("role/staging-orders-role")],
        ["ssm:SendCommand", "*"],
        ["ssm:StartSession", "arn:aws:ec2:eu-west-1:111111111111:instance/i-1"],
        ["ssm:StartAutomationExecution", "*"],
        ["kms:PutKeyPolicy", "arn:aws:kms:eu-west-1:111111111111:key/k"],
        ["s3:PutBucketPolicy", "arn:aws:s3:::prod-app-data"],
      ] as const) {
        expect(caps({ action, resource, context: home }), `${action} on ${resource}`).toBe("deny");
      }
      expect(caps({ action: "ssm:GetParameter", resource: "*", context: home })).toBe("allow");
      expect(
        caps({ action: "ec2:RunInstances", resource: "*", context: { "aws:RequestedRegion": "us-east-1" } }),
      ).toBe("implicit-deny");
    });
  });

  it("lets bounded roles copy backups into the backup copy region, and nothing else there", () => {
    const copies = build({ backupCopyRegions: ["eu-central-1"] }).boundary;
    const there = { "aws:RequestedRegion": "eu-central-1" };
    expect(evaluate(copies, { action: "backup:CopyIntoBackupVault", resource: "*", context: there })).toBe(
      "allow",
    );
    expect(evaluate(copies, { action: "rds:CopyDBSnapshot", resource: "*", context: there })).toBe("allow");
    expect(evaluate(copies, { action: "ec2:RunInstances", resource: "*", context: there })).toBe(
      "implicit-deny",
    );
    expect(evaluate(boundary, { action: "backup:CopyIntoBackupVault", resource: "*", context: there })).toBe(
      "implicit-deny",
    );
  });

  it("lets bounded roles pass the node role to EC2 (Karpenter), and no role to anything else", () => {
    const nodeRole = iam("role/prod-eks-node-role");
    const passing = build({ passableRoleNames: ["prod-eks-node-role"] }).boundary;
    const to = (service: string) => ({ "iam:PassedToService": service });
    expect(
      evaluate(passing, { action: "iam:PassRole", resource: nodeRole, context: to("ec2.amazonaws.com") }),
    ).toBe("allow");
    expect(
      evaluate(passing, { action: "iam:PassRole", resource: nodeRole, context: to("lambda.amazonaws.com") }),
    ).toBe("deny");
    expect(
      evaluate(passing, {
        action: "iam:PassRole",
        resource: iam("role/prod-x"),
        context: to("ec2.amazonaws.com"),
      }),
    ).toBe("deny");
    expect(
      evaluate(boundary, { action: "iam:PassRole", resource: nodeRole, context: to("ec2.amazonaws.com") }),
    ).toBe("deny");
    expect(evaluate(passing, { action: "pricing:GetProducts", resource: "*" })).toBe("allow");
  });

  it("refuses boundary services that would defeat it", () => {
    expect(() => build({ boundaryServices: ["iam"] })).toThrow(
      /WorkloadBoundary: services\[0\] must be an IAM service prefix .* got "iam"/,
    );
    expect(() => build({ boundaryServices: ["ec2", "*"] })).toThrow(/services\[1\] .* got "\*"/);
    expect(() => build({ boundaryServices: [] })).toThrow(/at least one service/);
  });
});
