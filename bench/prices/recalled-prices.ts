import { writeFileSync } from "node:fs";

/**
 * Writes core/cost/aws-prices.json from the figures below, for when the AWS Price List cannot be
 * reached (the machine Sluice is built on has no internet). Every figure is marked with its source:
 * - "recalled": the us-east-1 on-demand price from AWS's public price pages as the author knew them
 *   (2024–2025 list prices), NOT verified against AWS on the day the file was written;
 * - "recalled-regional": a regional figure known the same way, equally unverified;
 * - "derived": the us-east-1 figure times the region's usual on-demand premium (REGION_FACTOR), NOT verified.
 * With internet, run bench/prices/build-prices.ts instead: it rebuilds the file from AWS's bulk offers and
 * marks every figure "aws-price-list".
 *
 * Run: npx tsx bench/prices/recalled-prices.ts
 */

const TAKEN = "2026-12-02";
const REGIONS = [
  "us-east-1",
  "us-east-2",
  "us-west-2",
  "eu-west-1",
  "eu-west-2",
  "eu-central-1",
  "ap-southeast-1",
];

/** Usual on-demand premium over us-east-1 for compute and database (approximate). */
const REGION_FACTOR: Record<string, number> = {
  "us-east-1": 1,
  "us-east-2": 1,
  "us-west-2": 1,
  "eu-west-1": 1.115,
  "eu-west-2": 1.16,
  "eu-central-1": 1.2,
  "ap-southeast-1": 1.25,
};

type Entry = { usd: string; unit: string; taken: string; source: string };

/** us-east-1 Linux on-demand, USD per hour. */
const EC2: Record<string, number> = {
  "t3.medium": 0.0416,
  "t3.large": 0.0832,
  "t3.xlarge": 0.1664,
  "t3.2xlarge": 0.3328,
  "t3a.medium": 0.0376,
  "t3a.large": 0.0752,
  "t3a.xlarge": 0.1504,
  "t3a.2xlarge": 0.3008,
  "t4g.medium": 0.0336,
  "t4g.large": 0.0672,
  "t4g.xlarge": 0.1344,
  "t4g.2xlarge": 0.2688,
  "m5.large": 0.096,
  "m5.xlarge": 0.192,
  "m5.2xlarge": 0.384,
  "m5.4xlarge": 0.768,
  "m6i.large": 0.096,
  "m6i.xlarge": 0.192,
  "m6i.2xlarge": 0.384,
  "m6i.4xlarge": 0.768,
  "m7i.large": 0.1008,
  "m7i.xlarge": 0.2016,
  "m7i.2xlarge": 0.4032,
  "m7i.4xlarge": 0.8064,
  "m6g.medium": 0.0385,
  "m6g.large": 0.077,
  "m6g.xlarge": 0.154,
  "m6g.2xlarge": 0.308,
  "m6g.4xlarge": 0.616,
  "m7g.medium": 0.0408,
  "m7g.large": 0.0816,
  "m7g.xlarge": 0.1632,
  "m7g.2xlarge": 0.3264,
  "m7g.4xlarge": 0.6528,
  "c5.large": 0.085,
  "c5.xlarge": 0.17,
  "c5.2xlarge": 0.34,
  "c5.4xlarge": 0.68,
  "c6i.large": 0.085,
  "c6i.xlarge": 0.17,
  "c6i.2xlarge": 0.34,
  "c6i.4xlarge": 0.68,
  "c7i.large": 0.08925,
  "c7i.xlarge": 0.1785,
  "c7i.2xlarge": 0.357,
  "c7i.4xlarge": 0.714,
  "c6g.medium": 0.034,
  "c6g.large": 0.068,
  "c6g.xlarge": 0.136,
  "c6g.2xlarge": 0.272,
  "c6g.4xlarge": 0.544,
  "c7g.medium": 0.0363,
  "c7g.large": 0.0725,
  "c7g.xlarge": 0.145,
  "c7g.2xlarge": 0.29,
  "c7g.4xlarge": 0.58,
  "r5.large": 0.126,
  "r5.xlarge": 0.252,
  "r5.2xlarge": 0.504,
  "r5.4xlarge": 1.008,
  "r6i.large": 0.126,
  "r6i.xlarge": 0.252,
  "r6i.2xlarge": 0.504,
  "r6i.4xlarge": 1.008,
  "r7i.large": 0.1323,
  "r7i.xlarge": 0.2646,
  "r7i.2xlarge": 0.5292,
  "r7i.4xlarge": 1.0584,
  "r6g.medium": 0.0504,
  "r6g.large": 0.1008,
  "r6g.xlarge": 0.2016,
  "r6g.2xlarge": 0.4032,
  "r6g.4xlarge": 0.8064,
  "r7g.medium": 0.0536,
  "r7g.large": 0.1071,
  "r7g.xlarge": 0.2142,
  "r7g.2xlarge": 0.4284,
  "r7g.4xlarge": 0.8568,
};

/** us-east-1 RDS for PostgreSQL, single-AZ, USD per hour (Multi-AZ is twice this). */
const RDS: Record<string, number> = {
  "db.t3.micro": 0.018,
  "db.t3.small": 0.036,
  "db.t3.medium": 0.072,
  "db.t3.large": 0.145,
  "db.t3.xlarge": 0.29,
  "db.t3.2xlarge": 0.579,
  "db.t4g.micro": 0.016,
  "db.t4g.small": 0.032,
  "db.t4g.medium": 0.065,
  "db.t4g.large": 0.129,
  "db.t4g.xlarge": 0.258,
  "db.t4g.2xlarge": 0.517,
  "db.m5.large": 0.178,
  "db.m5.xlarge": 0.356,
  "db.m5.2xlarge": 0.712,
  "db.m5.4xlarge": 1.424,
  "db.m6i.large": 0.178,
  "db.m6i.xlarge": 0.356,
  "db.m6i.2xlarge": 0.712,
  "db.m6i.4xlarge": 1.424,
  "db.m6g.large": 0.159,
  "db.m6g.xlarge": 0.318,
  "db.m6g.2xlarge": 0.636,
  "db.m6g.4xlarge": 1.272,
  "db.m7g.large": 0.168,
  "db.m7g.xlarge": 0.337,
  "db.m7g.2xlarge": 0.674,
  "db.m7g.4xlarge": 1.348,
  "db.r5.large": 0.25,
  "db.r5.xlarge": 0.5,
  "db.r5.2xlarge": 1.0,
  "db.r5.4xlarge": 2.0,
  "db.r6i.large": 0.25,
  "db.r6i.xlarge": 0.5,
  "db.r6i.2xlarge": 1.0,
  "db.r6i.4xlarge": 2.0,
  "db.r6g.large": 0.225,
  "db.r6g.xlarge": 0.45,
  "db.r6g.2xlarge": 0.899,
  "db.r6g.4xlarge": 1.798,
  "db.r7g.large": 0.239,
  "db.r7g.xlarge": 0.478,
  "db.r7g.2xlarge": 0.956,
  "db.r7g.4xlarge": 1.913,
};

/** Other us-east-1 prices: [key, USD, unit, scales with the region factor?]. */
const OTHER: [string, number, string, boolean][] = [
  ["eks.cluster.standard", 0.1, "hour", false],
  ["eks.cluster.extended", 0.6, "hour", false],
  ["ebs.gp3.storage", 0.08, "GB-month", true],
  ["ebs.gp3.iops", 0.005, "IOPS-month", true],
  ["ebs.gp3.throughput", 0.04, "MBps-month", true],
  ["ebs.gp2.storage", 0.1, "GB-month", true],
  ["ebs.io1.storage", 0.125, "GB-month", true],
  ["ebs.io1.iops", 0.065, "IOPS-month", true],
  ["ebs.io2.storage", 0.125, "GB-month", true],
  ["ebs.io2.iops.tier1", 0.065, "IOPS-month", true],
  ["ebs.io2.iops.tier2", 0.0455, "IOPS-month", true],
  ["ebs.io2.iops.tier3", 0.032, "IOPS-month", true],
  ["ebs.st1.storage", 0.045, "GB-month", true],
  ["ebs.sc1.storage", 0.015, "GB-month", true],
  ["nat.hour", 0.045, "hour", true],
  ["nat.data", 0.045, "GB", true],
  ["ipv4.public", 0.005, "hour", false],
  ["vpce.interface.hour", 0.01, "hour", true],
  ["vpce.interface.data", 0.01, "GB", false],
  ["rds.storage.gp3", 0.115, "GB-month", true],
  ["rds.storage.gp2", 0.115, "GB-month", true],
  ["rds.storage.io1", 0.125, "GB-month", true],
  ["rds.iops.io1", 0.1, "IOPS-month", true],
  ["rds.storage.io2", 0.125, "GB-month", true],
  ["rds.iops.io2", 0.1, "IOPS-month", true],
  ["rds.backup", 0.095, "GB-month", false],
  ["kms.key", 1, "key-month", false],
  ["kms.requests", 0.03, "10k requests", false],
  ["logs.ingest", 0.5, "GB", true],
  ["logs.storage", 0.03, "GB-month", false],
  ["cloudwatch.alarm.standard", 0.1, "alarm-month", false],
  ["cloudwatch.alarm.high-resolution", 0.3, "alarm-month", false],
  ["cloudwatch.metric", 0.3, "metric-month", false],
  ["sqs.standard.requests", 0.4, "1M requests", false],
  ["sqs.fifo.requests", 0.5, "1M requests", false],
  ["sns.requests", 0.5, "1M requests", false],
  ["cognito.mau.lite", 0.0055, "MAU", false],
  ["cognito.mau.essentials", 0.015, "MAU", false],
  ["cognito.mau.plus", 0.02, "MAU", false],
  ["ecr.storage", 0.1, "GB-month", false],
  ["s3.standard.storage", 0.023, "GB-month", false],
  ["s3.requests.tier1", 0.005, "1k requests", false],
  ["s3.requests.tier2", 0.0004, "1k requests", false],
  ["secretsmanager.secret", 0.4, "secret-month", false],
  ["secretsmanager.requests", 0.05, "10k requests", false],
  ["alb.hour", 0.0225, "hour", true],
  ["alb.lcu", 0.008, "LCU-hour", true],
  ["nlb.hour", 0.0225, "hour", true],
  ["nlb.nlcu", 0.006, "NLCU-hour", true],
];

/** Regional figures the author knew directly (rather than from REGION_FACTOR). */
const REGIONAL: Record<string, Record<string, number>> = {
  "eu-west-1": {
    "nat.hour": 0.048,
    "nat.data": 0.048,
    "ebs.gp3.storage": 0.088,
    "ebs.gp2.storage": 0.11,
    "logs.ingest": 0.57,
    "vpce.interface.hour": 0.011,
    "alb.hour": 0.0252,
    "alb.lcu": 0.008,
    "m6i.large": 0.107,
    "m7g.large": 0.0912,
    "m6g.large": 0.086,
    "t4g.medium": 0.0368,
    "t3.medium": 0.0456,
  },
  "eu-west-2": {
    "nat.hour": 0.05,
    "nat.data": 0.05,
    "ebs.gp3.storage": 0.0928,
    "logs.ingest": 0.5985,
    "s3.standard.storage": 0.024,
  },
  "eu-central-1": {
    "nat.hour": 0.052,
    "nat.data": 0.052,
    "ebs.gp3.storage": 0.0952,
    "logs.ingest": 0.63,
    "vpce.interface.hour": 0.012,
    "s3.standard.storage": 0.0245,
    "alb.hour": 0.027,
  },
  "ap-southeast-1": {
    "nat.hour": 0.059,
    "nat.data": 0.059,
    "ebs.gp3.storage": 0.096,
    "logs.ingest": 0.7,
    "vpce.interface.hour": 0.013,
    "s3.standard.storage": 0.025,
    "alb.hour": 0.0252,
  },
};

/**
 * Figures the author recalled that third-party 2026 pricing pages (found through an offline search of
 * stored public pages, not AWS itself) quote identically: region → price keys.
 */
const CORROBORATED: Record<string, readonly string[]> = {
  "us-east-1": [
    "nat.hour",
    "nat.data",
    "ipv4.public",
    "vpce.interface.hour",
    "vpce.interface.data",
    "eks.cluster.extended",
    "rds.storage.gp3",
    "rds.backup",
    "rds.postgres.db.t4g.micro.single-az",
    "rds.postgres.db.t4g.small.single-az",
    "rds.postgres.db.t4g.medium.single-az",
    "rds.postgres.db.t4g.micro.multi-az",
    "rds.postgres.db.t4g.small.multi-az",
    "rds.postgres.db.t4g.medium.multi-az",
    "ec2.m7g.large",
    "ec2.t3.large",
  ],
  "ap-southeast-1": ["nat.hour", "nat.data"],
};

function money(n: number): string {
  return Number(n.toFixed(6)).toString();
}

function entry(
  region: string,
  key: string,
  base: number,
  unit: string,
  scales: boolean,
  regionalKey = key,
): Entry {
  const known = REGIONAL[region]?.[regionalKey];
  if (region === "us-east-1") return { usd: money(base), unit, taken: TAKEN, source: "recalled" };
  if (known !== undefined) return { usd: money(known), unit, taken: TAKEN, source: "recalled-regional" };
  const factor = scales ? (REGION_FACTOR[region] ?? 1) : 1;
  return { usd: money(base * factor), unit, taken: TAKEN, source: factor === 1 ? "recalled" : "derived" };
}

const regions: Record<string, Record<string, Entry>> = {};
for (const region of REGIONS) {
  const prices: Record<string, Entry> = {};
  for (const [type, usd] of Object.entries(EC2))
    prices[`ec2.${type}`] = entry(region, `ec2.${type}`, usd, "hour", true, type);
  for (const [cls, usd] of Object.entries(RDS)) {
    prices[`rds.postgres.${cls}.single-az`] = entry(region, cls, usd, "hour", true);
    prices[`rds.postgres.${cls}.multi-az`] = entry(region, cls, usd * 2, "hour", true);
  }
  for (const [key, usd, unit, scales] of OTHER) {
    prices[key] = entry(region, key, usd, unit, scales);
    if (key.startsWith("rds.storage") || key.startsWith("rds.iops")) {
      prices[`${key}.multi-az`] = entry(region, `${key}.multi-az`, usd * 2, unit, scales);
    }
  }
  for (const key of CORROBORATED[region] ?? []) {
    const entry = prices[key];
    if (!entry) throw new Error(`CORROBORATED lists ${region} ${key}, which has no price`);
    prices[key] = { ...entry, source: "corroborated" };
  }
  regions[region] = prices;
}

const file = {
  $comment:
    "On-demand AWS prices used by `sluice cost` (offline). Rebuild from the AWS Price List bulk offers with `npx tsx bench/prices/build-prices.ts` where the internet is reachable; see docs/cost.md.",
  currency: "USD",
  generated: TAKEN,
  generator: "bench/prices/recalled-prices.ts",
  sources: {
    recalled:
      "AWS public on-demand price pages (aws.amazon.com/<service>/pricing), us-east-1 list prices as known to the author (2024-2025); NOT verified on the date taken: the build machine has no internet. Prices that are the same in every region are marked recalled too.",
    "recalled-regional":
      "AWS public on-demand price pages, the region's own list price as known to the author; NOT verified on the date taken.",
    corroborated:
      "As 'recalled', and the same figure is quoted by third-party 2026 pricing pages found in an offline search (NAT, IPv4 and VPC endpoint: cloudburn.io/blog/aws-nat-gateway-pricing, basavytix.com/blog/aws-nat-gateway-pricing, egresscost.com/nat-gateway; EKS extended support: an AWS notice quoted in github.com/WGBH-MLA/chowda/issues/217; RDS gp3 storage and backup: usage.ai RDS pricing calculator; RDS db.t4g and Multi-AZ = 2x: infratally.com/articles/aws-rds-pricing-explained-2026.html; EC2 m7g.large and t3.large: factualminds.com EC2 on-demand pricing 2026, go-cloud.io). Still not checked against AWS's own price list.",
    derived:
      "NOT an AWS figure: the us-east-1 price times the region's usual on-demand premium (bench/prices/recalled-prices.ts REGION_FACTOR). Replace by running bench/prices/build-prices.ts.",
  },
  regions,
};
const out = new URL("../../core/cost/aws-prices.json", import.meta.url);
writeFileSync(out, `${JSON.stringify(file, null, 2)}\n`);
console.log(
  `wrote ${out.pathname}: ${REGIONS.length} regions, ${Object.keys(regions["us-east-1"] ?? {}).length} prices each`,
);
