import { describe, expect, it } from "vitest";
import type { ChangeSpec } from "../test/plans.ts";
import { exposureRule } from "./exposure.ts";
import { change, dataChange } from "./test/changes.ts";

const exposure = (spec: ChangeSpec) => exposureRule(change(spec)).map((f) => [f.severity, f.reason]);
const update = (type: string, before: unknown, after: unknown) =>
  exposure({ type, actions: ["update"], before, after });
const create = (type: string, after: unknown) => exposure({ type, actions: ["create"], after });

const PUBLIC = "makes the resource publicly accessible (publicly_accessible).";

describe("exposureRule: publicly_accessible", () => {
  it("turned on or created on is high, on any resource type", () => {
    expect(
      exposureRule(
        change({
          type: "aws_db_instance",
          name: "db",
          actions: ["create"],
          after: { publicly_accessible: true },
        }),
      ),
    ).toEqual([
      {
        rule: "public-exposure",
        severity: "high",
        address: "aws_db_instance.db",
        resourceType: "aws_db_instance",
        reason: PUBLIC,
      },
    ]);
    expect(
      update("aws_redshift_cluster", { publicly_accessible: false }, { publicly_accessible: true }),
    ).toEqual([["high", PUBLIC]]);
    expect(update("aws_redshift_cluster", {}, { publicly_accessible: true })).toEqual([["high", PUBLIC]]);
  });

  it("already on, off, or not a boolean is no finding", () => {
    expect(update("aws_db_instance", { publicly_accessible: true }, { publicly_accessible: true })).toEqual(
      [],
    );
    expect(update("aws_db_instance", { publicly_accessible: true }, { publicly_accessible: false })).toEqual(
      [],
    );
    expect(create("aws_db_instance", { publicly_accessible: false })).toEqual([]);
    expect(create("aws_db_instance", { publicly_accessible: "true" })).toEqual([]);
    expect(update("aws_db_instance", { publicly_accessible: "true" }, { publicly_accessible: true })).toEqual(
      [["high", PUBLIC]],
    );
  });

  it("data sources and changes that write nothing are never checked", () => {
    expect(
      exposureRule(
        dataChange({ type: "aws_db_instance", actions: ["read"], after: { publicly_accessible: true } }),
      ),
    ).toEqual([]);
    expect(
      exposureRule(
        dataChange({ type: "aws_db_instance", actions: ["create"], after: { publicly_accessible: true } }),
      ),
    ).toEqual([]);
    expect(
      exposure({
        type: "aws_db_instance",
        actions: ["no-op"],
        before: {},
        after: { publicly_accessible: true },
      }),
    ).toEqual([]);
    expect(
      exposure({ type: "aws_db_instance", actions: ["delete"], before: { publicly_accessible: true } }),
    ).toEqual([]);
  });
});

describe("exposureRule: S3 public access blocks", () => {
  const BLOCKS = ["aws_s3_bucket_public_access_block", "aws_s3_account_public_access_block"];
  const ALL_ON = {
    block_public_acls: true,
    block_public_policy: true,
    ignore_public_acls: true,
    restrict_public_buckets: true,
  };

  it.each(BLOCKS)("destroying or forgetting %s is high", (type) => {
    const removed = [["high", "removes an S3 public access block."]];
    expect(exposureRule(change({ type, actions: ["delete"], before: ALL_ON }))).toEqual([
      {
        rule: "public-exposure",
        severity: "high",
        address: `${type}.this`,
        resourceType: type,
        reason: "removes an S3 public access block.",
      },
    ]);
    expect(exposure({ type, actions: ["forget"], before: ALL_ON })).toEqual(removed);
    expect(exposureRule(dataChange({ type, actions: ["delete"], before: ALL_ON }))).toEqual([]);
  });

  it.each(BLOCKS)("%s: each flag turned off is listed in one finding", (type) => {
    for (const flag of Object.keys(ALL_ON)) {
      expect(update(type, ALL_ON, { ...ALL_ON, [flag]: false })).toEqual([
        ["high", `allows public S3 access (${flag} off).`],
      ]);
    }
    expect(
      create(type, { block_public_acls: false, block_public_policy: false, ignore_public_acls: true }),
    ).toEqual([["high", "allows public S3 access (block_public_acls, block_public_policy off)."]]);
  });

  it("flags already off, turned on, or absent are no finding; other types are not read", () => {
    const off = { block_public_acls: false };
    expect(update("aws_s3_bucket_public_access_block", off, off)).toEqual([]);
    expect(update("aws_s3_bucket_public_access_block", off, { block_public_acls: true })).toEqual([]);
    expect(update("aws_s3_bucket_public_access_block", ALL_ON, {})).toEqual([]);
    expect(update("aws_s3_bucket_public_access_block", ALL_ON, { block_public_acls: null })).toEqual([]);
    expect(update("aws_s3_bucket", ALL_ON, { ...ALL_ON, block_public_acls: false })).toEqual([]);
    expect(exposure({ type: "aws_s3_bucket", actions: ["delete"], before: ALL_ON })).toEqual([]);
    expect(
      exposure({
        type: "aws_s3_bucket_public_access_block",
        actions: ["delete", "create"],
        before: ALL_ON,
        after: ALL_ON,
      }),
    ).toEqual([]);
  });
});

describe("exposureRule: canned ACLs", () => {
  it.each(["aws_s3_bucket", "aws_s3_bucket_acl"])(
    "%s: a public canned ACL is high, public-read-write critical",
    (type) => {
      expect(create(type, { acl: "public-read" })).toEqual([
        ["high", "grants a public canned ACL (acl = public-read)."],
      ]);
      expect(create(type, { acl: "authenticated-read" })).toEqual([
        ["high", "grants a public canned ACL (acl = authenticated-read)."],
      ]);
      expect(update(type, { acl: "private" }, { acl: "public-read-write" })).toEqual([
        ["critical", "grants a public canned ACL (acl = public-read-write)."],
      ]);
      expect(update(type, { acl: "public-read" }, { acl: "public-read-write" })).toEqual([
        ["critical", "grants a public canned ACL (acl = public-read-write)."],
      ]);
    },
  );

  it("a private or unchanged ACL, or an ACL on another type, is no finding", () => {
    expect(create("aws_s3_bucket", { acl: "private" })).toEqual([]);
    expect(create("aws_s3_bucket", { acl: "log-delivery-write" })).toEqual([]);
    expect(create("aws_s3_bucket", { acl: ["public-read"] })).toEqual([]);
    expect(update("aws_s3_bucket", { acl: "public-read" }, { acl: "public-read" })).toEqual([]);
    expect(create("aws_s3_object", { acl: "public-read" })).toEqual([]);
  });
});

describe("exposureRule: EKS endpoint", () => {
  const OPENED = [["high", "opens the EKS API endpoint to the internet (endpoint_public_access)."]];
  const vpc = (config: Record<string, unknown>) => ({ vpc_config: [config] });

  it("a public endpoint open to 0.0.0.0/0, or with CIDRs unset, null or unknown, is high", () => {
    expect(
      create("aws_eks_cluster", vpc({ endpoint_public_access: true, public_access_cidrs: ["0.0.0.0/0"] })),
    ).toEqual(OPENED);
    expect(
      create(
        "aws_eks_cluster",
        vpc({ endpoint_public_access: true, public_access_cidrs: ["10.0.0.0/8", "0.0.0.0/0"] }),
      ),
    ).toEqual(OPENED);
    expect(create("aws_eks_cluster", vpc({ endpoint_public_access: true }))).toEqual(OPENED);
    expect(
      create("aws_eks_cluster", vpc({ endpoint_public_access: true, public_access_cidrs: null })),
    ).toEqual(OPENED);
    expect(
      exposure({
        type: "aws_eks_cluster",
        actions: ["create"],
        after: vpc({ endpoint_public_access: true }),
        afterUnknown: { vpc_config: [{ public_access_cidrs: true }] },
      }),
    ).toEqual(OPENED);
  });

  it("a private or restricted endpoint, or one open before, is no finding", () => {
    expect(
      create("aws_eks_cluster", vpc({ endpoint_public_access: false, public_access_cidrs: ["0.0.0.0/0"] })),
    ).toEqual([]);
    expect(create("aws_eks_cluster", vpc({ public_access_cidrs: ["0.0.0.0/0"] }))).toEqual([]);
    expect(
      create(
        "aws_eks_cluster",
        vpc({ endpoint_public_access: true, public_access_cidrs: ["203.0.113.0/24"] }),
      ),
    ).toEqual([]);
    expect(create("aws_eks_cluster", vpc({ endpoint_public_access: true, public_access_cidrs: [] }))).toEqual(
      [],
    );
    const open = vpc({ endpoint_public_access: true });
    expect(
      update(
        "aws_eks_cluster",
        open,
        vpc({ endpoint_public_access: true, public_access_cidrs: ["0.0.0.0/0"] }),
      ),
    ).toEqual([]);
    expect(
      update(
        "aws_eks_cluster",
        vpc({ endpoint_public_access: true, public_access_cidrs: ["10.0.0.0/8"] }),
        open,
      ),
    ).toEqual(OPENED);
    expect(create("aws_eks_node_group", vpc({ endpoint_public_access: true }))).toEqual([]);
  });
});
