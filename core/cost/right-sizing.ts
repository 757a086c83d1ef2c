import { type Attrs, block, bool, num, str, strings } from "./attributes.ts";
import type { StackEstimate, SynthStack } from "./estimate.ts";
import { type Dec, dec, max, mul, parseDec, sum } from "./money.ts";
import type { PricedResource } from "./price-resource.ts";
import type { PriceBook } from "./prices.ts";
import { HOURS_PER_MONTH } from "./resources.ts";

/** A right-sizing finding: the resource, the saving per month and the setting to change. */
export interface Finding {
  readonly rule: string;
  readonly environment: string;
  readonly stack: string;
  readonly resource: string;
  /** Monthly saving; absent when it depends on usage not given. */
  readonly monthlySaving?: Dec;
  readonly setting: string;
  readonly message: string;
}

/** x86 family → the Graviton family of the same generation and size range. */
export const GRAVITON: Readonly<Record<string, string>> = {
  t3: "t4g",
  t3a: "t4g",
  m5: "m6g",
  m6i: "m6g",
  m7i: "m7g",
  c5: "c6g",
  c6i: "c6g",
  c7i: "c7g",
  r5: "r6g",
  r6i: "r6g",
  r7i: "r7g",
};

/**
 * Assumed spot price as a share of on-demand, for the "spot would do" saving only. Spot prices move;
 * AWS quotes "up to 90% off"; 0.4 (60% off) is a typical figure for general-purpose types. Documented in docs/cost.md.
 */
export const SPOT_SHARE = "0.4";

const HOURS = dec(HOURS_PER_MONTH);

function componentCost(r: PricedResource | undefined, match: (name: string) => boolean): Dec {
  return sum((r?.costComponents ?? []).filter((c) => match(c.name)).map((c) => c.monthlyCost ?? 0n));
}

function resources(stack: SynthStack, type: string): [string, Attrs][] {
  const json = stack.json as { resource?: Record<string, Record<string, Attrs>> };
  return Object.entries(json.resource?.[type] ?? {}).map(([name, a]) => [`${type}.${name}`, a]);
}

/** Right-sizing findings for one environment's stacks (sources and their estimates, in the same order). */
export function rightSizing(
  environment: string,
  sources: readonly SynthStack[],
  estimates: readonly StackEstimate[],
  prices: PriceBook,
): Finding[] {
  const out: Finding[] = [];
  const prod = environment === "prod" || environment === "production";
  sources.forEach((stack, i) => {
    const est = estimates[i] as StackEstimate;
    const region = est.region;
    const p = (key: string) => prices.price(region, key)?.usd;
    const priced = new Map(est.resources.map((r) => [r.name, r]));
    const add = (f: Omit<Finding, "environment" | "stack">) =>
      out.push({ environment, stack: stack.name, ...f });

    const nats = resources(stack, "aws_nat_gateway");
    if (!prod && nats.length > 1) {
      const eachNat = componentCost(priced.get(nats[0]?.[0] ?? ""), (n) => n === "NAT gateway");
      const eachIp = mul(p("ipv4.public") ?? 0n, HOURS);
      add({
        rule: "nat-per-az-outside-prod",
        resource: nats.map(([a]) => a).join(", "),
        monthlySaving: (eachNat + eachIp) * BigInt(nats.length - 1),
        setting: `network.natGateways: "single" in environments/${environment}.ts`,
        message: `${nats.length} NAT gateways (one per AZ) outside prod; one shared NAT gateway would do`,
      });
    }

    const allocations = new Set<string>();
    for (const [, a] of resources(stack, "aws_nat_gateway")) {
      const id = str({ v: a.allocation_id }, "v") ?? (a.allocation_id as string | undefined);
      if (typeof id === "string") allocations.add(id);
    }
    for (const [address, a] of resources(stack, "aws_eip")) {
      const referenced = [...allocations].some((ref) => ref.includes(`${address}.`));
      if (!referenced && a.instance === undefined && a.network_interface === undefined) {
        add({
          rule: "unattached-public-ipv4",
          resource: address,
          monthlySaving: priced.get(address)?.monthlyCost ?? 0n,
          setting: "release the address, or associate it (instance / network_interface)",
          message: "a public IPv4 address attached to nothing is still charged by the hour",
        });
      }
    }

    for (const [address, a] of resources(stack, "aws_eks_node_group")) {
      const r = priced.get(address);
      const type = strings(a, "instance_types")[0];
      const instanceCost = componentCost(r, (n) => n.startsWith("Instance usage"));
      const family = type?.split(".")[0] ?? "";
      const size = type?.split(".")[1] ?? "";
      const graviton = GRAVITON[family];
      const nodes = BigInt(num(block(a, "scaling_config"), "desired_size") ?? 1);
      const gPrice = graviton ? p(`ec2.${graviton}.${size}`) : undefined;
      if (graviton && gPrice !== undefined) {
        add({
          rule: "x86-where-graviton-exists",
          resource: address,
          monthlySaving: max(0n, instanceCost - mul(gPrice, HOURS) * nodes),
          setting: `instance_types: ["${graviton}.${size}"] (cluster node group instanceTypes, with an arm64 AMI type)`,
          message: `${type} is x86; the same-size Graviton type ${graviton}.${size} is cheaper`,
        });
      }
      if (!prod && environment === "dev" && (str(a, "capacity_type") ?? "ON_DEMAND") === "ON_DEMAND") {
        add({
          rule: "on-demand-in-dev",
          resource: address,
          monthlySaving: instanceCost - mul(instanceCost, parseDec(SPOT_SHARE) as Dec),
          setting: 'capacity_type: "SPOT" (cluster node group capacityType)',
          message: `on-demand nodes in dev; spot would do (saving assumes spot at ${SPOT_SHARE} × on-demand)`,
        });
      }
    }

    const gp2 = (address: string, sizeGb: number, count: bigint, setting: string) => {
      const g2 = p("ebs.gp2.storage");
      const g3 = p("ebs.gp3.storage");
      add({
        rule: "gp2-volume",
        resource: address,
        ...(g2 !== undefined &&
          g3 !== undefined && { monthlySaving: mul(g2 - g3, parseDec(sizeGb) ?? 0n) * count }),
        setting,
        message: "gp2 storage: gp3 is cheaper per GB with a 3,000 IOPS baseline whatever the size",
      });
    };
    for (const [address, a] of resources(stack, "aws_ebs_volume")) {
      if ((str(a, "type") ?? "gp2") === "gp2") gp2(address, num(a, "size") ?? 0, 1n, 'type = "gp3"');
    }
    for (const [address, a] of resources(stack, "aws_launch_template")) {
      const ebs = block(block(a, "block_device_mappings"), "ebs");
      if (ebs && str(ebs, "volume_type") === "gp2")
        gp2(address, num(ebs, "volume_size") ?? 0, 1n, 'block_device_mappings.ebs.volume_type = "gp3"');
    }
    for (const [address, a] of resources(stack, "aws_db_instance")) {
      const r = priced.get(address);
      if ((str(a, "storage_type") ?? (a.iops ? "io1" : "gp2")) === "gp2") {
        add({
          rule: "gp2-volume",
          resource: address,
          monthlySaving: 0n,
          setting: 'storage_type = "gp3"',
          message:
            "gp2 database storage: gp3 costs the same per GB with a 3,000 IOPS baseline whatever the size",
        });
      }
      if (!prod && bool(a, "multi_az") === true && r) {
        add({
          rule: "multi-az-outside-prod",
          resource: address,
          monthlySaving:
            componentCost(r, (n) => /^(Database instance|Storage|Provisioned IOPS)/.test(n)) / 2n,
          setting: `multi_az = false (database.multiAz in environments/${environment}.ts)`,
          message: "Multi-AZ outside prod doubles the instance and storage price",
        });
      }
    }

    for (const [address, a] of resources(stack, "aws_cloudwatch_log_group")) {
      const days = num(a, "retention_in_days");
      if (!days) {
        add({
          rule: "log-group-never-expires",
          resource: address,
          setting: "retention_in_days (e.g. 30, 90 or 365)",
          message: "log events are kept forever: storage grows every month (saving depends on usage)",
        });
      }
    }
  });
  return out;
}
