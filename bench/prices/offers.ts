import { type Dec, formatDec, mul, parseDec } from "../../core/cost/money.ts";

/**
 * Reading AWS Price List bulk offer files (https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/
 * <offerCode>/current/<region>/index.json): `products` by SKU with `attributes`, and `terms.OnDemand`
 * by SKU with `priceDimensions` (unit, pricePerUnit.USD, beginRange). Each rule below picks the
 * products that make one Sluice price key; the first paid tier is taken.
 */

export interface Offer {
  readonly offerCode?: string;
  readonly publicationDate?: string;
  readonly products: Record<
    string,
    { readonly productFamily?: string; readonly attributes?: Record<string, string> }
  >;
  readonly terms: {
    readonly OnDemand?: Record<
      string,
      Record<
        string,
        {
          readonly priceDimensions: Record<
            string,
            {
              readonly unit: string;
              readonly pricePerUnit: { readonly USD?: string };
              readonly beginRange?: string;
            }
          >;
        }
      >
    >;
  };
}

type Attrs = Readonly<Record<string, string>>;

export interface PriceRule {
  /** The offer the rule reads, e.g. "AmazonEC2". */
  readonly offer: string;
  /** The Sluice price key for a product, or undefined when the product is not for this rule. */
  readonly key: (family: string, a: Attrs) => string | undefined;
  /** The unit written to the price file. */
  readonly unit: string;
  /** AWS prices some things per request or per GB-hour: multiplied into Sluice's unit. */
  readonly multiplier?: string;
}

const usage = (a: Attrs, suffix: string) => (a.usagetype ?? "").endsWith(suffix);

const linux = (a: Attrs) =>
  a.operatingSystem === "Linux" &&
  a.tenancy === "Shared" &&
  a.preInstalledSw === "NA" &&
  (a.capacitystatus ?? "Used") === "Used" &&
  (a.licenseModel ?? "No License required") === "No License required";

const RDS_STORAGE: Record<string, string> = {
  "General Purpose-GP3": "gp3",
  "General Purpose": "gp2",
  "Provisioned IOPS": "io1",
  "Provisioned IOPS-IO2": "io2",
};

const az = (a: Attrs) =>
  a.deploymentOption === "Multi-AZ" ? ".multi-az" : a.deploymentOption === "Single-AZ" ? "" : undefined;

export const RULES: readonly PriceRule[] = [
  {
    offer: "AmazonEC2",
    unit: "hour",
    key: (f, a) => (f === "Compute Instance" && linux(a) ? `ec2.${a.instanceType}` : undefined),
  },
  {
    offer: "AmazonEC2",
    unit: "GB-month",
    key: (f, a) => (f === "Storage" && a.volumeApiName ? `ebs.${a.volumeApiName}.storage` : undefined),
  },
  {
    offer: "AmazonEC2",
    unit: "IOPS-month",
    key: (f, a) => {
      if (f !== "System Operation" || a.group !== "EBS IOPS") return undefined;
      if (a.volumeApiName === "io2")
        return usage(a, ".tier3")
          ? "ebs.io2.iops.tier3"
          : usage(a, ".tier2")
            ? "ebs.io2.iops.tier2"
            : "ebs.io2.iops.tier1";
      return a.volumeApiName ? `ebs.${a.volumeApiName}.iops` : undefined;
    },
  },
  {
    offer: "AmazonEC2",
    unit: "MBps-month",
    key: (f, a) =>
      f === "Provisioned Throughput" && a.volumeApiName === "gp3" ? "ebs.gp3.throughput" : undefined,
  },
  {
    offer: "AmazonEC2",
    unit: "hour",
    key: (_f, a) => (usage(a, "NatGateway-Hours") ? "nat.hour" : undefined),
  },
  { offer: "AmazonEC2", unit: "GB", key: (_f, a) => (usage(a, "NatGateway-Bytes") ? "nat.data" : undefined) },
  {
    offer: "AmazonVPC",
    unit: "hour",
    key: (_f, a) => (usage(a, "PublicIPv4:InUseAddress") ? "ipv4.public" : undefined),
  },
  {
    offer: "AmazonVPC",
    unit: "hour",
    key: (_f, a) => (usage(a, "VpcEndpoint-Hours") ? "vpce.interface.hour" : undefined),
  },
  {
    offer: "AmazonVPC",
    unit: "GB",
    key: (_f, a) => (usage(a, "VpcEndpoint-Bytes") ? "vpce.interface.data" : undefined),
  },
  {
    offer: "AmazonEKS",
    unit: "hour",
    key: (_f, a) =>
      usage(a, "AmazonEKS-Hours:perCluster")
        ? "eks.cluster.standard"
        : usage(a, "AmazonEKS-Hours:extendedSupport")
          ? "eks.cluster.extended"
          : undefined,
  },
  {
    offer: "AmazonRDS",
    unit: "hour",
    key: (f, a) => {
      const suffix = az(a);
      if (f !== "Database Instance" || a.databaseEngine !== "PostgreSQL" || suffix === undefined)
        return undefined;
      return `rds.postgres.${a.instanceType}.${suffix ? "multi-az" : "single-az"}`;
    },
  },
  {
    offer: "AmazonRDS",
    unit: "GB-month",
    key: (f, a) => {
      const type = RDS_STORAGE[a.volumeType ?? ""];
      const suffix = az(a);
      return f === "Database Storage" && a.databaseEngine === "PostgreSQL" && type && suffix !== undefined
        ? `rds.storage.${type}${suffix}`
        : undefined;
    },
  },
  {
    offer: "AmazonRDS",
    unit: "IOPS-month",
    key: (f, a) => {
      const suffix = az(a);
      const type = a.volumeType === "Provisioned IOPS-IO2" ? "io2" : "io1";
      return f === "Provisioned IOPS" && a.databaseEngine === "PostgreSQL" && suffix !== undefined
        ? `rds.iops.${type}${suffix}`
        : undefined;
    },
  },
  {
    offer: "AmazonRDS",
    unit: "GB-month",
    key: (_f, a) => (usage(a, "RDS:ChargedBackupUsage") ? "rds.backup" : undefined),
  },
  { offer: "awskms", unit: "key-month", key: (_f, a) => (usage(a, "KMS-Keys") ? "kms.key" : undefined) },
  {
    offer: "awskms",
    unit: "10k requests",
    multiplier: "10000",
    key: (_f, a) => (usage(a, "KMS-Requests") ? "kms.requests" : undefined),
  },
  {
    offer: "AmazonCloudWatch",
    unit: "GB",
    key: (_f, a) => (usage(a, "DataProcessing-Bytes") ? "logs.ingest" : undefined),
  },
  {
    offer: "AmazonCloudWatch",
    unit: "GB-month",
    key: (_f, a) => (usage(a, "TimedStorage-ByteHrs") ? "logs.storage" : undefined),
  },
  {
    offer: "AmazonCloudWatch",
    unit: "alarm-month",
    key: (_f, a) =>
      usage(a, "CW:AlarmMonitorUsage")
        ? "cloudwatch.alarm.standard"
        : usage(a, "CW:HighResAlarmMonitorUsage")
          ? "cloudwatch.alarm.high-resolution"
          : undefined,
  },
  {
    offer: "AmazonCloudWatch",
    unit: "metric-month",
    key: (_f, a) => (usage(a, "CW:MetricMonitorUsage") ? "cloudwatch.metric" : undefined),
  },
  {
    offer: "AWSQueueService",
    unit: "1M requests",
    multiplier: "1000000",
    key: (_f, a) =>
      usage(a, "Requests-FIFO-Tier1")
        ? "sqs.fifo.requests"
        : usage(a, "Requests-Tier1")
          ? "sqs.standard.requests"
          : undefined,
  },
  {
    offer: "AmazonSNS",
    unit: "1M requests",
    multiplier: "1000000",
    key: (_f, a) => (usage(a, "Requests-Tier1") ? "sns.requests" : undefined),
  },
  {
    offer: "AmazonCognito",
    unit: "MAU",
    key: (_f, a) =>
      usage(a, "CognitoUserPoolMAU-Lite")
        ? "cognito.mau.lite"
        : usage(a, "CognitoUserPoolMAU-Essentials")
          ? "cognito.mau.essentials"
          : usage(a, "CognitoUserPoolMAU-Plus")
            ? "cognito.mau.plus"
            : undefined,
  },
  {
    offer: "AmazonECR",
    unit: "GB-month",
    key: (_f, a) => (usage(a, "TimedStorage-ByteHrs") ? "ecr.storage" : undefined),
  },
  {
    offer: "AmazonS3",
    unit: "GB-month",
    key: (_f, a) =>
      usage(a, "TimedStorage-ByteHrs") && a.volumeType === "Standard" ? "s3.standard.storage" : undefined,
  },
  {
    offer: "AmazonS3",
    unit: "1k requests",
    multiplier: "1000",
    key: (_f, a) =>
      usage(a, "Requests-Tier1")
        ? "s3.requests.tier1"
        : usage(a, "Requests-Tier2")
          ? "s3.requests.tier2"
          : undefined,
  },
  {
    offer: "AWSSecretsManager",
    unit: "secret-month",
    key: (_f, a) => (usage(a, "AWSSecretsManager-Secrets") ? "secretsmanager.secret" : undefined),
  },
  {
    offer: "AWSSecretsManager",
    unit: "10k requests",
    multiplier: "10000",
    key: (_f, a) => (usage(a, "AWSSecretsManager-APIRequest") ? "secretsmanager.requests" : undefined),
  },
  {
    offer: "AWSELB",
    unit: "hour",
    key: (f, a) =>
      usage(a, "LoadBalancerUsage")
        ? f === "Load Balancer-Network"
          ? "nlb.hour"
          : f === "Load Balancer-Application"
            ? "alb.hour"
            : undefined
        : undefined,
  },
  {
    offer: "AWSELB",
    unit: "LCU-hour",
    key: (f, a) =>
      usage(a, "LCUUsage")
        ? f === "Load Balancer-Network"
          ? "nlb.nlcu"
          : f === "Load Balancer-Application"
            ? "alb.lcu"
            : undefined
        : undefined,
  },
];

export interface Extracted {
  readonly key: string;
  readonly usd: string;
  readonly unit: string;
}

/** The prices one offer file gives for Sluice's keys: the first paid tier of each matching product. */
export function extractPrices(offer: Offer, rules: readonly PriceRule[] = RULES): Extracted[] {
  const code = offer.offerCode;
  const mine = rules.filter((r) => !code || r.offer === code);
  const found = new Map<string, Extracted>();
  for (const [sku, product] of Object.entries(offer.products ?? {})) {
    const attrs = product.attributes ?? {};
    for (const rule of mine) {
      const key = rule.key(product.productFamily ?? "", attrs);
      if (!key || found.has(key)) continue;
      const price = firstPaidTier(offer, sku);
      if (price === undefined) continue;
      const usd = rule.multiplier ? mul(price, parseDec(rule.multiplier) as Dec) : price;
      found.set(key, { key, usd: formatDec(usd), unit: rule.unit });
    }
  }
  return [...found.values()].sort((a, b) => a.key.localeCompare(b.key));
}

function firstPaidTier(offer: Offer, sku: string): Dec | undefined {
  const dims = Object.values(offer.terms.OnDemand?.[sku] ?? {}).flatMap((t) =>
    Object.values(t.priceDimensions),
  );
  const paid = dims
    .map((d) => ({ begin: Number(d.beginRange ?? 0), usd: parseDec(d.pricePerUnit.USD ?? "") }))
    .filter((d): d is { begin: number; usd: Dec } => d.usd !== undefined && d.usd > 0n)
    .sort((a, b) => a.begin - b.begin);
  return paid[0]?.usd;
}
