import { S3Backend, type TerraformStack, Token } from "cdktf";

export interface S3BackendOptions {
  /** The state bucket's name (a literal: backend blocks cannot hold references). */
  readonly bucket: string;
  /** The state bucket's region. */
  readonly region: string;
  /**
   * The state file's key in the bucket.
   * @default "<stack name>/terraform.tfstate"
   */
  readonly key?: string;
  /**
   * KMS key (id, ARN or `alias/<name>`) that encrypts the state object. Without it, `encrypt = true`
   * makes Terraform ask for SSE-S3 (AES256), which overrides the bucket's default KMS encryption.
   * @default SSE-S3
   */
  readonly kmsKeyId?: string;
}

/**
 * Points a stack at the shared state bucket: server-side encrypted, locked with an S3 lock file
 * (`use_lockfile`, Terraform >= 1.10; DynamoDB locking is deprecated and not used), one key per stack.
 */
export function configureS3Backend(stack: TerraformStack, options: S3BackendOptions): S3Backend {
  const where = `configureS3Backend(${stack.node.id})`;
  for (const field of ["bucket", "region", "key", "kmsKeyId"] as const) {
    const value = options[field];
    if (value !== undefined && (typeof value !== "string" || value === "" || Token.isUnresolved(value))) {
      throw new Error(
        `${where}: ${field} must be a non-empty literal string (backend blocks cannot hold references), got ${JSON.stringify(value)}`,
      );
    }
  }
  const key = options.key ?? `${stack.node.id}/terraform.tfstate`;
  if (key.startsWith("/") || key.includes("..") || key.includes("//")) {
    throw new Error(
      `${where}: key must be a relative path such as "dev-network/terraform.tfstate", got "${key}"`,
    );
  }
  const backend = new S3Backend(stack, {
    bucket: options.bucket,
    key,
    region: options.region,
    encrypt: true,
    ...(options.kmsKeyId === undefined ? {} : { kmsKeyId: options.kmsKeyId }),
  });
  // cdktf 0.21's S3BackendConfig predates native S3 locking, so the setting goes in as an override.
  backend.addOverride("use_lockfile", true);
  return backend;
}
