import { type ChangeRule, finding } from "./access.ts";

/** Resource types whose destruction loses data or identities that cannot be recreated. */
export const STATEFUL_TYPES: Readonly<Record<string, string>> = {
  aws_db_instance: "RDS instance",
  aws_rds_cluster: "RDS cluster",
  aws_rds_global_cluster: "RDS global cluster",
  aws_s3_bucket: "S3 bucket",
  aws_eks_cluster: "EKS cluster",
  aws_sqs_queue: "SQS queue",
  aws_cognito_user_pool: "Cognito user pool",
  aws_cognito_identity_pool: "Cognito identity pool",
  aws_kms_key: "KMS key",
  aws_kms_replica_key: "KMS replica key",
  aws_ebs_volume: "EBS volume",
  aws_ebs_snapshot: "EBS snapshot",
  aws_dynamodb_table: "DynamoDB table",
  aws_efs_file_system: "EFS file system",
  aws_elasticache_cluster: "ElastiCache cluster",
  aws_elasticache_replication_group: "ElastiCache replication group",
  aws_docdb_cluster: "DocumentDB cluster",
  aws_neptune_cluster: "Neptune cluster",
  aws_redshift_cluster: "Redshift cluster",
  aws_opensearch_domain: "OpenSearch domain",
  aws_elasticsearch_domain: "Elasticsearch domain",
  aws_secretsmanager_secret: "Secrets Manager secret",
  aws_route53_zone: "Route 53 hosted zone",
  aws_msk_cluster: "MSK cluster",
  aws_kinesis_stream: "Kinesis stream",
  aws_backup_vault: "Backup vault",
  aws_ecr_repository: "ECR repository",
  aws_acmpca_certificate_authority: "private certificate authority",
  aws_iam_user: "IAM user",
};

/** Deleting or replacing a stateful or identity resource: critical. Any other destroy: medium. */
export const destroyRule: ChangeRule = (change) => {
  if (!change.destructive || change.kind === "unknown") return [];
  const label = STATEFUL_TYPES[change.type];
  const verb = change.kind === "delete" ? "destroys" : "replaces (destroys and recreates)";
  if (change.mode === "data") return [];
  if (label) {
    const detail = change.replacePaths?.length
      ? `; forced by ${change.replacePaths.map((p) => p.join(".")).join(", ")}`
      : "";
    return [
      finding(
        "stateful-delete",
        "critical",
        change,
        `${verb} a ${label}: its data or identities are lost${detail}.`,
      ),
    ];
  }
  return [finding("resource-delete", "medium", change, `${verb} ${change.type}.`)];
};

/** Action lists Sluice does not know are never waved through. */
export const unknownActionRule: ChangeRule = (change) =>
  change.kind === "unknown"
    ? [
        finding(
          "unknown-action",
          STATEFUL_TYPES[change.type] ? "critical" : "high",
          change,
          `has actions [${change.actions.join(", ")}] that Sluice does not know; treat as destructive and review by hand.`,
        ),
      ]
    : [];
