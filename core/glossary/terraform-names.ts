import { isRecord } from "../plan/values.ts";
import type { NameUse } from "./check.ts";
import type { NameTarget } from "./targets.ts";
import { literalText } from "./tokens.ts";

/**
 * Where names live in Terraform resources: resource type → attribute → target. Used for synthesized
 * Terraform JSON (cdktf.out), for plan JSON (`change.after`) and by the synth-time Aspect.
 */
type TargetOf = NameTarget | ((config: Readonly<Record<string, unknown>>) => NameTarget);

const NAME_ATTRIBUTES: Readonly<Record<string, Readonly<Record<string, TargetOf>>>> = {
  aws_iam_role: { name: "iam-role", name_prefix: "iam-role" },
  aws_iam_policy: { name: "iam-policy", name_prefix: "iam-policy" },
  aws_iam_role_policy: { name: "iam-policy" },
  aws_iam_instance_profile: { name: "iam-role" },
  aws_sqs_queue: {
    name: (c) => (c.fifo_queue === true || c.fifo_queue === "true" ? "sqs-fifo-queue" : "sqs-queue"),
    name_prefix: "sqs-queue",
  },
  aws_db_instance: {
    identifier: "rds-identifier",
    identifier_prefix: "rds-identifier",
    final_snapshot_identifier: "generic",
  },
  aws_rds_cluster: { cluster_identifier: "rds-identifier" },
  aws_db_subnet_group: { name: "generic" },
  aws_db_parameter_group: { name: "generic", name_prefix: "generic" },
  aws_eks_cluster: { name: "eks-cluster" },
  aws_eks_node_group: { node_group_name: "eks-node-group" },
  aws_eks_addon: { addon_name: "generic" },
  aws_eks_pod_identity_association: { namespace: "k8s-namespace", service_account: "k8s-name" },
  aws_launch_template: { name: "generic", name_prefix: "generic" },
  aws_s3_bucket: { bucket: "s3-bucket", bucket_prefix: "s3-bucket" },
  aws_lb: { name: "alb" },
  aws_alb: { name: "alb" },
  aws_lb_target_group: { name: "target-group" },
  aws_alb_target_group: { name: "target-group" },
  aws_cognito_user_pool: { name: "cognito-user-pool" },
  aws_cognito_user_pool_client: { name: "cognito-client" },
  aws_cognito_user_group: { name: "generic" },
  aws_ecr_repository: { name: "ecr-repository" },
  aws_cloudwatch_log_group: { name: "log-group" },
  aws_cloudwatch_metric_alarm: { alarm_name: "generic" },
  aws_kms_alias: { name: "kms-alias" },
  aws_sns_topic: { name: "sns-topic" },
  aws_security_group: { name: "security-group", name_prefix: "security-group" },
  aws_secretsmanager_secret: { name: "secret" },
  aws_ssm_parameter: { name: "generic" },
  aws_dynamodb_table: { name: "generic" },
  aws_codebuild_project: { name: "generic" },
  helm_release: { name: "helm-release", namespace: "k8s-namespace" },
};

/** Tags whose values are names, so their tokens must be glossary terms too. */
const NAME_BEARING_TAGS = new Set(["name", "environment", "env", "component", "tenant", "team"]);

type Json = Readonly<Record<string, unknown>>;

/** Every name in a synthesized Terraform JSON document (cdktf.out/stacks/x/cdk.tf.json). */
export function namesInTerraformJson(json: Json, file: string): NameUse[] {
  const out: NameUse[] = [];
  for (const [type, blocks] of entries(json.resource)) {
    for (const [id, config] of entries(blocks)) {
      if (isRecord(config)) out.push(...namesInResource(type, `${type}.${id}`, config, file));
    }
  }
  for (const [provider, configs] of entries(json.provider)) {
    for (const config of Array.isArray(configs) ? configs : [configs]) {
      if (!isRecord(config)) continue;
      for (const block of asBlocks(config.default_tags)) {
        out.push(...namesInTags(block.tags, `provider.${provider}.default_tags`, file));
      }
    }
  }
  return out;
}

/** Every name a Terraform plan (`terraform show -json`) will create or keep. */
export function namesInPlanJson(json: Json, file: string): NameUse[] {
  if (!Array.isArray(json.resource_changes)) return [];
  const out: NameUse[] = [];
  for (const rc of json.resource_changes) {
    if (!isRecord(rc) || !isRecord(rc.change)) continue;
    if (rc.mode === "data") continue;
    const after = rc.change.after;
    if (!isRecord(after) || typeof rc.type !== "string") continue;
    const address = typeof rc.address === "string" ? rc.address : rc.type;
    out.push(...namesInResource(rc.type, address, after, file));
  }
  return out;
}

/** True when the document is a plan (`terraform show -json`) rather than configuration. */
export function isPlanJson(json: Json): boolean {
  return (
    "resource_changes" in json ||
    "planned_values" in json ||
    ("format_version" in json && !("resource" in json))
  );
}

/** True when the document looks like Terraform JSON configuration. */
export function isTerraformJson(json: Json): boolean {
  return "resource" in json || "terraform" in json || "provider" in json;
}

/** The names one resource sets: its name attributes, Kubernetes metadata and tags. */
export function namesInResource(type: string, address: string, config: Json, file: string): NameUse[] {
  const out: NameUse[] = [];
  for (const [attribute, targetOf] of Object.entries(NAME_ATTRIBUTES[type] ?? {})) {
    const value = config[attribute];
    if (typeof value !== "string" || isWholeReference(value)) continue;
    const target = typeof targetOf === "function" ? targetOf(config) : targetOf;
    out.push(use(file, `${address}.${attribute}`, value, target));
  }
  if (type.startsWith("kubernetes_")) {
    const isNamespace = type === "kubernetes_namespace" || type === "kubernetes_namespace_v1";
    for (const metadata of asBlocks(config.metadata)) {
      const name = metadata.name;
      if (typeof name === "string" && !isWholeReference(name)) {
        out.push(use(file, `${address}.metadata.name`, name, isNamespace ? "k8s-namespace" : "k8s-name"));
      }
      const namespace = metadata.namespace;
      if (typeof namespace === "string" && !isWholeReference(namespace)) {
        out.push(use(file, `${address}.metadata.namespace`, namespace, "k8s-namespace"));
      }
      for (const [key, value] of entries(metadata.labels)) {
        if (typeof value === "string" && !isWholeReference(value)) {
          out.push(use(file, `${address}.metadata.labels.${key}`, value, "k8s-label-value"));
        }
      }
    }
  }
  out.push(...namesInTags(config.tags, `${address}.tags`, file));
  return out;
}

function namesInTags(tags: unknown, address: string, file: string): NameUse[] {
  const out: NameUse[] = [];
  for (const [key, value] of entries(tags)) {
    if (!key.includes("${")) out.push({ file, address: `${address}.${key}`, name: key, target: "tag-key" });
    const tokens = NAME_BEARING_TAGS.has(key.toLowerCase());
    if (typeof value !== "string" || isWholeReference(value)) continue;
    // A value with a reference in it has an unknown length; only its literal words can be checked.
    if (value.includes("${") && !tokens) continue;
    out.push({ ...use(file, `${address}.${key}`, value, "tag-value"), tokens });
  }
  return out;
}

/**
 * A name that is nothing but references (`${aws_s3_bucket.x.id}`): its value is checked where it is
 * defined. A name that mixes literal text with references (`prd-${var.id}`) is checked as `partial`:
 * its literal words still have to be glossary terms.
 */
function isWholeReference(value: string): boolean {
  return value.includes("${") && literalText(value).trim() === "";
}

function use(file: string, address: string, name: string, target: NameTarget): NameUse {
  return { file, address, name, target, ...(name.includes("${") ? { partial: true } : {}) };
}

function entries(value: unknown): [string, unknown][] {
  return isRecord(value) ? Object.entries(value) : [];
}

/** A nested block, which Terraform JSON writes as an object or a list of objects. */
function asBlocks(value: unknown): Json[] {
  if (Array.isArray(value)) return value.filter(isRecord);
  return isRecord(value) ? [value] : [];
}
