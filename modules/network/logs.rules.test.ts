import { describe, expect, it } from "vitest";
import { logRules } from "../../core/rules/logs.ts";
import { runRules } from "../../core/rules/run.ts";
import { Cluster } from "../cluster/cluster.ts";
import { Database } from "../database/database.ts";
import { synthStack, testStack } from "../test/stack.ts";
import { Network } from "./network.ts";

/** The log-retention rule over a stack named `name` (the rule reads the environment from it). */
function violations(name: string, build: (stack: ReturnType<typeof testStack>) => void) {
  const stack = testStack(name.split("-")[0], name);
  build(stack);
  return runRules([synthStack(stack)], logRules).map((v) => `${v.address.split(".")[0]}: ${v.message}`);
}

const network = (flowLogRetentionDays: number) => (stack: ReturnType<typeof testStack>) =>
  new Network(stack, "network", { cidr: "10.0.0.0/16", azCount: 2, flowLogRetentionDays });

describe("log-group-retention", () => {
  it("passes flow logs kept 30 days in dev and 365 in prod", () => {
    expect(violations("dev-network", network(30))).toEqual([]);
    expect(violations("prod-network", network(365))).toEqual([]);
  });

  it("trips on flow logs kept less than 30 days in dev or 365 in prod", () => {
    expect(violations("dev-network", network(14))).toEqual([
      "aws_cloudwatch_log_group: audit log kept 14 days; dev requires at least 30",
    ]);
    expect(violations("prod-network", network(90))).toEqual([
      "aws_cloudwatch_log_group: audit log kept 90 days; prod requires at least 365",
    ]);
  });

  it("trips on a prod EKS control-plane log group kept under 365 days, not on its Container Insights groups", () => {
    const found = violations("prod-platform", (stack) => {
      new Cluster(stack, "cluster", {
        subnetIds: ["subnet-a", "subnet-b"],
        nodeGroups: [{ name: "app", minSize: 1, desiredSize: 1, maxSize: 2 }],
        logRetentionDays: 90,
        containerInsightsLogRetentionDays: 30,
      });
    });
    expect(found).toEqual(["aws_cloudwatch_log_group: audit log kept 90 days; prod requires at least 365"]);
  });

  it("trips on a log group that never expires, e.g. an RDS export group with its retention removed", () => {
    const found = violations("dev-platform", (stack) => {
      const db = new Database(stack, "database", {
        vpcId: "vpc-1",
        dataSubnetIds: ["subnet-a", "subnet-b"],
        allowedSecurityGroupId: "sg-1",
        engineVersion: "16",
      });
      (
        db.node.findChild("logs").node.findChild("postgresql") as unknown as {
          addOverride(path: string, value: unknown): void;
        }
      ).addOverride("retention_in_days", null);
    });
    expect(found).toEqual([
      "aws_cloudwatch_log_group: retention_in_days is null; events would be kept (and billed) forever",
    ]);
  });
});
