import { describe, expect, it } from "vitest";
import { resourcesOf, synthJson, testStack } from "../test/stack.ts";
import { Network, type NetworkProps } from "./network.ts";

const base: NetworkProps = {
  cidr: "10.0.0.0/16",
  availabilityZones: ["eu-west-1a", "eu-west-1b", "eu-west-1c"],
};

function build(props: Partial<NetworkProps> = {}) {
  const stack = testStack();
  const network = new Network(stack, "network", { ...base, ...props } as NetworkProps);
  const json = synthJson(stack);
  const all = (type: string) => Object.values(resourcesOf(json, type));
  return { network, json, all };
}

describe("Network", () => {
  it("builds public, app and data subnets per AZ with concrete CIDRs", () => {
    const { all, network } = build();
    const cidrs = all("aws_subnet").map((s) => s.cidr_block);
    expect(cidrs).toHaveLength(9);
    expect(new Set(cidrs)).toEqual(
      new Set([...network.publicSubnetCidrs, ...network.appSubnetCidrs, ...network.dataSubnetCidrs]),
    );
    expect(all("aws_subnet").map((s) => s.availability_zone)).toEqual(
      expect.arrayContaining(["eu-west-1a", "eu-west-1b", "eu-west-1c"]),
    );
    expect(network.appSubnetIds).toHaveLength(3);
    expect(network.dataSubnetIds).toHaveLength(3);
    expect(network.publicSubnetIds).toHaveLength(3);
  });

  it("auto-assigns no public IPs in any subnet", () => {
    const { all } = build();
    for (const subnet of all("aws_subnet")) expect(subnet.map_public_ip_on_launch).toBe(false);
  });

  it("locks the default security group with no rules", () => {
    const [sg] = build().all("aws_default_security_group");
    expect(sg).toMatchObject({ ingress: [], egress: [] });
    expect(String(sg?.vpc_id)).toMatch(/^\$\{aws_vpc\./);
  });

  it("tags subnets for EKS load balancers", () => {
    const { all } = build({ clusterName: "dev-eks" });
    const tags = all("aws_subnet").map((s) => s.tags as Record<string, string>);
    expect(tags.filter((t) => t["kubernetes.io/role/elb"] === "1")).toHaveLength(3);
    expect(tags.filter((t) => t["kubernetes.io/role/internal-elb"] === "1")).toHaveLength(3);
    expect(tags.filter((t) => t["kubernetes.io/cluster/dev-eks"] === "shared")).toHaveLength(6);
  });

  it("puts one NAT per AZ by default and one in total in single mode", () => {
    expect(build().all("aws_nat_gateway")).toHaveLength(3);
    const single = build({ natMode: "single" });
    expect(single.all("aws_nat_gateway")).toHaveLength(1);
    const natRoutes = single.all("aws_route").filter((r) => r.nat_gateway_id !== undefined);
    expect(natRoutes).toHaveLength(3);
    expect(new Set(natRoutes.map((r) => r.nat_gateway_id)).size).toBe(1);
  });

  it("gives data subnets no route to the internet", () => {
    const { json, all } = build();
    const dataTable = Object.keys(resourcesOf(json, "aws_route_table")).find((k) =>
      k.includes("data-routes"),
    );
    expect(dataTable).toBeDefined();
    const routes = all("aws_route").filter((r) => String(r.route_table_id).includes(`${dataTable}.`));
    expect(routes).toEqual([]);
  });

  it("adds a free S3 gateway endpoint on the private route tables", () => {
    const [endpoint] = build().all("aws_vpc_endpoint");
    expect(endpoint?.vpc_endpoint_type).toBe("Gateway");
    expect(endpoint?.service_name).toMatch(/^com\.amazonaws\.\$\{data\.aws_region\..*\}\.s3$/);
    expect(endpoint?.route_table_ids).toHaveLength(4);
  });

  it("sends all flow-log traffic to a KMS-encrypted log group with a rotating key", () => {
    const { all, network } = build({ flowLogRetentionDays: 365 });
    const [flow] = all("aws_flow_log");
    expect(flow).toMatchObject({ traffic_type: "ALL", log_destination_type: "cloud-watch-logs" });
    const [group] = all("aws_cloudwatch_log_group");
    expect(group).toMatchObject({ name: "dev-vpc-flow-logs", retention_in_days: 365 });
    expect(String(group?.kms_key_id)).toMatch(/^\$\{aws_kms_key\..*\.arn\}$/);
    const [key] = all("aws_kms_key");
    expect(key?.enable_key_rotation).toBe(true);
    expect(String(key?.policy)).toContain("kms:EncryptionContext:aws:logs:arn");
    expect(network.flowLogKmsKeyArn).toBeDefined();
    expect(all("aws_kms_alias")[0]?.name).toBe("alias/dev-vpc-flow-logs");
  });

  it("scopes the flow-log role to its log group", () => {
    const [policy] = build().all("aws_iam_role_policy");
    const doc = JSON.parse(String(policy?.policy)) as {
      Statement: { Action: string[]; Resource: string[] }[];
    };
    expect(doc.Statement[0]?.Resource.every((r) => r.includes("aws_cloudwatch_log_group."))).toBe(true);
    expect(JSON.stringify(doc)).not.toContain('"*"');
  });

  it("looks up AZs when only a count is given", () => {
    const { json, all } = build({ availabilityZones: undefined, azCount: 2 });
    expect(Object.keys(json.data?.aws_availability_zones ?? {})).toHaveLength(1);
    expect(all("aws_subnet")).toHaveLength(6);
    expect(String(all("aws_subnet")[0]?.availability_zone)).toContain("element(data.aws_availability_zones.");
  });

  it("rejects bad props naming the prop, the value and what was expected", () => {
    expect(() => build({ cidr: "10.0.0.0/33" })).toThrow("Network: cidr got '10.0.0.0/33'");
    expect(() => build({ cidr: "10.0.0.0/12" })).toThrow("/16–/22");
    expect(() => build({ cidr: "8.8.0.0/16" })).toThrow("Network: cidr must be inside a private range");
    expect(() => build({ availabilityZones: ["eu-west-1a"] })).toThrow(
      'Network: availabilityZones must list 2–3 AZs, got ["eu-west-1a"]',
    );
    expect(() => build({ availabilityZones: ["eu-west-1a", "eu-west-1a"] })).toThrow("must be distinct");
    expect(() => build({ availabilityZones: ["eu-west-1a", "west"] })).toThrow("got 'west'");
    expect(() => build({ availabilityZones: undefined, azCount: 4 })).toThrow(
      "azCount must be an integer from 2 to 3, got 4",
    );
    expect(() => build({ natMode: "none" as never })).toThrow(
      `natMode must be "single" or "per-az", got 'none'`,
    );
    expect(() => build({ flowLogRetentionDays: 10 })).toThrow("flowLogRetentionDays must be one of 1, 3, 5");
    expect(() => build({ clusterName: "bad name" })).toThrow("clusterName must be a valid EKS cluster name");
  });

  it("has escape hatches a reviewer can see", () => {
    const open = build({ allowPublicIpOnLaunch: true });
    expect(open.all("aws_subnet").filter((s) => s.map_public_ip_on_launch === true)).toHaveLength(3);
    const noLogs = build({ disableFlowLogs: true });
    expect(noLogs.all("aws_flow_log")).toEqual([]);
    expect(noLogs.network.flowLogKmsKeyArn).toBeUndefined();
  });
});
