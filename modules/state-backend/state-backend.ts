import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { Token } from "cdktf";
import { Construct } from "constructs";
import { EncryptionKey, kmsAliasName } from "../kms/encryption-key.ts";
import { Namer } from "../naming/namer.ts";

export { configureS3Backend, type S3BackendOptions } from "./configure-backend.ts";

export interface StateBackendProps {
  /**
   * The 12-digit AWS account id the bucket lives in. It is part of the bucket name, because S3 bucket
   * names are global across all AWS customers, and the name must be a literal (Terraform backend
   * blocks cannot reference resources or data sources), so it cannot come from a data source.
   */
  readonly accountId: string;
  /**
   * The region the bucket lives in; other stacks' backends are configured with it.
   */
  readonly region: string;
  /**
   * Days a state version is kept after a newer one replaces it (then it is deleted).
   * @default 90
   */
  readonly noncurrentVersionExpirationDays?: number;
  /**
   * How many noncurrent versions of each state file are kept regardless of age.
   * @default 10
   */
  readonly noncurrentVersionsToKeep?: number;
  /**
   * Escape hatch: let `terraform destroy` delete the bucket, objects and all (sets `force_destroy`
   * and drops `prevent_destroy`). Only for throwaway environments: the bucket holds every stack's state.
   * @default false
   */
  readonly allowDestroy?: boolean;
}

/** The settings another stack's S3 backend needs, all literals. */
export interface StateBackendConfig {
  readonly bucket: string;
  readonly region: string;
  /** `alias/<name>` of the state key; Terraform (>= 1.6.1) accepts aliases in `kms_key_id`. */
  readonly kmsKeyId: string;
}

/**
 * The bucket every other stack keeps its Terraform state in, for the bootstrap stack:
 * versioned, encrypted with a rotating KMS key, public access fully blocked, TLS-only,
 * ACLs disabled (BucketOwnerEnforced), old versions expired. Locking uses S3 lock files
 * (`use_lockfile`), so there is no DynamoDB table.
 */
export class StateBackend extends Construct {
  /** Bucket name (a literal, usable in backend blocks). */
  readonly bucketName: string;
  readonly bucketArn: string;
  readonly kmsKeyArn: string;
  /** `alias/<name>` of the state key (a literal). */
  readonly kmsAliasName: string;
  /** Literal settings for `configureS3Backend`. */
  readonly backendConfig: StateBackendConfig;

  constructor(scope: Construct, id: string, props: StateBackendProps) {
    super(scope, id);
    validateProps(props);
    const namer = Namer.of(this);
    const allowDestroy = props.allowDestroy === true;
    const partition = new DataAwsPartition(this, "partition").partition;
    const account = new DataAwsCallerIdentity(this, "account").accountId;

    const aliasName = kmsAliasName(namer.name("kms-alias", "tfstate", "key"));
    const key = new EncryptionKey(this, "key", { description: "Encrypts Terraform state", aliasName });

    this.bucketName = namer.name("s3-bucket", "tfstate", props.accountId);
    const bucket = new S3Bucket(this, "bucket", {
      bucket: this.bucketName,
      forceDestroy: allowDestroy,
      lifecycle: { preventDestroy: !allowDestroy },
    });
    new S3BucketOwnershipControls(this, "ownership", {
      bucket: bucket.id,
      rule: { objectOwnership: "BucketOwnerEnforced" },
    });
    const publicAccess = new S3BucketPublicAccessBlock(this, "public-access", {
      bucket: bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    const versioning = new S3BucketVersioningA(this, "versioning", {
      bucket: bucket.id,
      versioningConfiguration: { status: "Enabled" },
    });
    new S3BucketServerSideEncryptionConfigurationA(this, "encryption", {
      bucket: bucket.id,
      rule: [
        {
          applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: key.arn },
          bucketKeyEnabled: true,
        },
      ],
    });
    new S3BucketLifecycleConfiguration(this, "lifecycle", {
      bucket: bucket.id,
      dependsOn: [versioning],
      rule: [
        {
          id: "expire-old-state-versions",
          status: "Enabled",
          filter: [{ prefix: "" }],
          noncurrentVersionExpiration: [
            {
              noncurrentDays: props.noncurrentVersionExpirationDays ?? 90,
              newerNoncurrentVersions: props.noncurrentVersionsToKeep ?? 10,
            },
          ],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
        },
      ],
    });
    new S3BucketPolicy(this, "policy", {
      bucket: bucket.id,
      // The public access block must exist first, or a policy update can race it.
      dependsOn: [publicAccess],
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "DenyInsecureTransport",
            Effect: "Deny",
            Principal: "*",
            Action: "s3:*",
            Resource: [bucket.arn, `${bucket.arn}/*`],
            Condition: { Bool: { "aws:SecureTransport": "false" } },
          },
          {
            Sid: "DenyOtherAccounts",
            Effect: "Deny",
            Principal: "*",
            Action: "s3:*",
            Resource: [bucket.arn, `${bucket.arn}/*`],
            Condition: { StringNotEquals: { "aws:PrincipalAccount": account } },
          },
        ],
      }),
    });

    this.bucketArn = `arn:${partition}:s3:::${this.bucketName}`;
    this.kmsKeyArn = key.arn;
    this.kmsAliasName = aliasName;
    this.backendConfig = { bucket: this.bucketName, region: props.region, kmsKeyId: aliasName };
  }
}

function validateProps(props: StateBackendProps): void {
  const concrete = (value: unknown) => !Token.isUnresolved(value);
  if (typeof props.accountId !== "string" || !/^\d{12}$/.test(props.accountId)) {
    throw new Error(
      `StateBackend: accountId must be a 12-digit AWS account id (a literal, not a token), got ${JSON.stringify(props.accountId)}`,
    );
  }
  if (
    typeof props.region !== "string" ||
    Token.isUnresolved(props.region) ||
    !/^[a-z]{2}(-[a-z]+)+-\d$/.test(props.region)
  ) {
    throw new Error(
      `StateBackend: region must be a literal AWS region such as "eu-west-1", got ${JSON.stringify(props.region)}`,
    );
  }
  const days = props.noncurrentVersionExpirationDays;
  if (days !== undefined && concrete(days) && (!Number.isInteger(days) || days < 1)) {
    throw new Error(`StateBackend: noncurrentVersionExpirationDays must be an integer >= 1, got ${days}`);
  }
  const keep = props.noncurrentVersionsToKeep;
  if (keep !== undefined && concrete(keep) && (!Number.isInteger(keep) || keep < 1 || keep > 100)) {
    throw new Error(`StateBackend: noncurrentVersionsToKeep must be an integer from 1 to 100, got ${keep}`);
  }
}
