import { isProdStack } from "./stack-environment.ts";
import { type ResourceBlock, type Rule, resourcesOf, type SynthesizedStack, violation } from "./types.ts";

/** Names of `type` resources whose `attr` a synthesized value refers to (e.g. `${aws_kms_key.k.arn}`). */
export function referencedNames(value: unknown, type: string, attr: string): string[] {
  const text = typeof value === "string" ? value : JSON.stringify(value ?? "");
  const pattern = new RegExp(`\\b${type}\\.([A-Za-z0-9_-]+)\\.${attr}\\b`, "g");
  return [...text.matchAll(pattern)].map((m) => m[1] ?? "");
}

/** True when a synthesized value is the literal `expected` (Terraform accepts "true" for true). */
export function isLiteral(value: unknown, expected: boolean | string): boolean {
  return value === expected || (typeof expected === "boolean" && value === String(expected));
}

/** A whole number from a synthesized value, or undefined when it is a reference or absent. */
export function literalNumber(value: unknown): number | undefined {
  if (typeof value === "number") return value;
  if (typeof value === "string" && /^\d+$/.test(value)) return Number(value);
  return undefined;
}

const isProd = isProdStack;
const instances = (stack: SynthesizedStack) => resourcesOf(stack, "aws_db_instance");
const isReplica = (block: ResourceBlock) => block.config.replicate_source_db !== undefined;

function perInstance(
  id: string,
  check: (block: ResourceBlock, stack: SynthesizedStack) => string | undefined,
): (stack: SynthesizedStack) => ReturnType<Rule["check"]> {
  return (stack) =>
    instances(stack).flatMap((block) => {
      const message = check(block, stack);
      return message ? [violation(id, stack, block, message)] : [];
    });
}

export const MIN_BACKUP_RETENTION_DAYS = 7;
export const MIN_PROD_BACKUP_RETENTION_DAYS = 14;

const rdsNotPublic: Rule = {
  id: "rds-not-public",
  description: "No RDS instance is publicly accessible.",
  check: perInstance("rds-not-public", ({ config }) => {
    const value = config.publicly_accessible;
    if (value === undefined || isLiteral(value, false)) return undefined;
    return `publicly_accessible must be false, got ${JSON.stringify(value)}`;
  }),
};

const rdsStorageEncrypted: Rule = {
  id: "rds-storage-encrypted",
  description: "RDS storage is encrypted with a KMS key.",
  check: perInstance("rds-storage-encrypted", ({ config }) => {
    if (!isLiteral(config.storage_encrypted, true)) {
      return `storage_encrypted must be true, got ${JSON.stringify(config.storage_encrypted)}`;
    }
    if (!config.kms_key_id) return "kms_key_id must name a KMS key (customer-managed, rotating)";
    return undefined;
  }),
};

const rdsManagedPassword: Rule = {
  id: "rds-managed-password",
  description:
    "The master password is managed by Secrets Manager and never appears in configuration or state.",
  check: perInstance("rds-managed-password", (block) => {
    const { config } = block;
    if (config.password !== undefined || config.password_wo !== undefined) {
      return "a password attribute is set; use manage_master_user_password = true instead";
    }
    if (!isReplica(block) && !isLiteral(config.manage_master_user_password, true)) {
      return `manage_master_user_password must be true, got ${JSON.stringify(config.manage_master_user_password)}`;
    }
    return undefined;
  }),
};

const rdsForceSsl: Rule = {
  id: "rds-force-ssl",
  description: "Every RDS instance uses a parameter group with rds.force_ssl = 1.",
  check: perInstance("rds-force-ssl", ({ config }, stack) => {
    const groups = stack.json.resource?.aws_db_parameter_group ?? {};
    const ref = config.parameter_group_name;
    if (ref === undefined)
      return "no parameter_group_name: the default group cannot be checked for rds.force_ssl = 1";
    const named = referencedNames(ref, "aws_db_parameter_group", "(?:name|id)");
    const group =
      groups[named[0] ?? ""] ?? Object.values(groups).find((g) => g.name !== undefined && g.name === ref);
    if (!group)
      return `parameter group ${JSON.stringify(ref)} is not defined in this stack, so rds.force_ssl cannot be checked`;
    const parameters = Array.isArray(group.parameter) ? (group.parameter as Record<string, unknown>[]) : [];
    // Every entry counts: a second rds.force_ssl entry (e.g. from an override) would win at apply time.
    const values = parameters.filter((p) => p.name === "rds.force_ssl").map((p) => String(p.value));
    const bad = values.find((v) => v !== "1");
    if (values.length === 0 || bad !== undefined) {
      return `parameter group must set rds.force_ssl = 1, got ${JSON.stringify(bad ?? null)}`;
    }
    return undefined;
  }),
};

const rdsBackupRetention: Rule = {
  id: "rds-backup-retention",
  description: `Automated backups are kept at least ${MIN_BACKUP_RETENTION_DAYS} days.`,
  check: perInstance("rds-backup-retention", (block) => {
    if (isReplica(block)) return undefined;
    const days = literalNumber(block.config.backup_retention_period);
    if (days === undefined || days < MIN_BACKUP_RETENTION_DAYS) {
      return `backup_retention_period must be >= ${MIN_BACKUP_RETENTION_DAYS}, got ${JSON.stringify(block.config.backup_retention_period ?? null)}`;
    }
    return undefined;
  }),
};

const rdsDeletionProtectionInProd: Rule = {
  id: "rds-deletion-protection-in-prod",
  description: `In prod stacks (by their content: default tags, backend key), RDS instances have deletion protection, Multi-AZ and >= ${MIN_PROD_BACKUP_RETENTION_DAYS} days of backups.`,
  check: (stack) => {
    if (!isProd(stack)) return [];
    return instances(stack).flatMap((block) => {
      const problems: string[] = [];
      const { config } = block;
      if (!isLiteral(config.deletion_protection, true)) problems.push("deletion_protection must be true");
      if (!isLiteral(config.multi_az, true)) problems.push("multi_az must be true");
      const days = literalNumber(config.backup_retention_period);
      if (!isReplica(block) && (days === undefined || days < MIN_PROD_BACKUP_RETENTION_DAYS)) {
        problems.push(
          `backup_retention_period must be >= ${MIN_PROD_BACKUP_RETENTION_DAYS}, got ${days ?? "none"}`,
        );
      }
      return problems.map((p) => violation("rds-deletion-protection-in-prod", stack, block, `prod: ${p}`));
    });
  },
};

const rdsIamAuth: Rule = {
  id: "rds-iam-auth",
  description: "RDS instances accept IAM database authentication.",
  check: perInstance("rds-iam-auth", ({ config }) =>
    isLiteral(config.iam_database_authentication_enabled, true)
      ? undefined
      : `iam_database_authentication_enabled must be true, got ${JSON.stringify(config.iam_database_authentication_enabled ?? null)}`,
  ),
};

const rdsFinalSnapshot: Rule = {
  id: "rds-final-snapshot",
  description: "Deleting an RDS instance takes a final snapshot.",
  check: perInstance("rds-final-snapshot", (block) => {
    if (isReplica(block)) return undefined;
    const { config } = block;
    if (isLiteral(config.skip_final_snapshot, true)) return "skip_final_snapshot must be false";
    if (!config.final_snapshot_identifier) return "final_snapshot_identifier must be set";
    return undefined;
  }),
};

const rdsSecurityGroupNoCidr: Rule = {
  id: "rds-sg-no-cidr-ingress",
  description: "RDS security groups admit only other security groups, never CIDR ranges or prefix lists.",
  check: (stack) =>
    instances(stack).flatMap((db) => {
      const groups = new Set(referencedNames(db.config.vpc_security_group_ids, "aws_security_group", "id"));
      if (groups.size === 0) {
        return [
          violation(
            "rds-sg-no-cidr-ingress",
            stack,
            db,
            "vpc_security_group_ids must name a security group of this stack",
          ),
        ];
      }
      const out = [];
      for (const sg of resourcesOf(stack, "aws_security_group")) {
        if (!groups.has(sg.name)) continue;
        const inline = Array.isArray(sg.config.ingress)
          ? (sg.config.ingress as Record<string, unknown>[])
          : [];
        if (
          inline.some(
            (i) => hasItems(i.cidr_blocks) || hasItems(i.ipv6_cidr_blocks) || hasItems(i.prefix_list_ids),
          )
        ) {
          out.push(
            violation("rds-sg-no-cidr-ingress", stack, sg, "inline ingress from a CIDR range or prefix list"),
          );
        }
      }
      for (const rule of resourcesOf(
        stack,
        "aws_vpc_security_group_ingress_rule",
        "aws_security_group_rule",
      )) {
        const target = referencedNames(rule.config.security_group_id, "aws_security_group", "id")[0];
        if (!target || !groups.has(target)) continue;
        if (rule.type === "aws_security_group_rule" && rule.config.type !== "ingress") continue;
        const c = rule.config;
        if (
          c.cidr_ipv4 ||
          c.cidr_ipv6 ||
          c.prefix_list_id ||
          hasItems(c.cidr_blocks) ||
          hasItems(c.ipv6_cidr_blocks)
        ) {
          out.push(
            violation(
              "rds-sg-no-cidr-ingress",
              stack,
              rule,
              "ingress from a CIDR range or prefix list; admit a security group instead",
            ),
          );
        }
      }
      return out;
    }),
};

/** A reference to an EKS cluster's own security group, which every pod and node carries. */
const CLUSTER_SG =
  /\b(?:data\.)?aws_eks_cluster\.[\w-]+\.vpc_config(?:\[0\]|\.0)?\.cluster_security_group_id\b/;

const rdsNotOpenToCluster: Rule = {
  id: "rds-not-open-to-cluster",
  description:
    "No RDS security group admits an EKS cluster security group (every pod carries it); only declared workloads, through security groups for pods, reach the database.",
  check: (stack) =>
    instances(stack).flatMap((db) => {
      const groups = new Set(referencedNames(db.config.vpc_security_group_ids, "aws_security_group", "id"));
      const out = [];
      for (const sg of resourcesOf(stack, "aws_security_group")) {
        if (!groups.has(sg.name)) continue;
        const inline = Array.isArray(sg.config.ingress)
          ? (sg.config.ingress as Record<string, unknown>[])
          : [];
        if (inline.some((i) => CLUSTER_SG.test(JSON.stringify(i.security_groups ?? ""))))
          out.push(
            violation(
              "rds-not-open-to-cluster",
              stack,
              sg,
              "inline ingress from the EKS cluster security group",
            ),
          );
      }
      for (const rule of resourcesOf(
        stack,
        "aws_vpc_security_group_ingress_rule",
        "aws_security_group_rule",
      )) {
        const target = referencedNames(rule.config.security_group_id, "aws_security_group", "id")[0];
        if (!target || !groups.has(target)) continue;
        if (rule.type === "aws_security_group_rule" && rule.config.type !== "ingress") continue;
        const source = rule.config.referenced_security_group_id ?? rule.config.source_security_group_id;
        if (typeof source === "string" && CLUSTER_SG.test(source))
          out.push(
            violation(
              "rds-not-open-to-cluster",
              stack,
              rule,
              "ingress from the EKS cluster security group lets every pod reach the database; admit the database's access security group and give it to declared workloads with a SecurityGroupPolicy",
            ),
          );
      }
      return out;
    }),
};

const rdsBackedUpOffSiteInProd: Rule = {
  id: "rds-backup-copied-in-prod",
  description:
    "Every prod RDS instance is selected by an AWS Backup plan whose rules copy each recovery point to another region or account.",
  check: (stack) => {
    if (!isProd(stack)) return [];
    const plans = resourcesOf(stack, "aws_backup_plan");
    const copying = new Set(
      plans
        .filter((p) =>
          (Array.isArray(p.config.rule) ? p.config.rule : [p.config.rule]).some((r) => {
            const copies = (r as Record<string, unknown> | undefined)?.copy_action;
            return Array.isArray(copies)
              ? copies.some((c) => (c as Record<string, unknown>).destination_vault_arn)
              : !!copies;
          }),
        )
        .map((p) => p.name),
    );
    const selections = resourcesOf(stack, "aws_backup_selection");
    return instances(stack).flatMap((db) => {
      const selected = selections.filter((sel) =>
        referencedNames(sel.config.resources, "aws_db_instance", "arn").includes(db.name),
      );
      if (selected.length === 0)
        return [
          violation("rds-backup-copied-in-prod", stack, db, "no aws_backup_selection selects this instance"),
        ];
      const copied = selected.some((sel) =>
        referencedNames(sel.config.plan_id, "aws_backup_plan", "id").some((plan) => copying.has(plan)),
      );
      return copied
        ? []
        : [
            violation(
              "rds-backup-copied-in-prod",
              stack,
              db,
              "its backup plan copies no recovery point to another region or account",
            ),
          ];
    });
  },
};

function hasItems(value: unknown): boolean {
  return Array.isArray(value) ? value.length > 0 : value !== undefined && value !== null && value !== "";
}

/** Secure defaults of modules/database (RDS PostgreSQL). */
export const databaseRules: readonly Rule[] = [
  rdsNotPublic,
  rdsStorageEncrypted,
  rdsManagedPassword,
  rdsForceSsl,
  rdsBackupRetention,
  rdsDeletionProtectionInProd,
  rdsIamAuth,
  rdsFinalSnapshot,
  rdsSecurityGroupNoCidr,
  rdsNotOpenToCluster,
  rdsBackedUpOffSiteInProd,
];
