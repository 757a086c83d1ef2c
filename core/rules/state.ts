import { blocksOf } from "./network.ts";
import { excerpt, readPolicy } from "./policy-document.ts";
import { isBootstrapStack } from "./stack-environment.ts";
import {
  type ResourceBlock,
  type Rule,
  type RuleViolation,
  resourcesOf,
  type SynthesizedStack,
  violation,
} from "./types.ts";

const PUBLIC_ACCESS_FLAGS = [
  "block_public_acls",
  "block_public_policy",
  "ignore_public_acls",
  "restrict_public_buckets",
] as const;

/** Whether `ref` (a companion resource's `bucket`) points at `bucket`: by reference or by literal name. */
function refersTo(ref: unknown, bucket: ResourceBlock): boolean {
  if (typeof ref !== "string") return false;
  if (ref === `\${aws_s3_bucket.${bucket.name}.id}` || ref === `\${aws_s3_bucket.${bucket.name}.bucket}`)
    return true;
  return typeof bucket.config.bucket === "string" && ref === bucket.config.bucket;
}

/** The companion resources of `type` that configure `bucket`. */
function companions(stack: SynthesizedStack, type: string, bucket: ResourceBlock): ResourceBlock[] {
  return resourcesOf(stack, type).filter((c) => refersTo(c.config.bucket, bucket));
}

/** Runs `check` for every bucket in the stack; a returned string is a violation message. */
function perBucket(
  id: string,
  stack: SynthesizedStack,
  check: (bucket: ResourceBlock) => string | undefined,
): RuleViolation[] {
  const out: RuleViolation[] = [];
  for (const bucket of resourcesOf(stack, "aws_s3_bucket")) {
    const message = check(bucket);
    if (message) out.push(violation(id, stack, bucket, message));
  }
  return out;
}

const s3PublicAccessBlocked: Rule = {
  id: "s3-public-access-blocked",
  description: "Every S3 bucket has a public access block with all four settings on.",
  check(stack) {
    const accountWide = resourcesOf(stack, "aws_s3_account_public_access_block").some((b) =>
      PUBLIC_ACCESS_FLAGS.every((f) => b.config[f] === true),
    );
    return perBucket(s3PublicAccessBlocked.id, stack, (bucket) => {
      if (accountWide) return undefined;
      const blocks = companions(stack, "aws_s3_bucket_public_access_block", bucket);
      if (blocks.length === 0) return "has no aws_s3_bucket_public_access_block";
      if (blocks.some((b) => PUBLIC_ACCESS_FLAGS.every((f) => b.config[f] === true))) return undefined;
      const off = PUBLIC_ACCESS_FLAGS.filter((f) => !blocks.some((b) => b.config[f] === true));
      return `public access block leaves ${off.join(", ")} off; all four must be true`;
    });
  },
};

const s3Encrypted: Rule = {
  id: "s3-encrypted",
  description: "Every S3 bucket encrypts objects by default with KMS (aws:kms or aws:kms:dsse).",
  check(stack) {
    return perBucket(s3Encrypted.id, stack, (bucket) => {
      const configs = companions(stack, "aws_s3_bucket_server_side_encryption_configuration", bucket);
      if (configs.length === 0) return "has no aws_s3_bucket_server_side_encryption_configuration";
      const algorithms = configs.flatMap((c) =>
        blocksOf(c.config.rule).flatMap((r) =>
          blocksOf(r.apply_server_side_encryption_by_default).map((d) => String(d.sse_algorithm)),
        ),
      );
      if (algorithms.some((a) => a === "aws:kms" || a === "aws:kms:dsse")) return undefined;
      return `default encryption is ${algorithms.length > 0 ? algorithms.join(", ") : "not set"}; expected aws:kms`;
    });
  },
};

const s3Versioned: Rule = {
  id: "s3-versioned",
  description: "Every S3 bucket (above all the Terraform state bucket) has versioning enabled.",
  check(stack) {
    return perBucket(s3Versioned.id, stack, (bucket) => {
      const configs = companions(stack, "aws_s3_bucket_versioning", bucket);
      const statuses = configs.flatMap((c) =>
        blocksOf(c.config.versioning_configuration).map((v) => String(v.status)),
      );
      if (statuses.includes("Enabled")) return undefined;
      return configs.length === 0
        ? "has no aws_s3_bucket_versioning"
        : `versioning status is ${statuses.join(", ") || "not set"}; expected Enabled`;
    });
  },
};

const s3TlsOnly: Rule = {
  id: "s3-tls-only",
  description:
    "Every S3 bucket's policy denies all requests not made over TLS (aws:SecureTransport = false).",
  check(stack) {
    return perBucket(s3TlsOnly.id, stack, (bucket) => {
      const policies = companions(stack, "aws_s3_bucket_policy", bucket);
      if (policies.length === 0) return "has no aws_s3_bucket_policy denying insecure transport";
      const problems: string[] = [];
      for (const policy of policies) {
        const read = readPolicy(stack, policy.config.policy);
        if (!read.ok) {
          problems.push(`${policy.address} cannot be checked: ${read.reason}`);
          continue;
        }
        const denies = read.statements.some(
          (s) =>
            s.effect === "Deny" &&
            s.principals.some((p) => p.identifiers.includes("*")) &&
            s.actions.some((a) => a === "s3:*" || a === "*") &&
            s.resources.some((r) => r === "*" || r.endsWith("/*")) &&
            s.conditions.some(
              (c) => c.test === "Bool" && c.variable === "aws:SecureTransport" && c.values.includes("false"),
            ),
        );
        if (denies) return undefined;
      }
      return problems.length > 0
        ? problems.join("; ")
        : "bucket policy has no Deny of s3:* for principal * on the objects when aws:SecureTransport is false";
    });
  },
};

const backendEncryptedLocking: Rule = {
  id: "backend-encrypted-locking",
  description:
    "Every stack keeps state in the S3 backend with encrypt = true and use_lockfile = true, without DynamoDB; only a bootstrap stack may use a local backend.",
  check(stack) {
    const backend = (stack.json.terraform?.backend ?? {}) as Record<string, Record<string, unknown>>;
    const kinds = Object.keys(backend);
    const at = { type: "terraform", name: "backend", address: "terraform.backend", config: {} };
    const fail = (message: string) => [violation(backendEncryptedLocking.id, stack, at, message)];
    const s3 = backend.s3;
    if (!s3) {
      const local = kinds.length === 0 || (kinds.length === 1 && kinds[0] === "local");
      if (local && isBootstrapStack(stack)) return [];
      return fail(
        `uses the ${kinds.join(", ") || "default local"} backend; expected s3 (only an "<env>-bootstrap" stack may keep local state)`,
      );
    }
    const problems: string[] = [];
    if (s3.encrypt !== true) problems.push(`encrypt is ${excerpt(s3.encrypt)}, expected true`);
    if (s3.use_lockfile !== true) problems.push(`use_lockfile is ${excerpt(s3.use_lockfile)}, expected true`);
    if (s3.dynamodb_table !== undefined) problems.push("sets dynamodb_table; DynamoDB locking is deprecated");
    return problems.length > 0 ? fail(`s3 backend ${problems.join("; ")}`) : [];
  },
};

/** Rules for S3 buckets and the Terraform state backend. */
export const stateRules: readonly Rule[] = [
  s3PublicAccessBlocked,
  s3Encrypted,
  s3Versioned,
  s3TlsOnly,
  backendEncryptedLocking,
];
