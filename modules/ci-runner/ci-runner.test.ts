import { describe, expect, it } from "vitest";
import { resourcesOf, synthJson, testStack } from "../test/stack.ts";
import { gh } from "../test/workflows.ts";
import {
  CiRunner,
  type CiRunnerProps,
  runnerLabel,
  runnerProjectNameFor,
  WORKFLOW_JOB_QUEUED,
} from "./ci-runner.ts";

const base: CiRunnerProps = {
  repository: "acme/platform",
  connectionArn:
    "arn:aws:codeconnections:eu-west-1:111111111111:connection/0d0e0f10-1111-4111-8111-111111111111",
  vpcId: "vpc-0abc",
  subnetIds: ["subnet-0a", "subnet-0b"],
  clusterSecurityGroupId: "sg-0cluster",
};

function build(props: Partial<CiRunnerProps> = {}, environment = "dev") {
  const stack = testStack(environment, `${environment}-platform`);
  const runner = new CiRunner(stack, "runner", { ...base, ...props });
  const json = synthJson(stack);
  const all = (type: string) => Object.values(resourcesOf(json, type));
  const one = (type: string) => {
    const found = all(type);
    if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
    return found[0] as Record<string, unknown>;
  };
  return { stack, runner, json, all, one };
}

describe("CiRunner", () => {
  it("is a CodeBuild project in the given private subnets, started by queued GitHub workflow jobs", () => {
    const { one, runner } = build();
    const project = one("aws_codebuild_project");
    expect(project).toMatchObject({
      name: "dev-ci-runner",
      artifacts: { type: "NO_ARTIFACTS" },
      source: {
        type: "GITHUB",
        location: "https://github.com/acme/platform.git",
        auth: { type: "CODECONNECTIONS", resource: base.connectionArn },
      },
      vpc_config: { vpc_id: "vpc-0abc", subnets: ["subnet-0a", "subnet-0b"] },
    });
    expect((project.environment as Record<string, unknown>).privileged_mode).toBe(false);
    expect(one("aws_codebuild_webhook")).toMatchObject({
      build_type: "BUILD",
      filter_group: [{ filter: [{ type: "EVENT", pattern: WORKFLOW_JOB_QUEUED }] }],
    });
    expect(runner.projectName).toBe("dev-ci-runner");
    expect(runnerProjectNameFor(testStack("prod"))).toBe("prod-ci-runner");
    expect(runnerLabel("prod-ci-runner")).toBe(
      `codebuild-prod-ci-runner-${gh("github.run_id")}-${gh("github.run_attempt")}`,
    );
  });

  it("reaches the cluster API on 443 and leaves the VPC only on 443", () => {
    const { one, all } = build();
    const ingress = one("aws_vpc_security_group_ingress_rule");
    expect(ingress).toMatchObject({
      security_group_id: "sg-0cluster",
      ip_protocol: "tcp",
      from_port: 443,
      to_port: 443,
    });
    expect(String(ingress.referenced_security_group_id)).toMatch(/^\$\{aws_security_group\..+\.id\}$/);
    expect(ingress.cidr_ipv4).toBeUndefined();
    expect(all("aws_vpc_security_group_egress_rule")).toEqual([
      expect.objectContaining({ ip_protocol: "tcp", from_port: 443, to_port: 443, cidr_ipv4: "0.0.0.0/0" }),
    ]);
    const vpc = (one("aws_codebuild_project").vpc_config ?? {}) as Record<string, unknown>;
    expect(vpc.security_group_ids).toEqual([String(ingress.referenced_security_group_id)]);
  });

  it("holds no AWS permissions beyond its logs, its network interfaces and the GitHub connection", () => {
    const { one } = build();
    const statements = JSON.parse(String(one("aws_iam_role_policy").policy)).Statement as {
      Action: string | string[];
      Resource: string | string[];
    }[];
    const actions = statements.flatMap((s) => [s.Action].flat());
    expect(actions.every((a) => /^(logs|ec2|codeconnections|codestar-connections):/.test(a))).toBe(true);
    expect(actions.some((a) => a.endsWith(":*") || a === "*")).toBe(false);
    const trust = JSON.parse(String(one("aws_iam_role").assume_role_policy)).Statement[0];
    expect(trust.Principal).toEqual({ Service: "codebuild.amazonaws.com" });
    // Build logs go to an encrypted log group with retention.
    expect(one("aws_cloudwatch_log_group")).toMatchObject({
      name: "dev-ci-runner-logs",
      retention_in_days: 90,
    });
  });

  it("rejects bad props naming the prop, the value and what was expected", () => {
    expect(() => build({ connectionArn: "arn:aws:iam::111111111111:role/x" })).toThrow(
      'CiRunner: connectionArn must be a CodeConnections connection ARN (arn:aws:codeconnections:<region>:<account>:connection/<uuid>), got "arn:aws:iam::111111111111:role/x"',
    );
    expect(() => build({ repository: "acme/*" })).toThrow("CiRunner: repository must be");
    expect(() => build({ subnetIds: [] })).toThrow("CiRunner: subnetIds must be at least one private subnet");
    expect(() => build({ buildTimeoutMinutes: 1 })).toThrow("CiRunner: buildTimeoutMinutes must be");
    expect(() => build({ logRetentionDays: 2 })).toThrow("CiRunner: logRetentionDays must be one of");
  });
});
