import { describe, expect, it } from "vitest";
import type { NameTarget } from "./targets.ts";
import {
  isPlanJson,
  isTerraformJson,
  namesInPlanJson,
  namesInResource,
  namesInTerraformJson,
} from "./terraform-names.ts";

describe("name attributes of each resource type", () => {
  // [resource type, attribute, target]: every attribute that names something AWS or Helm creates.
  const attributes: [string, string, NameTarget][] = [
    ["aws_iam_role", "name", "iam-role"],
    ["aws_iam_role", "name_prefix", "iam-role"],
    ["aws_iam_policy", "name", "iam-policy"],
    ["aws_iam_policy", "name_prefix", "iam-policy"],
    ["aws_iam_role_policy", "name", "iam-policy"],
    ["aws_iam_instance_profile", "name", "iam-role"],
    ["aws_sqs_queue", "name", "sqs-queue"],
    ["aws_sqs_queue", "name_prefix", "sqs-queue"],
    ["aws_db_instance", "identifier", "rds-identifier"],
    ["aws_db_instance", "identifier_prefix", "rds-identifier"],
    ["aws_db_instance", "final_snapshot_identifier", "generic"],
    ["aws_rds_cluster", "cluster_identifier", "rds-identifier"],
    ["aws_db_subnet_group", "name", "generic"],
    ["aws_db_parameter_group", "name", "generic"],
    ["aws_db_parameter_group", "name_prefix", "generic"],
    ["aws_eks_cluster", "name", "eks-cluster"],
    ["aws_eks_node_group", "node_group_name", "eks-node-group"],
    ["aws_eks_addon", "addon_name", "generic"],
    ["aws_eks_pod_identity_association", "namespace", "k8s-namespace"],
    ["aws_eks_pod_identity_association", "service_account", "k8s-name"],
    ["aws_launch_template", "name", "generic"],
    ["aws_launch_template", "name_prefix", "generic"],
    ["aws_s3_bucket", "bucket", "s3-bucket"],
    ["aws_s3_bucket", "bucket_prefix", "s3-bucket"],
    ["aws_lb", "name", "alb"],
    ["aws_alb", "name", "alb"],
    ["aws_lb_target_group", "name", "target-group"],
    ["aws_alb_target_group", "name", "target-group"],
    ["aws_cognito_user_pool", "name", "cognito-user-pool"],
    ["aws_cognito_user_pool_client", "name", "cognito-client"],
    ["aws_cognito_user_group", "name", "generic"],
    ["aws_ecr_repository", "name", "ecr-repository"],
    ["aws_cloudwatch_log_group", "name", "log-group"],
    ["aws_cloudwatch_metric_alarm", "alarm_name", "generic"],
    ["aws_kms_alias", "name", "kms-alias"],
    ["aws_sns_topic", "name", "sns-topic"],
    ["aws_security_group", "name", "security-group"],
    ["aws_security_group", "name_prefix", "security-group"],
    ["aws_secretsmanager_secret", "name", "secret"],
    ["aws_ssm_parameter", "name", "generic"],
    ["aws_dynamodb_table", "name", "generic"],
    ["aws_codebuild_project", "name", "generic"],
    ["helm_release", "name", "helm-release"],
    ["helm_release", "namespace", "k8s-namespace"],
  ];

  it.each(attributes)("%s.%s is a %s name", (type, attribute, target) => {
    expect(namesInResource(type, `${type}.x`, { [attribute]: "dev-x", other: "dev-y" }, "f.json")).toEqual([
      { file: "f.json", address: `${type}.x.${attribute}`, name: "dev-x", target },
    ]);
  });

  it('takes a queue with fifo_queue set (true or "true") as a FIFO queue', () => {
    const target = (config: Record<string, unknown>) =>
      namesInResource("aws_sqs_queue", "q", { name: "dev-q", ...config }, "f").map((u) => u.target);
    expect(target({ fifo_queue: true })).toEqual(["sqs-fifo-queue"]);
    expect(target({ fifo_queue: "true" })).toEqual(["sqs-fifo-queue"]);
    expect(target({ fifo_queue: false })).toEqual(["sqs-queue"]);
    expect(target({ fifo_queue: "false" })).toEqual(["sqs-queue"]);
    expect(target({})).toEqual(["sqs-queue"]);
  });

  it("knows no names of other resource types, and skips values that are not strings", () => {
    expect(namesInResource("aws_vpc", "v", { name: "dev" }, "f")).toEqual([]);
    expect(namesInResource("aws_iam_role", "r", { name: 3 }, "f")).toEqual([]);
    // An empty name is a name (too short), not a reference.
    expect(namesInResource("aws_iam_role", "r", { name: "" }, "f")).toEqual([
      { file: "f", address: "r.name", name: "", target: "iam-role" },
    ]);
  });

  it("skips a name that is only references, and marks one that mixes words and references as partial", () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Terraform references, on purpose
    const whole = "${var.a}${var.b}";
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Terraform references, on purpose
    const mixed = "dev-${var.a}";
    expect(namesInResource("aws_iam_role", "r", { name: whole }, "f")).toEqual([]);
    expect(namesInResource("aws_iam_role", "r", { name: mixed }, "f")).toEqual([
      { file: "f", address: "r.name", name: mixed, target: "iam-role", partial: true },
    ]);
  });
});

describe("Kubernetes metadata", () => {
  const metadata = { name: "dev-x", namespace: "dev", labels: { app: "orders", n: 1 } };

  it.each([
    ["kubernetes_namespace", "k8s-namespace"],
    ["kubernetes_namespace_v1", "k8s-namespace"],
    ["kubernetes_deployment_v1", "k8s-name"],
  ] as const)("%s: name is a %s, namespace and labels are checked too", (type, nameTarget) => {
    for (const block of [metadata, [null, metadata]]) {
      expect(namesInResource(type, "k", { metadata: block }, "f")).toEqual([
        { file: "f", address: "k.metadata.name", name: "dev-x", target: nameTarget },
        { file: "f", address: "k.metadata.namespace", name: "dev", target: "k8s-namespace" },
        { file: "f", address: "k.metadata.labels.app", name: "orders", target: "k8s-label-value" },
      ]);
    }
  });

  it("skips references and non-string values in metadata, and metadata of other resources", () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Terraform references, on purpose
    const ref = "${var.x}";
    expect(
      namesInResource(
        "kubernetes_service",
        "k",
        { metadata: { name: ref, namespace: ref, labels: { a: ref } } },
        "f",
      ),
    ).toEqual([]);
    expect(namesInResource("kubernetes_service", "k", { metadata: { name: 1, namespace: 2 } }, "f")).toEqual(
      [],
    );
    expect(namesInResource("aws_kubernetes_thing", "k", { metadata: { name: "x" } }, "f")).toEqual([]);
    expect(namesInResource("helm_release", "k", { metadata: { name: "x" } }, "f")).toEqual([]);
  });
});

describe("tags", () => {
  it.each(["Name", "environment", "Env", "Component", "tenant", "TEAM"])(
    "checks the words of the tag %s as a name",
    (key) => {
      expect(namesInResource("aws_vpc", "v", { tags: { [key]: "dev-x" } }, "f")).toEqual([
        { file: "f", address: `v.tags.${key}`, name: key, target: "tag-key" },
        { file: "f", address: `v.tags.${key}`, name: "dev-x", target: "tag-value", tokens: true },
      ]);
    },
  );

  it("checks other tag values only for their limits, and skips those with references", () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Terraform references, on purpose
    const [cost, name, key] = ["${var.c}-1", "dev-${var.n}", "${var.k}"];
    const tags = { Owner: "x y", Cost: cost, Name: name, [key]: "v", N: 1 };
    expect(namesInResource("aws_vpc", "v", { tags }, "f")).toEqual([
      { file: "f", address: "v.tags.Owner", name: "Owner", target: "tag-key" },
      { file: "f", address: "v.tags.Owner", name: "x y", target: "tag-value", tokens: false },
      { file: "f", address: "v.tags.Cost", name: "Cost", target: "tag-key" },
      { file: "f", address: "v.tags.Name", name: "Name", target: "tag-key" },
      { file: "f", address: "v.tags.Name", name, target: "tag-value", partial: true, tokens: true },
      // A key with a reference is known only at apply; its value is still a value.
      { file: "f", address: `v.tags.${key}`, name: "v", target: "tag-value", tokens: false },
      { file: "f", address: "v.tags.N", name: "N", target: "tag-key" },
    ]);
  });
});

describe("documents", () => {
  it("reads resources and provider default tags of Terraform JSON", () => {
    const json = {
      resource: { aws_iam_role: { r: { name: "dev-role" }, bad: "x" }, aws_vpc: 1 },
      provider: {
        aws: [{ default_tags: [null, { tags: { Team: "dev" } }] }, "x", null],
        google: { default_tags: { tags: { Env: "prod" } } },
      },
    };
    expect(namesInTerraformJson(json, "f")).toEqual([
      { file: "f", address: "aws_iam_role.r.name", name: "dev-role", target: "iam-role" },
      { file: "f", address: "provider.aws.default_tags.Team", name: "Team", target: "tag-key" },
      {
        file: "f",
        address: "provider.aws.default_tags.Team",
        name: "dev",
        target: "tag-value",
        tokens: true,
      },
      { file: "f", address: "provider.google.default_tags.Env", name: "Env", target: "tag-key" },
      {
        file: "f",
        address: "provider.google.default_tags.Env",
        name: "prod",
        target: "tag-value",
        tokens: true,
      },
    ]);
    expect(namesInTerraformJson({}, "f")).toEqual([]);
  });

  it("reads the after-values of managed resources in a plan", () => {
    const plan = {
      resource_changes: [
        { address: "aws_iam_role.r", type: "aws_iam_role", change: { after: { name: "dev-role" } } },
        { type: "aws_iam_role", change: { after: { name: "no-address" } } },
        {
          address: "data.aws_iam_role.d",
          mode: "data",
          type: "aws_iam_role",
          change: { after: { name: "d" } },
        },
        { address: "x", type: "aws_iam_role", change: { after: null } },
        { address: "y", type: 1, change: { after: { name: "y" } } },
        { address: "z", type: "aws_iam_role" },
        "junk",
      ],
    };
    expect(namesInPlanJson(plan, "p")).toEqual([
      { file: "p", address: "aws_iam_role.r.name", name: "dev-role", target: "iam-role" },
      { file: "p", address: "aws_iam_role.name", name: "no-address", target: "iam-role" },
    ]);
    expect(namesInPlanJson({ resource_changes: {} }, "p")).toEqual([]);
  });

  it("tells a plan from configuration", () => {
    expect(isPlanJson({ resource_changes: [] })).toBe(true);
    expect(isPlanJson({ planned_values: {} })).toBe(true);
    expect(isPlanJson({ format_version: "1.2" })).toBe(true);
    expect(isPlanJson({ format_version: "1.2", resource: {} })).toBe(false);
    expect(isPlanJson({ resource: {} })).toBe(false);
    expect(isTerraformJson({ resource: {} })).toBe(true);
    expect(isTerraformJson({ terraform: {} })).toBe(true);
    expect(isTerraformJson({ provider: {} })).toBe(true);
    expect(isTerraformJson({ variable: {} })).toBe(false);
  });
});
