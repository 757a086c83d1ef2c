import { TerraformStack, Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { only, resources, synthStack, testStack } from "../test/stack.ts";
import { configureS3Backend, StateBackend, type StateBackendProps } from "./state-backend.ts";

const base: StateBackendProps = { accountId: "111111111111", region: "eu-west-1" };

function build(props: Partial<StateBackendProps> = {}) {
  const stack = testStack("dev", "dev-bootstrap");
  const state = new StateBackend(stack, "state", { ...base, ...props });
  return { state, json: synthStack(stack) };
}

const bucketRef = (json: ReturnType<typeof synthStack>) =>
  `\${aws_s3_bucket.${Object.keys(resources(json, "aws_s3_bucket"))[0]}.id}`;

describe("StateBackend", () => {
  it("names the bucket from the Namer with the account id, and exposes literal backend settings", () => {
    const { state, json } = build();
    expect(only(json, "aws_s3_bucket")).toMatchObject({
      bucket: "dev-tfstate-111111111111",
      force_destroy: false,
    });
    expect(state.bucketName).toBe("dev-tfstate-111111111111");
    expect(state.backendConfig).toEqual({
      bucket: "dev-tfstate-111111111111",
      region: "eu-west-1",
      kmsKeyId: "alias/dev-tfstate-key",
    });
    expect(only(json, "aws_kms_alias")).toMatchObject({ name: "alias/dev-tfstate-key" });
  });

  it("protects the bucket from destroy unless allowDestroy is set", () => {
    expect(only(build().json, "aws_s3_bucket")).toMatchObject({ lifecycle: { prevent_destroy: true } });
    expect(only(build({ allowDestroy: true }).json, "aws_s3_bucket")).toMatchObject({
      force_destroy: true,
      lifecycle: { prevent_destroy: false },
    });
  });

  it("encrypts with its own rotating KMS key, versions, blocks public access and disables ACLs", () => {
    const { json } = build();
    const ref = bucketRef(json);
    expect(only(json, "aws_kms_key")).toMatchObject({
      enable_key_rotation: true,
      deletion_window_in_days: 30,
    });
    const keyArn = `\${aws_kms_key.${Object.keys(resources(json, "aws_kms_key"))[0]}.arn}`;
    expect(only(json, "aws_s3_bucket_server_side_encryption_configuration")).toEqual({
      bucket: ref,
      rule: [
        {
          apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: keyArn },
          bucket_key_enabled: true,
        },
      ],
    });
    expect(only(json, "aws_s3_bucket_versioning")).toEqual({
      bucket: ref,
      versioning_configuration: { status: "Enabled" },
    });
    expect(only(json, "aws_s3_bucket_public_access_block")).toEqual({
      bucket: ref,
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(only(json, "aws_s3_bucket_ownership_controls")).toEqual({
      bucket: ref,
      rule: { object_ownership: "BucketOwnerEnforced" },
    });
  });

  it("expires old state versions, keeping the newest ones", () => {
    const rule = (json: ReturnType<typeof synthStack>) =>
      (only(json, "aws_s3_bucket_lifecycle_configuration").rule as Record<string, unknown>[])[0];
    expect(rule(build().json)).toMatchObject({
      status: "Enabled",
      noncurrent_version_expiration: [{ noncurrent_days: 90, newer_noncurrent_versions: 10 }],
      abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }],
    });
    expect(
      rule(build({ noncurrentVersionExpirationDays: 30, noncurrentVersionsToKeep: 3 }).json),
    ).toMatchObject({
      noncurrent_version_expiration: [{ noncurrent_days: 30, newer_noncurrent_versions: 3 }],
    });
  });

  it("denies non-TLS requests and other accounts in the bucket policy", () => {
    const policy = JSON.parse(String(only(build().json, "aws_s3_bucket_policy").policy));
    const [tls, accounts] = policy.Statement;
    expect(tls).toMatchObject({
      Effect: "Deny",
      Principal: "*",
      Action: "s3:*",
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    });
    expect(tls.Resource[1]).toMatch(/^\$\{aws_s3_bucket\.[\w-]+\.arn\}\/\*$/);
    expect(accounts).toMatchObject({ Effect: "Deny", Condition: { StringNotEquals: {} } });
  });

  it("creates no DynamoDB lock table", () => {
    expect(resources(build().json, "aws_dynamodb_table")).toEqual({});
  });

  it("rejects a bad account id, region or retention, naming the prop and value", () => {
    expect(() => build({ accountId: "1234" })).toThrow(
      'StateBackend: accountId must be a 12-digit AWS account id (a literal, not a token), got "1234"',
    );
    expect(() => build({ region: "Ireland" })).toThrow(/StateBackend: region must be .* got "Ireland"/);
    expect(() => build({ noncurrentVersionExpirationDays: 0 })).toThrow(
      "StateBackend: noncurrentVersionExpirationDays must be an integer >= 1, got 0",
    );
    expect(() => build({ noncurrentVersionsToKeep: 101 })).toThrow(/noncurrentVersionsToKeep .* got 101/);
  });
});

describe("configureS3Backend", () => {
  const stackNamed = (name: string) => new TerraformStack(Testing.app(), name);

  it("writes an encrypted S3 backend with a lock file and a per-stack key", () => {
    const stack = stackNamed("dev-network");
    configureS3Backend(stack, {
      bucket: "dev-tfstate-111111111111",
      region: "eu-west-1",
      kmsKeyId: "alias/k",
    });
    expect(synthStack(stack).json.terraform?.backend).toEqual({
      s3: {
        bucket: "dev-tfstate-111111111111",
        key: "dev-network/terraform.tfstate",
        region: "eu-west-1",
        encrypt: true,
        kms_key_id: "alias/k",
        use_lockfile: true,
      },
    });
  });

  it("takes an explicit key and rejects tokens and unsafe keys", () => {
    const stack = stackNamed("dev-platform");
    configureS3Backend(stack, { bucket: "b", region: "eu-west-1", key: "platform/state.tfstate" });
    expect(synthStack(stack).json.terraform?.backend).toMatchObject({
      s3: { key: "platform/state.tfstate" },
    });

    const other = testStack("dev", "dev-gitops");
    const bucketFromResource = new StateBackend(other, "state", base).bucketArn;
    expect(() => configureS3Backend(other, { bucket: bucketFromResource, region: "eu-west-1" })).toThrow(
      /configureS3Backend\(dev-gitops\): bucket must be a non-empty literal string/,
    );
    expect(() => configureS3Backend(stackNamed("x"), { bucket: "b", region: "r", key: "../escape" })).toThrow(
      'configureS3Backend(x): key must be a relative path such as "dev-network/terraform.tfstate", got "../escape"',
    );
  });
});
