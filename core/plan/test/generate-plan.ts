/**
 * A deterministic generator of large `terraform show -json` plans, shaped like real AWS plans:
 * each change appears in resource_changes, planned_values, prior_state and configuration, as terraform writes it.
 * Used by the benchmark (bench/plan.bench.ts) and by the size test of the Markdown renderer.
 */

export interface GeneratedPlanOptions {
  /** Number of resource changes. */
  readonly changes: number;
  /** Seed of the pseudo-random mix of actions and types. @default 1 */
  readonly seed?: number;
  /** Extra padding attributes per resource, to tune the file size. @default 24 */
  readonly padding?: number;
}

/** Deterministic PRNG (mulberry32), so every run builds the same plan. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TYPES = [
  "aws_instance",
  "aws_s3_bucket",
  "aws_sqs_queue",
  "aws_cloudwatch_log_group",
  "aws_route53_record",
  "aws_lambda_function",
  "aws_ssm_parameter",
  "aws_security_group",
  "aws_db_instance",
  "aws_iam_role",
] as const;

function attributes(type: string, i: number, padding: number, variant: string): Record<string, unknown> {
  const base: Record<string, unknown> = {
    arn: `arn:aws:service:eu-west-1:123456789012:${type}/res-${i}`,
    id: `res-${i}-${variant}`,
    tags: { Name: `resource-${i}`, Team: "platform", Environment: "prod", Variant: variant },
    tags_all: { Name: `resource-${i}`, Team: "platform", Environment: "prod", Variant: variant },
    nested: [{ enabled: true, mode: variant, limits: { cpu: 2, memory: 4096 } }],
  };
  if (type === "aws_db_instance") {
    base.password = `generated-password-${i}`;
    base.storage_encrypted = true;
    base.deletion_protection = true;
    base.backup_retention_period = 7;
  }
  if (type === "aws_security_group") {
    base.ingress = [{ cidr_blocks: ["10.0.0.0/8"], from_port: 443, to_port: 443, protocol: "tcp" }];
  }
  if (type === "aws_iam_role") {
    base.assume_role_policy = JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
    });
  }
  for (let p = 0; p < padding; p++)
    base[`attribute_${p}`] = `value-${variant}-${i}-${p}-lorem-ipsum-dolor-sit`;
  return base;
}

/** Builds the plan object; `JSON.stringify` it for the file text. */
export function generatePlan(options: GeneratedPlanOptions): Record<string, unknown> {
  const random = prng(options.seed ?? 1);
  const padding = options.padding ?? 24;
  const resourceChanges: unknown[] = [];
  const planned: unknown[] = [];
  const prior: unknown[] = [];
  const configured: unknown[] = [];
  for (let i = 0; i < options.changes; i++) {
    const type = TYPES[Math.floor(random() * TYPES.length)] as string;
    const roll = random();
    const actions =
      roll < 0.01
        ? ["delete"]
        : roll < 0.02
          ? ["delete", "create"]
          : roll < 0.2
            ? ["update"]
            : roll < 0.3
              ? ["no-op"]
              : roll < 0.32
                ? ["read"]
                : ["create"];
    const moduleAddress = `module.service_${i % 40}`;
    const mode = actions[0] === "read" ? "data" : "managed";
    const name = `r${i}`;
    const address = `${moduleAddress}.${mode === "data" ? "data." : ""}${type}.${name}`;
    const before =
      actions[0] === "create" && actions.length === 1 ? null : attributes(type, i, padding, "old");
    const after =
      actions[0] === "delete" && actions.length === 1 ? null : attributes(type, i, padding, "new");
    const sensitive = type === "aws_db_instance" ? { password: true } : {};
    resourceChanges.push({
      address,
      module_address: moduleAddress,
      mode,
      type,
      name,
      provider_name: "registry.terraform.io/hashicorp/aws",
      change: {
        actions,
        before,
        after,
        after_unknown: after ? { arn: actions[0] === "create" } : {},
        before_sensitive: before ? sensitive : false,
        after_sensitive: after ? sensitive : false,
      },
      ...(actions.length === 2 ? { action_reason: "replace_because_cannot_update" } : {}),
    });
    if (after) planned.push({ address, mode, type, name, values: after, sensitive_values: sensitive });
    if (before) prior.push({ address, mode, type, name, values: before, sensitive_values: sensitive });
    configured.push({
      address: `${type}.${name}`,
      mode,
      type,
      name,
      expressions: { tags: { constant_value: { Name: `resource-${i}` } } },
    });
  }
  return {
    format_version: "1.2",
    terraform_version: "1.9.8",
    variables: { region: { value: "eu-west-1" } },
    planned_values: { root_module: { resources: planned } },
    resource_changes: resourceChanges,
    prior_state: { format_version: "1.0", values: { root_module: { resources: prior } } },
    configuration: { root_module: { resources: configured } },
    timestamp: "2025-01-01T00:00:00Z",
    applyable: true,
    complete: true,
    errored: false,
  };
}
