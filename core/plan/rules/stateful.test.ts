import { describe, expect, it } from "vitest";
import { destroyRule, unknownActionRule } from "./stateful.ts";
import { change, dataChange } from "./test/changes.ts";

/** Every stateful type and the words a reviewer reads for it. */
const STATEFUL: [string, string][] = [
  ["aws_db_instance", "RDS instance"],
  ["aws_rds_cluster", "RDS cluster"],
  ["aws_rds_global_cluster", "RDS global cluster"],
  ["aws_s3_bucket", "S3 bucket"],
  ["aws_eks_cluster", "EKS cluster"],
  ["aws_sqs_queue", "SQS queue"],
  ["aws_cognito_user_pool", "Cognito user pool"],
  ["aws_cognito_identity_pool", "Cognito identity pool"],
  ["aws_kms_key", "KMS key"],
  ["aws_kms_replica_key", "KMS replica key"],
  ["aws_ebs_volume", "EBS volume"],
  ["aws_ebs_snapshot", "EBS snapshot"],
  ["aws_dynamodb_table", "DynamoDB table"],
  ["aws_efs_file_system", "EFS file system"],
  ["aws_elasticache_cluster", "ElastiCache cluster"],
  ["aws_elasticache_replication_group", "ElastiCache replication group"],
  ["aws_docdb_cluster", "DocumentDB cluster"],
  ["aws_neptune_cluster", "Neptune cluster"],
  ["aws_redshift_cluster", "Redshift cluster"],
  ["aws_opensearch_domain", "OpenSearch domain"],
  ["aws_elasticsearch_domain", "Elasticsearch domain"],
  ["aws_secretsmanager_secret", "Secrets Manager secret"],
  ["aws_route53_zone", "Route 53 hosted zone"],
  ["aws_msk_cluster", "MSK cluster"],
  ["aws_kinesis_stream", "Kinesis stream"],
  ["aws_backup_vault", "Backup vault"],
  ["aws_ecr_repository", "ECR repository"],
  ["aws_acmpca_certificate_authority", "private certificate authority"],
  ["aws_iam_user", "IAM user"],
];

const destroyed = (type: string) => change({ type, actions: ["delete"], before: { id: "x" } });
const replaced = (type: string, changeExtra?: Record<string, unknown>) =>
  change({ type, actions: ["delete", "create"], before: { id: "x" }, after: { id: "y" }, changeExtra });

describe("destroyRule", () => {
  it.each(STATEFUL)("destroying or replacing %s (%s) is critical", (type, label) => {
    expect(destroyRule(destroyed(type))).toEqual([
      {
        rule: "stateful-delete",
        severity: "critical",
        address: `${type}.this`,
        resourceType: type,
        reason: `destroys a ${label}: its data or identities are lost.`,
      },
    ]);
    expect(destroyRule(replaced(type)).map((f) => [f.rule, f.severity, f.reason])).toEqual([
      [
        "stateful-delete",
        "critical",
        `replaces (destroys and recreates) a ${label}: its data or identities are lost.`,
      ],
    ]);
  });

  it("a stateful replacement names the attributes that force it", () => {
    expect(
      destroyRule(replaced("aws_db_instance", { replace_paths: [["engine"], ["tags", "Name"]] })).map(
        (f) => f.reason,
      ),
    ).toEqual([
      "replaces (destroys and recreates) a RDS instance: its data or identities are lost; forced by engine, tags.Name.",
    ]);
    expect(destroyRule(replaced("aws_db_instance", { replace_paths: [] })).map((f) => f.reason)).toEqual([
      "replaces (destroys and recreates) a RDS instance: its data or identities are lost.",
    ]);
  });

  it("destroying or replacing any other resource is medium", () => {
    expect(destroyRule(destroyed("aws_instance"))).toEqual([
      {
        rule: "resource-delete",
        severity: "medium",
        address: "aws_instance.this",
        resourceType: "aws_instance",
        reason: "destroys aws_instance.",
      },
    ]);
    expect(
      destroyRule(
        change({
          type: "aws_instance",
          actions: ["create", "delete"],
          before: { id: "x" },
          after: { id: "y" },
        }),
      ).map((f) => [f.severity, f.reason]),
    ).toEqual([["medium", "replaces (destroys and recreates) aws_instance."]]);
    expect(
      destroyRule(
        change({
          type: "aws_instance",
          actions: ["create", "forget"],
          before: { id: "x" },
          after: { id: "y" },
        }),
      ).map((f) => f.reason),
    ).toEqual(["replaces (destroys and recreates) aws_instance."]);
  });

  it("no finding for changes that destroy nothing, unknown actions or data sources", () => {
    expect(destroyRule(change({ type: "aws_db_instance", actions: ["create"], after: { id: "x" } }))).toEqual(
      [],
    );
    expect(
      destroyRule(change({ type: "aws_db_instance", actions: ["update"], before: {}, after: {} })),
    ).toEqual([]);
    expect(
      destroyRule(change({ type: "aws_db_instance", actions: ["forget"], before: { id: "x" } })),
    ).toEqual([]);
    expect(
      destroyRule(change({ type: "aws_db_instance", actions: ["teleport"], before: { id: "x" } })),
    ).toEqual([]);
    expect(
      destroyRule(dataChange({ type: "aws_db_instance", actions: ["delete"], before: { id: "x" } })),
    ).toEqual([]);
    expect(
      destroyRule(dataChange({ type: "aws_instance", actions: ["delete"], before: { id: "x" } })),
    ).toEqual([]);
  });
});

describe("unknownActionRule", () => {
  it("an action list Sluice does not know is high, critical on a stateful type, and lists the actions", () => {
    expect(
      unknownActionRule(
        change({ type: "aws_instance", actions: ["teleport", "create"], before: { id: "x" } }),
      ),
    ).toEqual([
      {
        rule: "unknown-action",
        severity: "high",
        address: "aws_instance.this",
        resourceType: "aws_instance",
        reason:
          "has actions [teleport, create] that Sluice does not know; treat as destructive and review by hand.",
      },
    ]);
    expect(
      unknownActionRule(change({ type: "aws_kms_key", actions: ["teleport"] })).map((f) => f.severity),
    ).toEqual(["critical"]);
  });

  it("known action lists are left to the other rules", () => {
    for (const actions of [
      ["create"],
      ["delete"],
      ["update"],
      ["delete", "create"],
      ["no-op"],
      ["read"],
      ["forget"],
    ]) {
      expect(
        unknownActionRule(change({ type: "aws_kms_key", actions, before: { id: "x" }, after: { id: "y" } })),
      ).toEqual([]);
    }
  });
});
