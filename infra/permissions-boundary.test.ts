import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { Aspects, TerraformStack, Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { PermissionsBoundaryAspect } from "./permissions-boundary.ts";

const ARN = "arn:aws:iam::111111111111:policy/dev-role-boundary";
const trust = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
});

function stackWith(...boundaries: (string | undefined)[]) {
  const stack = new TerraformStack(Testing.app(), "dev-platform");
  boundaries.forEach((permissionsBoundary, i) => {
    new IamRole(stack, `role-${i}`, {
      assumeRolePolicy: trust,
      ...(permissionsBoundary ? { permissionsBoundary } : {}),
    });
  });
  Aspects.of(stack).add(new PermissionsBoundaryAspect(ARN));
  return stack;
}

describe("PermissionsBoundaryAspect", () => {
  it("sets the boundary on every role and keeps one that already matches", () => {
    const stack = stackWith(undefined, ARN);
    const json = JSON.parse(Testing.synth(stack)) as {
      resource: { aws_iam_role: Record<string, { permissions_boundary?: string }> };
    };
    const roles = Object.values(json.resource.aws_iam_role);
    expect(roles).toHaveLength(2);
    expect(roles.map((r) => r.permissions_boundary)).toEqual([ARN, ARN]);
  });

  it("refuses a role that sets another boundary, naming it", () => {
    const stack = stackWith("arn:aws:iam::111111111111:policy/dev-other");
    expect(() => Testing.synth(stack)).toThrow(
      /IAM role 'dev-platform\/role-0' sets permissionsBoundary to "arn:aws:iam::111111111111:policy\/dev-other"/,
    );
  });
});
