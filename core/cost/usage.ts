import { z } from "zod";
import { formatSourceError, LocatedDocument } from "../policy/source-errors.ts";

/**
 * A per-environment usage file (YAML), in Infracost's usage-file shape: defaults per resource type and
 * figures per resource address. Only usage-based components read it; without a figure they are listed
 * as "depends on usage" and left out of totals.
 *
 *   version: 0.1
 *   resource_type_default_usage:
 *     aws_nat_gateway: { monthly_data_processed_gb: 200 }
 *   resource_usage:
 *     aws_cloudwatch_log_group.flow_logs: { monthly_data_ingested_gb: 50, storage_gb: 300 }
 */

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

const quantity = z.number().min(0, "a number ≥ 0");

/** The keys each resource type reads (Infracost's names where Infracost has one). */
export const USAGE_KEYS = {
  aws_nat_gateway: ["monthly_data_processed_gb"],
  aws_vpc_endpoint: ["monthly_data_processed_gb"],
  aws_cloudwatch_log_group: ["monthly_data_ingested_gb", "storage_gb"],
  aws_sqs_queue: ["monthly_requests"],
  aws_sns_topic: ["monthly_requests"],
  aws_cognito_user_pool: ["monthly_active_users"],
  aws_ecr_repository: ["storage_gb"],
  aws_s3_bucket: ["storage_gb", "monthly_tier_1_requests", "monthly_tier_2_requests"],
  aws_kms_key: ["monthly_requests"],
  aws_secretsmanager_secret: ["monthly_requests"],
  aws_db_instance: ["additional_backup_storage_gb"],
  aws_lb: ["processed_bytes_gb"],
  aws_alb: ["processed_bytes_gb"],
  aws_eks_node_group: ["instances"],
  aws_cloudwatch_metric_alarm: [],
} as const satisfies Record<string, readonly string[]>;

export type UsageType = keyof typeof USAGE_KEYS;
export type UsageFigures = Readonly<Record<string, number>>;

function figures(type: UsageType) {
  const keys = USAGE_KEYS[type] as readonly string[];
  return z.strictObject(Object.fromEntries(keys.map((k) => [k, quantity.optional()])));
}

const typeDefaults = z.strictObject(
  Object.fromEntries(Object.keys(USAGE_KEYS).map((t) => [t, figures(t as UsageType).optional()])),
);

const ADDRESS = /^(?:module\.[^.]+(?:\[[^\]]+\])?\.)*(aws_[a-z0-9_]+)\.[A-Za-z0-9_-]+(?:\[[^\]]+\])?$/;

export const usageSchema = z.strictObject({
  version: z.literal(0.1, { error: "0.1 (Infracost's usage-file version)" }),
  resource_type_default_usage: typeDefaults.optional(),
  resource_usage: z.record(z.string(), z.record(z.string(), quantity)).optional(),
});

export interface Usage {
  /** The figures for a resource: its own, over its type's defaults. */
  figures(address: string, type: string): UsageFigures;
}

export const NO_USAGE: Usage = { figures: () => ({}) };

/** Parses a usage file; errors name the file, the line and the field. */
export function parseUsage(text: string, file: string): Usage {
  const doc = new LocatedDocument(file, text);
  const first = doc.syntaxErrors[0];
  if (first) throw new UsageError(formatSourceError(first));
  const parsed = usageSchema.safeParse(doc.value ?? {});
  if (!parsed.success) {
    const errors = doc.zodErrors(parsed.error.issues);
    throw new UsageError(errors.map(formatSourceError).join("\n"));
  }
  const byAddress = parsed.data.resource_usage ?? {};
  for (const [address, values] of Object.entries(byAddress)) {
    const m = ADDRESS.exec(address);
    const type = m?.[1];
    const keys =
      type && type in USAGE_KEYS ? (USAGE_KEYS[type as UsageType] as readonly string[]) : undefined;
    const problem = !m
      ? "a resource address such as aws_nat_gateway.main or module.net.aws_nat_gateway.main"
      : !keys
        ? `a resource of a type with usage figures (${Object.keys(USAGE_KEYS).join(", ")})`
        : undefined;
    const badKey = keys && Object.keys(values).find((k) => !keys.includes(k));
    if (problem || badKey) {
      const error = doc.errorAt(
        ["resource_usage", address, ...(badKey ? [badKey] : [])],
        problem
          ? `expected ${problem}`
          : `unknown usage key for ${type}; expected one of ${keys?.join(", ")}`,
        true,
      );
      throw new UsageError(formatSourceError(error));
    }
  }
  const defaults = (parsed.data.resource_type_default_usage ?? {}) as Record<
    string,
    UsageFigures | undefined
  >;
  return {
    figures: (address, type) => ({ ...defaults[type], ...byAddress[address] }),
  };
}
