import { describe, expect, it } from "vitest";
import type { Attrs } from "./attributes.ts";
import { formatDec } from "./money.ts";
import { priceResource } from "./price-resource.ts";
import { pricingOf } from "./resources.ts";
import { shipped } from "./test/book.ts";
import { NO_USAGE, parseUsage, type Usage } from "./usage.ts";

/** A terraform reference, as synthesized JSON writes it. */
const TEMPLATE_REF = ["$", "{aws_launch_template.t.id}"].join("");

function cost(
  type: string,
  attrs: Attrs,
  region = "us-east-1",
  usage: Usage = NO_USAGE,
  resolve?: (r: unknown) => Attrs | undefined,
) {
  const r = priceResource(
    { address: `${type}.x`, type, attrs, region, ...(resolve && { resolve }) },
    shipped,
    usage,
  );
  return {
    total: formatDec(r.monthlyCost),
    components: Object.fromEntries(
      r.costComponents.map((c) => [
        c.name,
        c.monthlyCost === undefined
          ? c.dependsOnUsage
            ? `usage:${c.dependsOnUsage}`
            : "not priced"
          : formatDec(c.monthlyCost),
      ]),
    ),
  };
}

const usage = (yaml: string) => parseUsage(yaml, "usage.yml");

// Expected figures are hand-computed: price × quantity, 730 hours a month, us-east-1 unless said.
describe("each priced resource type", () => {
  it("EKS cluster: standard 0.10 × 730, extended 0.60 × 730", () => {
    expect(cost("aws_eks_cluster", {}).total).toBe("73");
    expect(cost("aws_eks_cluster", { upgrade_policy: { support_type: "EXTENDED" } }).total).toBe("438");
  });

  it("EKS node group: nodes × instance hours + root volumes from the launch template", () => {
    const template = { block_device_mappings: [{ ebs: { volume_size: 50, volume_type: "gp3" } }] };
    const r = cost(
      "aws_eks_node_group",
      {
        instance_types: ["m6i.large"],
        scaling_config: { desired_size: 3 },
        launch_template: { id: TEMPLATE_REF },
      },
      "us-east-1",
      NO_USAGE,
      (ref) => (ref === TEMPLATE_REF ? template : undefined),
    );
    // 3 × 730 × 0.096 = 210.24; 3 × 50 GB × 0.08 = 12
    expect(r.components).toEqual({
      "Instance usage (Linux, on-demand, m6i.large)": "210.24",
      "Root volume (gp3)": "12",
    });
    expect(r.total).toBe("222.24");
    // Without a template: disk_size (default 20 GB) on gp2 at 0.10: 2 × 730 × 0.0336 + 2 × 20 × 0.1 = 49.056 + 4
    expect(
      cost("aws_eks_node_group", { instance_types: ["t4g.medium"], scaling_config: { desired_size: 2 } })
        .total,
    ).toBe("53.056");
    // usage `instances` overrides desired_size
    expect(
      cost(
        "aws_eks_node_group",
        { instance_types: ["t4g.medium"], scaling_config: { desired_size: 2 } },
        "us-east-1",
        usage("version: 0.1\nresource_type_default_usage:\n  aws_eks_node_group: { instances: 1 }\n"),
      ).total,
    ).toBe("26.528");
  });

  it("EC2 instance and EBS volumes: gp3 extras, gp2, io1 and io2 tiers", () => {
    // 730 × 0.0816 + 8 GB gp2 × 0.1
    expect(cost("aws_instance", { instance_type: "m7g.large" }).total).toBe("60.368");
    // gp3 100 GB × 0.08 + (6000-3000) × 0.005 + (250-125) × 0.04 = 8 + 15 + 5
    expect(cost("aws_ebs_volume", { type: "gp3", size: 100, iops: 6000, throughput: 250 }).total).toBe("28");
    expect(cost("aws_ebs_volume", { type: "gp2", size: 100 }).total).toBe("10");
    // io1: 100 × 0.125 + 1000 × 0.065
    expect(cost("aws_ebs_volume", { type: "io1", size: 100, iops: 1000 }).total).toBe("77.5");
    // io2: 100 × 0.125 + 32000 × 0.065 + 8000 × 0.0455
    expect(cost("aws_ebs_volume", { type: "io2", size: 100, iops: 40_000 }).total).toBe("2456.5");
  });

  it("NAT gateway: hours, and GB processed from usage only", () => {
    expect(cost("aws_nat_gateway", {}).components).toEqual({
      "NAT gateway": "32.85",
      "Data processed": "usage:monthly_data_processed_gb",
    });
    const u = usage(
      "version: 0.1\nresource_usage:\n  aws_nat_gateway.x:\n    monthly_data_processed_gb: 100\n",
    );
    expect(cost("aws_nat_gateway", {}, "us-east-1", u).total).toBe("37.35");
  });

  it("public IPv4 address and VPC endpoints (interface per AZ; gateway free)", () => {
    expect(cost("aws_eip", { domain: "vpc" }).total).toBe("3.65");
    // 3 AZ × 730 × 0.01
    expect(
      cost("aws_vpc_endpoint", { vpc_endpoint_type: "Interface", subnet_ids: ["a", "b", "c"] }).total,
    ).toBe("21.9");
    expect(cost("aws_vpc_endpoint", { vpc_endpoint_type: "Gateway" }).components).toEqual({});
  });

  it("RDS PostgreSQL: instance and storage, single-AZ and Multi-AZ, io1 IOPS, backup from usage", () => {
    const db = {
      engine: "postgres",
      instance_class: "db.m6g.large",
      allocated_storage: 100,
      storage_type: "gp3",
    };
    // 730 × 0.159 + 100 × 0.115
    expect(cost("aws_db_instance", db).total).toBe("127.57");
    // 730 × 0.318 + 100 × 0.23
    expect(cost("aws_db_instance", { ...db, multi_az: true }).total).toBe("255.14");
    // io1: 730 × 0.159 + 200 × 0.125 + 3000 × 0.10
    expect(
      cost("aws_db_instance", { ...db, storage_type: "io1", allocated_storage: 200, iops: 3000 }).total,
    ).toBe("441.07");
    const u = usage(
      "version: 0.1\nresource_type_default_usage:\n  aws_db_instance: { additional_backup_storage_gb: 100 }\n",
    );
    expect(cost("aws_db_instance", db, "us-east-1", u).total).toBe("137.07");
  });

  it("KMS, CloudWatch logs and alarms, SQS, SNS, Cognito, ECR, S3, Secrets Manager", () => {
    const u = usage(`version: 0.1
resource_type_default_usage:
  aws_kms_key: { monthly_requests: 100000 }
  aws_cloudwatch_log_group: { monthly_data_ingested_gb: 10, storage_gb: 100 }
  aws_sqs_queue: { monthly_requests: 5000000 }
  aws_sns_topic: { monthly_requests: 2000000 }
  aws_cognito_user_pool: { monthly_active_users: 12000 }
  aws_ecr_repository: { storage_gb: 20 }
  aws_s3_bucket: { storage_gb: 1000, monthly_tier_1_requests: 10000, monthly_tier_2_requests: 100000 }
  aws_secretsmanager_secret: { monthly_requests: 20000 }
`);
    const c = (type: string, attrs: Attrs = {}) => cost(type, attrs, "us-east-1", u).total;
    expect(c("aws_kms_key")).toBe("1.3"); // 1 + 10 × 0.03
    expect(c("aws_cloudwatch_log_group")).toBe("8"); // 10 × 0.5 + 100 × 0.03
    expect(c("aws_cloudwatch_metric_alarm", { period: 300 })).toBe("0.1");
    expect(c("aws_cloudwatch_metric_alarm", { period: 10 })).toBe("0.3");
    expect(c("aws_sqs_queue")).toBe("2"); // 5 × 0.40
    expect(c("aws_sqs_queue", { fifo_queue: true })).toBe("2.5"); // 5 × 0.50
    expect(c("aws_sns_topic")).toBe("1"); // 2 × 0.50
    expect(c("aws_cognito_user_pool")).toBe("30"); // (12000 - 10000) × 0.015
    expect(c("aws_ecr_repository")).toBe("2"); // 20 × 0.10
    expect(c("aws_s3_bucket")).toBe("23.09"); // 1000 × 0.023 + 10 × 0.005 + 100 × 0.0004
    expect(c("aws_secretsmanager_secret")).toBe("0.5"); // 0.40 + 2 × 0.05
  });

  it("load balancers: ALB and NLB hours, capacity units from GB processed", () => {
    expect(cost("aws_lb", {}).total).toBe("16.425"); // 730 × 0.0225
    const u = usage("version: 0.1\nresource_type_default_usage:\n  aws_lb: { processed_bytes_gb: 1000 }\n");
    expect(cost("aws_lb", {}, "us-east-1", u).total).toBe("24.425"); // + 1000 × 0.008
    expect(cost("aws_lb", { load_balancer_type: "network" }, "us-east-1", u).total).toBe("22.425"); // + 1000 × 0.006
  });

  it("prices by region", () => {
    expect(cost("aws_nat_gateway", {}, "eu-west-1").components["NAT gateway"]).toBe("35.04"); // 730 × 0.048
    expect(cost("aws_nat_gateway", {}, "ap-southeast-1").components["NAT gateway"]).toBe("43.07"); // 730 × 0.059
    expect(cost("aws_eks_cluster", {}, "eu-central-1").total).toBe("73");
    expect(cost("aws_nat_gateway", {}, "sa-east-1").components["NAT gateway"]).toBe("not priced");
  });

  it("knows free types from unsupported ones", () => {
    expect(pricingOf("aws_route_table")).toBe("free");
    expect(pricingOf("aws_security_group")).toBe("free");
    expect(pricingOf("aws_iam_role")).toBe("free");
    expect(pricingOf("aws_nat_gateway")).toBe("priced");
    expect(pricingOf("aws_elasticache_cluster")).toBe("unsupported");
  });
});
