import { literalNumber, referencedNames } from "./database.ts";
import { type Rule, resourcesOf, type SynthesizedStack, violation } from "./types.ts";

/** CloudWatch Logs retention values AWS accepts (days). */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;
/** Audit-relevant logs (EKS audit, VPC flow logs) are kept at least this long in prod... */
export const MIN_PROD_AUDIT_LOG_RETENTION_DAYS = 365;
/** ...and at least this long elsewhere. */
export const MIN_AUDIT_LOG_RETENTION_DAYS = 30;

/** The smallest audit-log retention the environment a stack belongs to accepts. */
export function minimumAuditRetention(stackName: string): number {
  return stackName.startsWith("prod-") ? MIN_PROD_AUDIT_LOG_RETENTION_DAYS : MIN_AUDIT_LOG_RETENTION_DAYS;
}

/** Log groups holding audit records: EKS control-plane groups and the targets of VPC flow logs. */
function auditLogGroups(stack: SynthesizedStack): Set<string> {
  const names = new Set(
    resourcesOf(stack, "aws_flow_log").flatMap((f) =>
      referencedNames(f.config.log_destination, "aws_cloudwatch_log_group", "arn"),
    ),
  );
  for (const g of resourcesOf(stack, "aws_cloudwatch_log_group")) {
    if (typeof g.config.name === "string" && /^\/aws\/eks\/[^/]+\/cluster$/.test(g.config.name))
      names.add(g.name);
  }
  return names;
}

const logGroupRetention: Rule = {
  id: "log-group-retention",
  description:
    "Every CloudWatch log group expires its events (retention_in_days set), and audit logs (EKS control plane, VPC flow logs) are kept at least 365 days in prod and 30 elsewhere.",
  check(stack) {
    const audit = auditLogGroups(stack);
    const minimum = minimumAuditRetention(stack.name);
    return resourcesOf(stack, "aws_cloudwatch_log_group").flatMap((g) => {
      const days = literalNumber(g.config.retention_in_days);
      if (days === undefined || days === 0) {
        return [
          violation(
            "log-group-retention",
            stack,
            g,
            `retention_in_days is ${JSON.stringify(g.config.retention_in_days ?? null)}; events would be kept (and billed) forever`,
          ),
        ];
      }
      if (audit.has(g.name) && days < minimum) {
        return [
          violation(
            "log-group-retention",
            stack,
            g,
            `audit log kept ${days} days; ${stack.name.split("-")[0]} requires at least ${minimum}`,
          ),
        ];
      }
      return [];
    });
  },
};

/** Rules for CloudWatch Logs retention. */
export const logRules: readonly Rule[] = [logGroupRetention];
