import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { Token } from "cdktf";
import type { Construct } from "constructs";

/** One statement of a KMS key policy, as IAM policy JSON (`Sid`, `Effect`, `Principal`, …). */
export type KeyPolicyStatement = Readonly<Record<string, unknown>>;

export interface EncryptionKeyProps {
  /**
   * What the key protects, shown as the key's description.
   * @default no description
   */
  readonly description?: string;
  /**
   * The key's alias, built by the Namer (`Namer.of(this).name("kms-alias", ...)`), never hand-written;
   * `alias/` is prefixed when the name lacks it.
   * @default no alias
   */
  readonly aliasName?: string;
  /**
   * Key-policy statements that follow the one letting the account root administer the key, e.g. to let a
   * service use the key. More can be added with `addToResourcePolicy`.
   * @default none: no policy is written, so AWS's default key policy applies (the account root
   * administers the key and IAM policies can grant its use)
   */
  readonly policyStatements?: readonly KeyPolicyStatement[];
  /**
   * Days (7 to 30) a key scheduled for deletion waits before it is destroyed.
   * @default 30
   */
  readonly deletionWindowInDays?: number;
  /**
   * Region the key lives in, when not the provider's (e.g. a backup copy's destination).
   * @default the provider's region
   */
  readonly region?: string;
}

/**
 * A customer-managed symmetric KMS key that rotates yearly, optionally with an alias and a key policy whose
 * first statement lets the account root administer the key (as AWS's default policy does), so IAM policies
 * can still grant use.
 *
 * It is the `aws_kms_key` resource itself (a `KmsKey`), so its Terraform address and construct path are
 * those of a plain key with the same id, and escape hatches such as `addOverride` apply to it directly.
 * The alias and the data sources the policy needs are its children.
 */
export class EncryptionKey extends KmsKey {
  /** `alias/<name>` (a literal), or undefined when the key has no alias. */
  readonly aliasName: string | undefined;
  private readonly statements: KeyPolicyStatement[] = [];
  private callerIdentity: DataAwsCallerIdentity | undefined;
  private partitionData: DataAwsPartition | undefined;

  constructor(scope: Construct, id: string, props: EncryptionKeyProps = {}) {
    const deletionWindowInDays = props.deletionWindowInDays ?? 30;
    validateDeletionWindow(deletionWindowInDays);
    super(scope, id, {
      description: props.description,
      enableKeyRotation: true,
      deletionWindowInDays,
      ...(props.region ? { region: props.region } : {}),
    });
    if (props.policyStatements && props.policyStatements.length > 0) {
      this.addToResourcePolicy(...props.policyStatements);
    }
    this.aliasName = props.aliasName === undefined ? undefined : kmsAliasName(props.aliasName);
    if (this.aliasName !== undefined) {
      new KmsAlias(this, "alias", {
        name: this.aliasName,
        targetKeyId: this.keyId,
        ...(props.region ? { region: props.region } : {}),
      });
    }
  }

  /** The id of the account the key lives in (a token, read by an `aws_caller_identity` data source). */
  get accountId(): string {
    this.callerIdentity ??= new DataAwsCallerIdentity(this, "account");
    return this.callerIdentity.accountId;
  }

  /** The partition the key lives in, e.g. `aws` (a token, read by an `aws_partition` data source). */
  get partition(): string {
    this.partitionData ??= new DataAwsPartition(this, "partition");
    return this.partitionData.partition;
  }

  /**
   * Appends statements to the key policy. The first call writes the policy, headed by the statement that
   * lets the account root administer the key.
   */
  addToResourcePolicy(...statements: KeyPolicyStatement[]): void {
    this.statements.push(...statements);
    this.policy = JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "AccountAdministers",
          Effect: "Allow",
          Principal: { AWS: `arn:${this.partition}:iam::${this.accountId}:root` },
          Action: "kms:*",
          Resource: "*",
        },
        ...this.statements,
      ],
    });
  }
}

/** KMS alias names must start with `alias/`; the Namer may or may not add it. */
export function kmsAliasName(name: string): string {
  return name.startsWith("alias/") ? name : `alias/${name}`;
}

function validateDeletionWindow(days: number): void {
  if (Token.isUnresolved(days)) return;
  if (!Number.isInteger(days) || days < 7 || days > 30) {
    throw new Error(`EncryptionKey: deletionWindowInDays must be an integer from 7 to 30, got ${days}`);
  }
}
