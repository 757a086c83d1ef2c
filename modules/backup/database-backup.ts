import { BackupPlan } from "@cdktf/provider-aws/lib/backup-plan";
import { BackupSelection } from "@cdktf/provider-aws/lib/backup-selection";
import { BackupVault } from "@cdktf/provider-aws/lib/backup-vault";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { Token } from "cdktf";
import { Construct } from "constructs";
import { EncryptionKey } from "../kms/encryption-key.ts";
import { Namer } from "../naming/namer.ts";

/** Where each recovery point is copied: a vault this construct creates in another region, or another account's vault. */
export type BackupCopyTarget = { readonly region: string } | { readonly vaultArn: string };

export interface DatabaseBackupProps {
  /** ARNs of the RDS instances to back up. */
  readonly resourceArns: readonly string[];
  /** Days each daily recovery point is kept in this region (1–35 000). */
  readonly retentionDays: number;
  /** The copy, off this region or account, that survives losing it. */
  readonly copy: BackupCopyTarget;
  /** Days each copy is kept. */
  readonly copyRetentionDays: number;
  /**
   * When the daily backup starts (AWS Backup cron, UTC).
   * @default "cron(0 3 * * ? *)"
   */
  readonly schedule?: string;
  /** The provider's region, which a copy region must differ from. */
  readonly region: string;
}

const REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;
const VAULT_ARN = /^arn:aws[a-z-]*:backup:[a-z0-9-]+:(\d{12}):backup-vault:[\w.-]+$/;

/**
 * AWS Backup for the database: a daily plan into a KMS-encrypted vault, every recovery point copied to
 * a vault in another region (created here, with its own key) or to another account's vault (whose
 * vault policy must admit this account, set up with that account).
 */
export class DatabaseBackup extends Construct {
  readonly vaultName: string;
  readonly planId: string;
  /** The vault copies go to. */
  readonly copyVaultArn: string;

  constructor(scope: Construct, id: string, props: DatabaseBackupProps) {
    super(scope, id);
    validate(props);
    const namer = Namer.of(this);
    const partition = new DataAwsPartition(this, "partition").partition;

    const key = new EncryptionKey(this, "key", {
      description: "AWS Backup vault of the database",
      aliasName: namer.name("kms-alias", "db", "backup", "key"),
    });
    const vault = new BackupVault(this, "vault", {
      name: namer.name("generic", "db", "backup", "vault"),
      kmsKeyArn: key.arn,
    });

    let copyVaultArn: string;
    if ("region" in props.copy) {
      const copyKey = new EncryptionKey(this, "copy-key", {
        description: `AWS Backup copies of the database (from ${props.region})`,
        aliasName: namer.name("kms-alias", "db", "backup", "copy", "key"),
        region: props.copy.region,
      });
      copyVaultArn = new BackupVault(this, "copy-vault", {
        name: namer.name("generic", "db", "backup", "copy", "vault"),
        kmsKeyArn: copyKey.arn,
        region: props.copy.region,
      }).arn;
    } else {
      copyVaultArn = props.copy.vaultArn;
    }

    const role = new IamRole(this, "role", {
      name: namer.name("iam-role", "db", "backup", "role"),
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          { Effect: "Allow", Principal: { Service: "backup.amazonaws.com" }, Action: "sts:AssumeRole" },
        ],
      }),
    });
    for (const [suffix, policy] of [
      ["backup", "service-role/AWSBackupServiceRolePolicyForBackup"],
      ["restore", "service-role/AWSBackupServiceRolePolicyForRestores"],
    ] as const) {
      new IamRolePolicyAttachment(this, `role-${suffix}`, {
        role: role.name,
        policyArn: `arn:${partition}:iam::aws:policy/${policy}`,
      });
    }

    const plan = new BackupPlan(this, "plan", {
      name: namer.name("generic", "db", "backup", "plan"),
      rule: [
        {
          ruleName: namer.name("generic", "db", "backup", "daily"),
          targetVaultName: vault.name,
          schedule: props.schedule ?? "cron(0 3 * * ? *)",
          startWindow: 60,
          completionWindow: 360,
          lifecycle: { deleteAfter: props.retentionDays },
          copyAction: [
            { destinationVaultArn: copyVaultArn, lifecycle: { deleteAfter: props.copyRetentionDays } },
          ],
        },
      ],
    });
    new BackupSelection(this, "selection", {
      name: namer.name("generic", "db", "backup"),
      planId: plan.id,
      iamRoleArn: role.arn,
      resources: [...props.resourceArns],
    });

    this.vaultName = vault.name;
    this.planId = plan.id;
    this.copyVaultArn = copyVaultArn;
  }
}

function validate(props: DatabaseBackupProps): void {
  const fail = (prop: string, value: unknown, expected: string): never => {
    throw new Error(`DatabaseBackup: ${prop} must be ${expected}, got ${JSON.stringify(value)}`);
  };
  if (props.resourceArns.length === 0)
    fail("resourceArns", props.resourceArns, "at least one RDS instance ARN");
  for (const key of ["retentionDays", "copyRetentionDays"] as const) {
    const days = props[key];
    if (!Number.isInteger(days) || days < 1 || days > 35_000) fail(key, days, "whole days from 1 to 35000");
  }
  if ("region" in props.copy) {
    if (!REGION.test(props.copy.region))
      fail("copy.region", props.copy.region, "an AWS region like eu-central-1");
    if (props.copy.region === props.region)
      fail("copy.region", props.copy.region, `another region than the database's (${props.region})`);
  } else if (!Token.isUnresolved(props.copy.vaultArn) && !VAULT_ARN.test(props.copy.vaultArn)) {
    fail(
      "copy.vaultArn",
      props.copy.vaultArn,
      "a backup vault ARN (arn:aws:backup:<region>:<account>:backup-vault:<name>)",
    );
  }
  if (props.schedule !== undefined && !/^cron\(.+\)$/.test(props.schedule))
    fail("schedule", props.schedule, "an AWS Backup cron expression such as cron(0 3 * * ? *)");
}
