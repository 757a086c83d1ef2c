import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DataAwsRegion } from "@cdktf/provider-aws/lib/data-aws-region";
import { Construct } from "constructs";
import { EncryptionKey, type KeyPolicyStatement } from "../kms/encryption-key.ts";

/** CloudWatch Logs retention values AWS accepts (days). */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

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
