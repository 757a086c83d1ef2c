import { type Attrs, block, bool, list, num, str, strings } from "./attributes.ts";
import { type Dec, dec, div, mul, parseDec } from "./money.ts";
import type { Price } from "./prices.ts";
import type { UsageFigures } from "./usage.ts";

/** Hours in a month, as AWS and Infracost count them (8760 / 12). */
export const HOURS_PER_MONTH = 730;

/** One priced line of a resource; quantity and cost are absent when they depend on usage not given. */
export interface CostComponent {
  readonly name: string;
  readonly unit: string;
  readonly priceKey: string;
  readonly price?: Dec;
  readonly monthlyQuantity?: Dec;
  readonly monthlyCost?: Dec;
  /** Set when the quantity comes from usage and no usage figure was given: left out of totals. */
  readonly dependsOnUsage?: string;
  /** Set when the region has no price for `priceKey`: left out of totals, listed as not priced. */
  readonly notPriced?: true;
  readonly note?: string;
}

export interface PricingContext {
  readonly region: string;
  readonly price: (key: string) => Price | undefined;
  readonly usage: UsageFigures;
  /** The attributes of a resource this one references ("${aws_launch_template.x.id}"), when known. */
  readonly resolve: (reference: unknown) => Attrs | undefined;
}

type Quantity = Dec | { readonly usageKey: string; readonly scale?: Dec; readonly free?: Dec };

/** A component whose quantity is fixed (hours, GB configured) or read from usage (divided by `scale`). */
export function component(
  ctx: PricingContext,
  name: string,
  priceKey: string,
  unit: string,
  quantity: Quantity,
  note?: string,
): CostComponent {
  const price = ctx.price(priceKey);
  let monthlyQuantity: Dec | undefined;
  let dependsOnUsage: string | undefined;
  if (typeof quantity === "bigint") monthlyQuantity = quantity;
  else {
    const figure = ctx.usage[quantity.usageKey];
    if (figure === undefined) dependsOnUsage = quantity.usageKey;
    else {
      let q = parseDec(figure) ?? 0n;
      if (quantity.free !== undefined) q = q > quantity.free ? q - quantity.free : 0n;
      monthlyQuantity = quantity.scale ? div(q, quantity.scale) : q;
    }
  }
  const out: { -readonly [K in keyof CostComponent]: CostComponent[K] } = { name, unit, priceKey };
  if (price) out.price = price.usd;
  else out.notPriced = true;
  if (monthlyQuantity !== undefined) out.monthlyQuantity = monthlyQuantity;
  if (price && monthlyQuantity !== undefined) out.monthlyCost = mul(price.usd, monthlyQuantity);
  if (dependsOnUsage) out.dependsOnUsage = dependsOnUsage;
  if (note) out.note = note;
  return out;
}

const hours = (n: number | bigint = 1): Dec => dec(HOURS_PER_MONTH) * BigInt(n);
const qty = (n: number): Dec => parseDec(n) ?? 0n;
const MILLION = dec(1_000_000);
const THOUSAND = dec(1_000);
const TEN_THOUSAND = dec(10_000);

function ebs(
  ctx: PricingContext,
  label: string,
  type: string,
  sizeGb: number,
  count: number,
  iops?: number,
  throughput?: number,
): CostComponent[] {
  const n = BigInt(count);
  const out = [component(ctx, `${label} (${type})`, `ebs.${type}.storage`, "GB", qty(sizeGb) * n)];
  if (type === "gp3") {
    if (iops !== undefined && iops > 3000)
      out.push(
        component(ctx, `${label} provisioned IOPS above 3000`, "ebs.gp3.iops", "IOPS", qty(iops - 3000) * n),
      );
    if (throughput !== undefined && throughput > 125)
      out.push(
        component(
          ctx,
          `${label} throughput above 125 MBps`,
          "ebs.gp3.throughput",
          "MBps",
          qty(throughput - 125) * n,
        ),
      );
  } else if (type === "io1" && iops) {
    out.push(component(ctx, `${label} provisioned IOPS`, "ebs.io1.iops", "IOPS", qty(iops) * n));
  } else if (type === "io2" && iops) {
    const tiers: [string, number][] = [
      ["ebs.io2.iops.tier1", Math.min(iops, 32_000)],
      ["ebs.io2.iops.tier2", Math.max(0, Math.min(iops, 64_000) - 32_000)],
      ["ebs.io2.iops.tier3", Math.max(0, iops - 64_000)],
    ];
    for (const [key, q] of tiers)
      if (q > 0)
        out.push(component(ctx, `${label} provisioned IOPS (${key.slice(-5)})`, key, "IOPS", qty(q) * n));
  }
  return out;
}

function nodeCount(attrs: Attrs, ctx: PricingContext): number {
  const scaling = block(attrs, "scaling_config");
  return ctx.usage.instances ?? num(scaling, "desired_size") ?? num(scaling, "min_size") ?? 1;
}

type Estimator = (attrs: Attrs, ctx: PricingContext) => CostComponent[];

/** Every resource type Sluice prices, with how. */
export const ESTIMATORS: Readonly<Record<string, Estimator>> = {
  aws_eks_cluster(attrs, ctx) {
    const extended = str(block(attrs, "upgrade_policy"), "support_type") === "EXTENDED";
    return [
      extended
        ? component(
            ctx,
            "EKS cluster (extended support)",
            "eks.cluster.extended",
            "hours",
            hours(),
            "upgrade_policy.support_type = EXTENDED: priced at the extended rate (an upper bound while the version is still in standard support)",
          )
        : component(ctx, "EKS cluster (standard support)", "eks.cluster.standard", "hours", hours()),
    ];
  },
  aws_eks_node_group(attrs, ctx) {
    const n = nodeCount(attrs, ctx);
    const type = strings(attrs, "instance_types")[0] ?? "t3.medium";
    const spot = str(attrs, "capacity_type") === "SPOT";
    const out = [
      component(
        ctx,
        `Instance usage (Linux, ${spot ? "spot" : "on-demand"}, ${type})`,
        `ec2.${type}`,
        "hours",
        hours(n),
        spot ? "spot capacity priced at the on-demand rate: an upper bound" : undefined,
      ),
    ];
    const template = ctx.resolve(block(attrs, "launch_template")?.id);
    const volume = block(block(template, "block_device_mappings"), "ebs");
    if (volume) {
      out.push(
        ...ebs(
          ctx,
          "Root volume",
          str(volume, "volume_type") ?? "gp2",
          num(volume, "volume_size") ?? 20,
          n,
          num(volume, "iops"),
          num(volume, "throughput"),
        ),
      );
    } else {
      out.push(...ebs(ctx, "Root volume", "gp2", num(attrs, "disk_size") ?? 20, n));
    }
    return out;
  },
  aws_instance(attrs, ctx) {
    const type = str(attrs, "instance_type") ?? "unknown";
    const root = block(attrs, "root_block_device");
    return [
      component(ctx, `Instance usage (Linux, on-demand, ${type})`, `ec2.${type}`, "hours", hours()),
      ...ebs(
        ctx,
        "Root volume",
        str(root, "volume_type") ?? "gp2",
        num(root, "volume_size") ?? 8,
        1,
        num(root, "iops"),
        num(root, "throughput"),
      ),
    ];
  },
  aws_ebs_volume(attrs, ctx) {
    return ebs(
      ctx,
      "Storage",
      str(attrs, "type") ?? "gp2",
      num(attrs, "size") ?? 0,
      1,
      num(attrs, "iops"),
      num(attrs, "throughput"),
    );
  },
  aws_nat_gateway(_attrs, ctx) {
    return [
      component(ctx, "NAT gateway", "nat.hour", "hours", hours()),
      component(ctx, "Data processed", "nat.data", "GB", { usageKey: "monthly_data_processed_gb" }),
    ];
  },
  aws_eip(_attrs, ctx) {
    return [component(ctx, "Public IPv4 address", "ipv4.public", "hours", hours())];
  },
  aws_vpc_endpoint(attrs, ctx) {
    if ((str(attrs, "vpc_endpoint_type") ?? "Gateway") !== "Interface") return [];
    const azs = Math.max(1, list(attrs, "subnet_ids")?.length ?? 1);
    return [
      component(ctx, `Interface endpoint (${azs} AZ)`, "vpce.interface.hour", "hours", hours(azs)),
      component(ctx, "Data processed", "vpce.interface.data", "GB", {
        usageKey: "monthly_data_processed_gb",
      }),
    ];
  },
  aws_db_instance(attrs, ctx) {
    const engine = str(attrs, "engine") ?? "unknown";
    const cls = str(attrs, "instance_class") ?? "unknown";
    const multi = bool(attrs, "multi_az") === true;
    const az = multi ? "multi-az" : "single-az";
    const suffix = multi ? ".multi-az" : "";
    const iops = num(attrs, "iops");
    const storage = str(attrs, "storage_type") ?? (iops ? "io1" : "gp2");
    const size = qty(num(attrs, "allocated_storage") ?? 0);
    const out = [
      component(
        ctx,
        `Database instance (${engine}, ${multi ? "Multi-AZ" : "single-AZ"}, ${cls})`,
        engine === "postgres" ? `rds.postgres.${cls}.${az}` : `rds.${engine}.${cls}.${az}`,
        "hours",
        hours(),
      ),
      component(
        ctx,
        `Storage (${storage}${multi ? ", Multi-AZ" : ""})`,
        `rds.storage.${storage}${suffix}`,
        "GB",
        size,
      ),
    ];
    if ((storage === "io1" || storage === "io2") && iops) {
      out.push(
        component(
          ctx,
          `Provisioned IOPS (${storage}${multi ? ", Multi-AZ" : ""})`,
          `rds.iops.${storage}${suffix}`,
          "IOPS",
          qty(iops),
        ),
      );
    }
    out.push(
      component(ctx, "Backup storage beyond the free amount", "rds.backup", "GB", {
        usageKey: "additional_backup_storage_gb",
      }),
    );
    return out;
  },
  aws_kms_key(_attrs, ctx) {
    return [
      component(ctx, "Customer managed key", "kms.key", "months", dec(1)),
      component(ctx, "Requests", "kms.requests", "10k requests", {
        usageKey: "monthly_requests",
        scale: TEN_THOUSAND,
      }),
    ];
  },
  aws_cloudwatch_log_group(_attrs, ctx) {
    return [
      component(ctx, "Data ingested", "logs.ingest", "GB", { usageKey: "monthly_data_ingested_gb" }),
      component(ctx, "Archival storage", "logs.storage", "GB", { usageKey: "storage_gb" }),
    ];
  },
  aws_cloudwatch_metric_alarm(attrs, ctx) {
    const metrics = Math.max(
      1,
      (list(attrs, "metric_query") ?? []).filter((q) => (q as Attrs)?.metric !== undefined).length,
    );
    const high = (num(attrs, "period") ?? 60) < 60;
    return [
      high
        ? component(
            ctx,
            "High-resolution alarm metrics",
            "cloudwatch.alarm.high-resolution",
            "alarm metrics",
            dec(metrics),
          )
        : component(
            ctx,
            "Standard alarm metrics",
            "cloudwatch.alarm.standard",
            "alarm metrics",
            dec(metrics),
          ),
    ];
  },
  aws_sqs_queue(attrs, ctx) {
    const fifo = bool(attrs, "fifo_queue") === true;
    return [
      component(
        ctx,
        `Requests (${fifo ? "FIFO" : "standard"})`,
        fifo ? "sqs.fifo.requests" : "sqs.standard.requests",
        "1M requests",
        { usageKey: "monthly_requests", scale: MILLION },
      ),
    ];
  },
  aws_sns_topic(_attrs, ctx) {
    return [
      component(ctx, "API requests", "sns.requests", "1M requests", {
        usageKey: "monthly_requests",
        scale: MILLION,
      }),
    ];
  },
  aws_cognito_user_pool(attrs, ctx) {
    const tier = (str(attrs, "user_pool_tier") ?? "ESSENTIALS").toLowerCase();
    const free = tier === "plus" ? 0 : 10_000;
    return [
      component(
        ctx,
        `Monthly active users (${tier}${free ? `, beyond ${free.toLocaleString("en")} free` : ""})`,
        `cognito.mau.${tier}`,
        "MAU",
        { usageKey: "monthly_active_users", free: dec(free) },
      ),
    ];
  },
  aws_ecr_repository(_attrs, ctx) {
    return [component(ctx, "Storage", "ecr.storage", "GB", { usageKey: "storage_gb" })];
  },
  aws_s3_bucket(_attrs, ctx) {
    return [
      component(ctx, "Standard storage", "s3.standard.storage", "GB", { usageKey: "storage_gb" }),
      component(ctx, "PUT, COPY, POST, LIST requests", "s3.requests.tier1", "1k requests", {
        usageKey: "monthly_tier_1_requests",
        scale: THOUSAND,
      }),
      component(ctx, "GET, SELECT and other requests", "s3.requests.tier2", "1k requests", {
        usageKey: "monthly_tier_2_requests",
        scale: THOUSAND,
      }),
    ];
  },
  aws_secretsmanager_secret(_attrs, ctx) {
    return [
      component(ctx, "Secret", "secretsmanager.secret", "months", dec(1)),
      component(ctx, "API requests", "secretsmanager.requests", "10k requests", {
        usageKey: "monthly_requests",
        scale: TEN_THOUSAND,
      }),
    ];
  },
  aws_lb: loadBalancer,
  aws_alb: loadBalancer,
};

function loadBalancer(attrs: Attrs, ctx: PricingContext): CostComponent[] {
  const type = str(attrs, "load_balancer_type") ?? "application";
  const key = type === "network" ? "nlb" : type === "application" ? "alb" : `${type}-lb`;
  const label = type === "network" ? "Network" : type === "application" ? "Application" : type;
  return [
    component(ctx, `${label} load balancer`, `${key}.hour`, "hours", hours()),
    component(
      ctx,
      type === "network"
        ? "Capacity units (NLCU, from GB processed)"
        : "Capacity units (LCU, from GB processed)",
      `${key}.${type === "network" ? "nlcu" : "lcu"}`,
      "LCU-hours",
      { usageKey: "processed_bytes_gb" },
      "1 GB processed = 1 capacity-unit hour; new/active connections and rule evaluations are not counted",
    ),
  ];
}

/** Resource types that cost nothing themselves (their cost, if any, shows on another resource). */
const FREE_EXACT = new Set([
  "aws_vpc",
  "aws_subnet",
  "aws_route",
  "aws_route_table",
  "aws_route_table_association",
  "aws_main_route_table_association",
  "aws_internet_gateway",
  "aws_egress_only_internet_gateway",
  "aws_default_security_group",
  "aws_security_group",
  "aws_security_group_rule",
  "aws_vpc_security_group_ingress_rule",
  "aws_vpc_security_group_egress_rule",
  "aws_network_acl",
  "aws_network_acl_rule",
  "aws_default_network_acl",
  "aws_default_route_table",
  "aws_vpc_endpoint_route_table_association",
  "aws_eip_association",
  "aws_flow_log",
  "aws_kms_alias",
  "aws_db_parameter_group",
  "aws_db_subnet_group",
  "aws_db_option_group",
  "aws_ecr_lifecycle_policy",
  "aws_ecr_repository_policy",
  "aws_eks_access_entry",
  "aws_eks_access_policy_association",
  "aws_eks_addon",
  "aws_eks_pod_identity_association",
  "aws_launch_template",
  "aws_sqs_queue_policy",
  "aws_sqs_queue_redrive_allow_policy",
  "aws_sqs_queue_redrive_policy",
  "aws_sns_topic_subscription",
  "aws_sns_topic_policy",
  "aws_cognito_user_group",
  "aws_cognito_user_pool_client",
  "aws_cognito_user_pool_domain",
  "aws_lb_listener",
  "aws_lb_listener_rule",
  "aws_lb_target_group",
  "aws_lb_target_group_attachment",
  "aws_cloudwatch_log_resource_policy",
  "aws_secretsmanager_secret_version",
  "aws_secretsmanager_secret_policy",
  "aws_key_pair",
  "aws_ssm_parameter",
  "helm_release",
  "terraform_data",
  "null_resource",
]);
const FREE_PREFIXES = ["aws_iam_", "aws_s3_bucket_", "kubernetes_", "random_", "time_", "tls_", "local_"];

/** Notes on why a free type is free, where it is not obvious. */
export const FREE_NOTES: Readonly<Record<string, string>> = {
  aws_flow_log: "its cost is log ingest and storage on the destination log group",
  aws_launch_template: "its volumes are priced on the node group or instance that uses it",
  helm_release: "runs inside the cluster; its cost is the nodes'",
};

export type Pricing = "priced" | "free" | "unsupported";

export function pricingOf(type: string): Pricing {
  if (type in ESTIMATORS) return "priced";
  if (FREE_EXACT.has(type) || FREE_PREFIXES.some((p) => type.startsWith(p))) return "free";
  return "unsupported";
}
