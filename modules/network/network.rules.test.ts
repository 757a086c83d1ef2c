import type { TerraformStack } from "cdktf";
import { describe, expect, it } from "vitest";
import { networkRules } from "../../core/rules/network.ts";
import { runRules } from "../../core/rules/run.ts";
import type { TerraformJson } from "../../core/rules/types.ts";
import { synthJson, testStack } from "../test/stack.ts";
import { Network, type NetworkProps } from "./network.ts";

/** A Terraform interpolation as it appears in synthesized JSON. */
const tf = (expression: string) => ["$", "{", expression, "}"].join("");

function violations(stack: TerraformStack) {
  return runRules([{ name: "dev-network", json: synthJson(stack) as TerraformJson }], networkRules);
}

function network(props: Partial<NetworkProps> = {}) {
  const stack = testStack();
  const built = new Network(stack, "network", { cidr: "10.0.0.0/16", azCount: 2, ...props });
  return { stack, built };
}

function childOf(built: Network, path: string) {
  const child = built.node.findChild(path.split("/")[0] ?? "");
  const rest = path.split("/").slice(1);
  return rest.reduce((c, id) => c.node.findChild(id), child) as unknown as {
    addOverride(p: string, v: unknown): void;
  };
}

describe("network rules", () => {
  it("pass on the default Network", () => {
    expect(violations(network().stack)).toEqual([]);
  });

  it("vpc-flow-logs-enabled trips when flow logs are disabled", () => {
    const found = violations(network({ disableFlowLogs: true }).stack);
    expect(found.map((v) => v.rule)).toEqual(["vpc-flow-logs-enabled"]);
    expect(found[0]?.address).toMatch(/^aws_vpc\.network_vpc_/);
    expect(found[0]?.stack).toBe("dev-network");
  });

  it("vpc-default-sg-locked trips on a default SG with rules, and on a VPC without one", () => {
    const { stack, built } = network();
    childOf(built, "default-sg").addOverride("ingress", [
      { protocol: "-1", from_port: 0, to_port: 0, self: true, cidr_blocks: [], ipv6_cidr_blocks: [] },
    ]);
    const found = violations(stack);
    expect(found.map((v) => v.rule)).toEqual(["vpc-default-sg-locked"]);
    expect(found[0]?.message).toContain("1 rule(s)");

    const bare = network();
    bare.built.node.tryRemoveChild("default-sg");
    expect(violations(bare.stack).map((v) => [v.rule, v.address.split(".")[0]])).toEqual([
      ["vpc-default-sg-locked", "aws_vpc"],
    ]);
  });

  it("subnet-no-public-ip-on-launch trips through the allowPublicIpOnLaunch hatch", () => {
    const found = violations(network({ allowPublicIpOnLaunch: true }).stack);
    expect(found.map((v) => v.rule)).toEqual([
      "subnet-no-public-ip-on-launch",
      "subnet-no-public-ip-on-launch",
    ]);
    expect(found.every((v) => v.address.startsWith("aws_subnet.network_public-subnet-"))).toBe(true);
  });

  it("subnet-no-public-ip-on-launch fails closed on a value it cannot prove false", () => {
    const { stack, built } = network();
    childOf(built, "public-subnet-a").addOverride("map_public_ip_on_launch", tf("var.public_ips"));
    const found = violations(stack);
    expect(found.map((v) => [v.rule, v.address.split(".")[1]?.split("_")[1]])).toEqual([
      ["subnet-no-public-ip-on-launch", "public-subnet-a"],
    ]);
    expect(found[0]?.message).toContain(tf("var.public_ips"));
  });

  it("log-group-encrypted trips on a log group without a KMS key", () => {
    const { stack, built } = network();
    childOf(built, "flow-logs/log-group").addOverride("kms_key_id", null);
    expect(violations(stack).map((v) => v.rule)).toEqual(["log-group-encrypted"]);
  });

  it("kms-key-rotation trips on a key that does not rotate, and ignores asymmetric keys", () => {
    const { stack, built } = network();
    childOf(built, "flow-logs/key").addOverride("enable_key_rotation", false);
    expect(violations(stack).map((v) => v.rule)).toEqual(["kms-key-rotation"]);

    const asym = network();
    childOf(asym.built, "flow-logs/key").addOverride("enable_key_rotation", false);
    childOf(asym.built, "flow-logs/key").addOverride("customer_master_key_spec", "RSA_2048");
    expect(violations(asym.stack)).toEqual([]);
  });

  it("have unique kebab-case ids and descriptions", () => {
    const ids = networkRules.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const rule of networkRules) {
      expect(rule.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(rule.description.length).toBeGreaterThan(10);
    }
  });
});
