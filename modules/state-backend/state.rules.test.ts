import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { Fn, type TerraformStack } from "cdktf";
import { describe, expect, it } from "vitest";
import { runRules } from "../../core/rules/run.ts";
import { stateRules } from "../../core/rules/state.ts";
import { synthStack, testStack } from "../test/stack.ts";
import { configureS3Backend, StateBackend } from "./state-backend.ts";

function bootstrap() {
  const stack = testStack("dev", "dev-bootstrap");
  const state = new StateBackend(stack, "state", { accountId: "111111111111", region: "eu-west-1" });
  return { stack, state };
}

function violations(stack: TerraformStack) {
  return runRules([synthStack(stack)], stateRules);
}

function child(scope: { node: { findChild(id: string): unknown } }, id: string) {
  return scope.node.findChild(id) as { addOverride(path: string, value: unknown): void };
}

/** A stack other than bootstrap, using the state bucket through configureS3Backend. */
function networkStack() {
  const stack = testStack("dev", "dev-network");
  const backend = configureS3Backend(stack, {
    bucket: "dev-tfstate-111111111111",
    region: "eu-west-1",
    kmsKeyId: "alias/dev-tfstate-key",
  });
  return { stack, backend };
}

describe("state rules", () => {
  it("pass on the default state backend (a bootstrap stack with local state)", () => {
    expect(violations(bootstrap().stack)).toEqual([]);
  });

  it("s3-public-access-blocked trips when a flag is off, and on a bucket with no block", () => {
    const { stack, state } = bootstrap();
    child(state, "public-access").addOverride("restrict_public_buckets", false);
    const found = violations(stack);
    expect(found.map((v) => [v.rule, v.message])).toEqual([
      [
        "s3-public-access-blocked",
        "public access block leaves restrict_public_buckets off; all four must be true",
      ],
    ]);
    expect(found[0]?.address).toMatch(/^aws_s3_bucket\.state_bucket_/);

    const bare = testStack("dev", "dev-bootstrap");
    new S3Bucket(bare, "loose", { bucket: "dev-loose" });
    expect(violations(bare).filter((v) => v.rule === "s3-public-access-blocked")).toEqual([
      expect.objectContaining({
        address: "aws_s3_bucket.loose",
        message: "has no aws_s3_bucket_public_access_block",
      }),
    ]);
  });

  it("s3-public-access-blocked matches a block that names the bucket literally", () => {
    const stack = testStack("dev", "dev-bootstrap");
    new S3Bucket(stack, "named", { bucket: "dev-named" });
    new S3BucketPublicAccessBlock(stack, "named-block", {
      bucket: "dev-named",
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    expect(violations(stack).filter((v) => v.rule === "s3-public-access-blocked")).toEqual([]);
  });

  it("s3-encrypted trips on SSE-S3 (AES256) default encryption", () => {
    const { stack, state } = bootstrap();
    child(state, "encryption").addOverride("rule.0.apply_server_side_encryption_by_default", {
      sse_algorithm: "AES256",
    });
    expect(violations(stack).map((v) => [v.rule, v.message])).toEqual([
      ["s3-encrypted", "default encryption is AES256; expected aws:kms"],
    ]);
  });

  it("s3-versioned trips when versioning is suspended", () => {
    const { stack, state } = bootstrap();
    child(state, "versioning").addOverride("versioning_configuration.status", "Suspended");
    expect(violations(stack).map((v) => [v.rule, v.message])).toEqual([
      ["s3-versioned", "versioning status is Suspended; expected Enabled"],
    ]);
  });

  it("s3-tls-only trips when the bucket policy does not deny insecure transport", () => {
    const { stack, state } = bootstrap();
    child(state, "policy").addOverride(
      "policy",
      JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Deny", Principal: "*", Action: "s3:DeleteBucket", Resource: "*" }],
      }),
    );
    const found = violations(stack);
    expect(found.map((v) => v.rule)).toEqual(["s3-tls-only"]);
    expect(found[0]?.message).toContain("aws:SecureTransport is false");

    const bare = testStack("dev", "dev-bootstrap");
    const bucket = new S3Bucket(bare, "open", { bucket: "dev-open" });
    new S3BucketPolicy(bare, "open-policy", { bucket: bucket.id, policy: Fn.jsonencode({ Statement: [] }) });
    const unreadable = violations(bare).filter((v) => v.rule === "s3-tls-only");
    expect(unreadable[0]?.message).toContain("cannot be checked");
  });

  describe("backend-encrypted-locking", () => {
    it("passes a stack configured with configureS3Backend", () => {
      expect(violations(networkStack().stack)).toEqual([]);
    });

    it("trips on a non-bootstrap stack with local state", () => {
      const found = violations(testStack("dev", "dev-network"));
      expect(found.map((v) => [v.rule, v.address])).toEqual([
        ["backend-encrypted-locking", "terraform.backend"],
      ]);
      expect(found[0]?.message).toContain("expected s3");
    });

    it("trips on encrypt off, no lock file, or a DynamoDB lock table", () => {
      const { stack, backend } = networkStack();
      backend.addOverride("encrypt", false);
      backend.addOverride("use_lockfile", false);
      backend.addOverride("dynamodb_table", "locks");
      expect(violations(stack).map((v) => v.message)).toEqual([
        "s3 backend encrypt is false, expected true; use_lockfile is false, expected true; sets dynamodb_table; DynamoDB locking is deprecated",
      ]);
    });
  });
});
