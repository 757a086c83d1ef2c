import type { TerraformStack } from "cdktf";
import { describe, expect, it } from "vitest";
import { clusterRules } from "../../core/rules/cluster.ts";
import { networkRules } from "../../core/rules/network.ts";
import { runRules } from "../../core/rules/run.ts";
import type { TerraformJson } from "../../core/rules/types.ts";
import { synthJson, testStack } from "../test/stack.ts";
import { Cluster, type ClusterProps } from "./cluster.ts";

/** A Terraform interpolation as it appears in synthesized JSON. */
const tf = (expression: string) => ["$", "{", expression, "}"].join("");

function rulesTripped(stack: TerraformStack) {
  return runRules(
    [{ name: "dev-platform", json: synthJson(stack) as TerraformJson }],
    [...clusterRules, ...networkRules],
  ).map((v) => `${v.rule} ${v.address.split(".")[0]}`);
}

function cluster(props: Partial<ClusterProps> = {}) {
  const stack = testStack();
  const built = new Cluster(stack, "cluster", {
    subnetIds: ["subnet-a", "subnet-b"],
    nodeGroups: [{ name: "app", minSize: 1, desiredSize: 1, maxSize: 2 }],
    ...props,
  });
  const child = (id: string) =>
    built.node.findChild(id) as unknown as { addOverride(path: string, value: unknown): void };
  return { stack, child };
}

describe("cluster rules", () => {
  it("pass on the default Cluster (including the network-wide KMS and log-group rules)", () => {
    expect(rulesTripped(cluster().stack)).toEqual([]);
  });

  it("eks-control-plane-logging trips when audit and authenticator logging are dropped", () => {
    // addOverride appends to a list rather than replacing it, so logging is removed outright.
    const { stack, child } = cluster();
    child("cluster").addOverride("enabled_cluster_log_types", null);
    const found = runRules([{ name: "dev-platform", json: synthJson(stack) as TerraformJson }], clusterRules);
    expect(found.map((v) => v.rule)).toEqual(["eks-control-plane-logging"]);
    expect(found[0]?.message).toBe("control-plane log types not enabled: audit, authenticator");
    expect(() => cluster({ logTypes: ["api", "audit"] })).toThrow(
      /logTypes must include audit and authenticator, missing authenticator/,
    );
  });

  it("eks-control-plane-logging accepts audit and authenticator outside prod, but wants all five in prod", () => {
    const { stack } = cluster({ logTypes: ["audit", "authenticator"] });
    const json = synthJson(stack) as TerraformJson;
    expect(runRules([{ name: "dev-platform", json }], clusterRules)).toEqual([]);
    const found = runRules([{ name: "prod-platform", json }], clusterRules);
    expect(found.map((v) => [v.rule, v.message])).toEqual([
      ["eks-control-plane-logging", "control-plane log types not enabled: api, controllerManager, scheduler"],
    ]);
  });

  it("eks-secrets-encrypted trips without an encryption config", () => {
    const { stack, child } = cluster();
    child("cluster").addOverride("encryption_config", null);
    expect(rulesTripped(stack)).toEqual(["eks-secrets-encrypted aws_eks_cluster"]);
  });

  it("eks-endpoint-not-open trips through the allowPublicEndpointFromAnywhere hatch", () => {
    expect(rulesTripped(cluster({ allowPublicEndpointFromAnywhere: true }).stack)).toEqual([
      "eks-endpoint-not-open aws_eks_cluster",
    ]);
  });

  it("eks-endpoint-not-open trips on a public endpoint without CIDRs, and passes listed CIDRs", () => {
    const { stack, child } = cluster();
    child("cluster").addOverride("vpc_config.endpoint_public_access", true);
    expect(rulesTripped(stack)).toEqual(["eks-endpoint-not-open aws_eks_cluster"]);
    expect(rulesTripped(cluster({ publicAccessCidrs: ["198.51.100.0/24"] }).stack)).toEqual([]);
    // Left unset, AWS makes the endpoint public.
    const unset = cluster();
    unset.child("cluster").addOverride("vpc_config.endpoint_public_access", null);
    expect(rulesTripped(unset.stack)).toEqual(["eks-endpoint-not-open aws_eks_cluster"]);
  });

  it("eks-endpoint-not-open fails closed on public access or CIDRs it cannot read", () => {
    const flag = cluster({ publicAccessCidrs: ["198.51.100.0/24"] });
    flag.child("cluster").addOverride("vpc_config.endpoint_public_access", tf("var.public_api"));
    expect(rulesTripped(flag.stack)).toEqual([]);
    const cidrs = cluster({ publicAccessCidrs: ["198.51.100.0/24"] });
    cidrs.child("cluster").addOverride("vpc_config.public_access_cidrs", [tf("var.office_cidr")]);
    expect(rulesTripped(cidrs.stack)).toEqual(["eks-endpoint-not-open aws_eks_cluster"]);
    const both = cluster();
    both.child("cluster").addOverride("vpc_config.endpoint_public_access", tf("var.public_api"));
    expect(rulesTripped(both.stack)).toEqual(["eks-endpoint-not-open aws_eks_cluster"]);
  });

  it("eks-imdsv2-required trips on optional tokens or a hop limit above 1", () => {
    const tokens = cluster();
    tokens.child("app-launch-template").addOverride("metadata_options.http_tokens", "optional");
    expect(rulesTripped(tokens.stack)).toEqual(["eks-imdsv2-required aws_launch_template"]);
    const hops = cluster();
    hops.child("app-launch-template").addOverride("metadata_options.http_put_response_hop_limit", 2);
    expect(rulesTripped(hops.stack)).toEqual(["eks-imdsv2-required aws_launch_template"]);
  });

  it("eks-imdsv2-required and eks-root-volume-encrypted trip on a node group without a launch template", () => {
    const { stack, child } = cluster();
    child("app-nodes").addOverride("launch_template", null);
    expect(rulesTripped(stack).sort()).toEqual([
      "eks-imdsv2-required aws_eks_node_group",
      "eks-root-volume-encrypted aws_eks_node_group",
    ]);
  });

  it("eks-root-volume-encrypted trips on an unencrypted root volume", () => {
    const { stack, child } = cluster();
    child("app-launch-template").addOverride("block_device_mappings.0.ebs.encrypted", "false");
    expect(rulesTripped(stack)).toEqual(["eks-root-volume-encrypted aws_launch_template"]);
  });

  it("eks-no-public-ip trips when a node interface gets a public IP", () => {
    const { stack, child } = cluster();
    child("app-launch-template").addOverride("network_interfaces", [
      { device_index: 0, associate_public_ip_address: "true" },
    ]);
    expect(rulesTripped(stack)).toEqual(["eks-no-public-ip aws_launch_template"]);
    const reference = cluster();
    reference
      .child("app-launch-template")
      .addOverride("network_interfaces", [{ device_index: 0, associate_public_ip_address: tf("var.ip") }]);
    expect(rulesTripped(reference.stack)).toEqual(["eks-no-public-ip aws_launch_template"]);
  });
});
