import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DataAwsRegion } from "@cdktf/provider-aws/lib/data-aws-region";
import { Construct } from "constructs";
import { LOG_RETENTION_DAYS } from "../../core/rules/logs.ts";
import { EncryptionKey, type KeyPolicyStatement } from "../kms/encryption-key.ts";

export { LOG_RETENTION_DAYS };

export interface EncryptedLogGroupProps {
  /** Log group name (from the Namer, or derived from a Namer name where AWS fixes the format). */
  readonly logGroupName: string;
  /** KMS alias name, built by the Namer, with or without the `alias/` prefix. */
  readonly aliasName: string;
  /** Days to keep log events; one of LOG_RETENTION_DAYS. */
  readonly retentionDays: number;
  /** What the key protects, for the key's description. */
  readonly description: string;
  /**
   * Extra key-policy statements, e.g. to let a service role use the key.
   * @default none
   */
  readonly extraStatements?: readonly KeyPolicyStatement[];
}

/**
 * A rotating KMS key whose policy lets CloudWatch Logs use it for one log group, and that log group.
 * The account root keeps administration (the AWS default), so IAM policies can grant further use.
 */
export class EncryptedLogGroup extends Construct {
  readonly keyArn: string;
  readonly keyId: string;
  readonly logGroupName: string;
  readonly logGroupArn: string;
  /** The log group resource, for `dependsOn`. */
  readonly logGroup: CloudwatchLogGroup;

  constructor(scope: Construct, id: string, props: EncryptedLogGroupProps) {
    super(scope, id);
    const key = new EncryptionKey(this, "key", {
      description: props.description,
      aliasName: props.aliasName,
    });
    const region = new DataAwsRegion(this, "region").region;
    const logGroupArn = `arn:${key.partition}:logs:${region}:${key.accountId}:log-group:${props.logGroupName}`;
    key.addToResourcePolicy(
      {
        Sid: "CloudWatchLogsUsesKeyForThisLogGroup",
        Effect: "Allow",
        Principal: { Service: `logs.${region}.amazonaws.com` },
        Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
        Resource: "*",
        Condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": logGroupArn } },
      },
      ...(props.extraStatements ?? []),
    );
    const group = new CloudwatchLogGroup(this, "log-group", {
      name: props.logGroupName,
      retentionInDays: props.retentionDays,
      kmsKeyId: key.arn,
    });
    this.keyArn = key.arn;
    this.keyId = key.keyId;
    this.logGroupName = group.name;
    this.logGroupArn = group.arn;
    this.logGroup = group;
  }
}

export interface EncryptedLogGroupsProps {
  /** Log groups to create, by a stable key (the construct id): name and days to keep events. */
  readonly groups: Readonly<Record<string, { readonly name: string; readonly retentionDays: number }>>;
  /** KMS alias name, built by the Namer. */
  readonly aliasName: string;
  /** What the key protects, for the key's description. */
  readonly description: string;
}

/**
 * Log groups that an AWS service would otherwise create itself, unencrypted and kept forever (RDS log
 * exports, Container Insights): created first, with retention, under one rotating KMS key that
 * CloudWatch Logs may use for these groups only.
 */
export class EncryptedLogGroups extends Construct {
  readonly keyArn: string;
  /** The log group resources by key, for `dependsOn`. */
  readonly logGroups: Readonly<Record<string, CloudwatchLogGroup>>;

  constructor(scope: Construct, id: string, props: EncryptedLogGroupsProps) {
    super(scope, id);
    const entries = Object.entries(props.groups);
    if (entries.length === 0) throw new Error("EncryptedLogGroups: groups must name at least one log group");
    for (const [key, group] of entries) {
      if (!(LOG_RETENTION_DAYS as readonly number[]).includes(group.retentionDays)) {
        throw new Error(
          `EncryptedLogGroups: groups.${key}.retentionDays must be one of ${LOG_RETENTION_DAYS.join(", ")}, got ${group.retentionDays}`,
        );
      }
    }
    const key = new EncryptionKey(this, "key", {
      description: props.description,
      aliasName: props.aliasName,
    });
    const region = new DataAwsRegion(this, "region").region;
    const arn = (name: string) => `arn:${key.partition}:logs:${region}:${key.accountId}:log-group:${name}`;
    key.addToResourcePolicy({
      Sid: "CloudWatchLogsUsesKeyForTheseLogGroups",
      Effect: "Allow",
      Principal: { Service: `logs.${region}.amazonaws.com` },
      Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
      Resource: "*",
      Condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": entries.map(([, g]) => arn(g.name)) } },
    });
    this.keyArn = key.arn;
    this.logGroups = Object.fromEntries(
      entries.map(([name, group]) => [
        name,
        new CloudwatchLogGroup(this, name, {
          name: group.name,
          retentionInDays: group.retentionDays,
          kmsKeyId: key.arn,
        }),
      ]),
    );
  }
}
