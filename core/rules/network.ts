import { type Rule, type RuleViolation, resourcesOf, violation } from "./types.ts";

/** Nested blocks synthesize as an object (max one) or an array; this always gives an array. */
export function blocksOf(value: unknown): Record<string, unknown>[] {
  if (Array.isArray(value))
    return value.filter((v): v is Record<string, unknown> => typeof v === "object" && v !== null);
  if (typeof value === "object" && value !== null) return [value as Record<string, unknown>];
  return [];
}

/** Terraform accepts `true` and `"true"` for booleans. */
export function isTrue(value: unknown): boolean {
  return value === true || value === "true";
}

/**
 * True unless `value` is absent or a literal false: a reference or expression might be true, and a
 * rule that cannot prove a setting is off must fail closed.
 */
export function mayBeTrue(value: unknown): boolean {
  return value !== undefined && value !== null && value !== false && value !== "false";
}

/** True when `value` is a Terraform expression referring to the resource `type.name`. */
function refersTo(value: unknown, type: string, name: string): boolean {
  return typeof value === "string" && value.includes(`${type}.${name}.`);
}

const vpcFlowLogsEnabled: Rule = {
  id: "vpc-flow-logs-enabled",
  description: "Every VPC has a flow log in the same stack.",
  check(stack) {
    const flowLogs = resourcesOf(stack, "aws_flow_log");
    return resourcesOf(stack, "aws_vpc")
      .filter((vpc) => !flowLogs.some((f) => refersTo(f.config.vpc_id, "aws_vpc", vpc.name)))
      .map((vpc) =>
        violation("vpc-flow-logs-enabled", stack, vpc, "VPC has no aws_flow_log; traffic is not recorded"),
      );
  },
};

const vpcDefaultSgLocked: Rule = {
  id: "vpc-default-sg-locked",
  description: "Every VPC adopts its default security group with no ingress or egress rules.",
  check(stack) {
    const out: RuleViolation[] = [];
    const defaults = resourcesOf(stack, "aws_default_security_group");
    for (const sg of defaults) {
      const rules = [...blocksOf(sg.config.ingress), ...blocksOf(sg.config.egress)];
      if (rules.length > 0) {
        out.push(
          violation(
            "vpc-default-sg-locked",
            stack,
            sg,
            `default security group has ${rules.length} rule(s), expected none`,
          ),
        );
      }
    }
    for (const vpc of resourcesOf(stack, "aws_vpc")) {
      if (!defaults.some((sg) => refersTo(sg.config.vpc_id, "aws_vpc", vpc.name))) {
        out.push(
          violation(
            "vpc-default-sg-locked",
            stack,
            vpc,
            "VPC's default security group is not adopted (aws_default_security_group) and keeps its allow-all rules",
          ),
        );
      }
    }
    return out;
  },
};

const subnetNoPublicIpOnLaunch: Rule = {
  id: "subnet-no-public-ip-on-launch",
  description: "No subnet auto-assigns public IPv4 addresses to instances launched in it.",
  check(stack) {
    return resourcesOf(stack, "aws_subnet")
      .filter((s) => mayBeTrue(s.config.map_public_ip_on_launch))
      .map((s) =>
        violation(
          "subnet-no-public-ip-on-launch",
          stack,
          s,
          `map_public_ip_on_launch must be false or absent, got ${JSON.stringify(s.config.map_public_ip_on_launch)}; instances would get public IPs`,
        ),
      );
  },
};

const logGroupEncrypted: Rule = {
  id: "log-group-encrypted",
  description: "Every CloudWatch log group is encrypted with a KMS key.",
  check(stack) {
    return resourcesOf(stack, "aws_cloudwatch_log_group")
      .filter((g) => typeof g.config.kms_key_id !== "string" || g.config.kms_key_id === "")
      .map((g) => violation("log-group-encrypted", stack, g, "log group has no kms_key_id"));
  },
};

const kmsKeyRotation: Rule = {
  id: "kms-key-rotation",
  description: "Every symmetric KMS key rotates its key material automatically.",
  check(stack) {
    return resourcesOf(stack, "aws_kms_key")
      .filter((k) => {
        const spec = k.config.customer_master_key_spec;
        const symmetric = spec === undefined || spec === "SYMMETRIC_DEFAULT";
        return symmetric && !isTrue(k.config.enable_key_rotation);
      })
      .map((k) => violation("kms-key-rotation", stack, k, "enable_key_rotation is not true"));
  },
};

/** Network rules, plus the log-group and KMS rules every area's resources are held to. */
export const networkRules: readonly Rule[] = [
  vpcFlowLogsEnabled,
  vpcDefaultSgLocked,
  subnetNoPublicIpOnLaunch,
  logGroupEncrypted,
  kmsKeyRotation,
];
