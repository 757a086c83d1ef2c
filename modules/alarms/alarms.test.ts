import { TerraformVariable } from "cdktf";
import { describe, expect, it } from "vitest";
import { resourcesOf, synthJson, testStack } from "../test/stack.ts";
import { Alarms, type AlarmsProps } from "./alarms.ts";

const WEBHOOK = "https://hooks.example.com/services/T000/B000/SECRETSECRET";

function build(props: AlarmsProps = {}) {
  const stack = testStack();
  const alarms = new Alarms(stack, "alarms", props);
  const json = synthJson(stack);
  const only = (type: string) => {
    const all = Object.values(resourcesOf(json, type));
    expect(all).toHaveLength(1);
    return all[0] as Record<string, unknown>;
  };
  const alarmsByName = Object.fromEntries(
    Object.values(resourcesOf(json, "aws_cloudwatch_metric_alarm")).map((a) => [a.alarm_name, a]),
  );
  return { stack, alarms, json, only, alarmsByName };
}

describe("Alarms", () => {
  it("encrypts the topic with a rotating key that CloudWatch may use", () => {
    const { only } = build();
    const topic = only("aws_sns_topic");
    const key = only("aws_kms_key");
    expect(topic.name).toBe("dev-alarms");
    expect(topic.kms_master_key_id).toMatch(/^\$\{aws_kms_key\.\w+\.arn\}$/);
    expect(key.enable_key_rotation).toBe(true);
    expect(only("aws_kms_alias").name).toBe("alias/dev-alarms-kms");
    const policy = JSON.parse(key.policy as string) as { Statement: Record<string, unknown>[] };
    const cloudwatch = policy.Statement.find((s) => JSON.stringify(s.Principal).includes("cloudwatch"));
    expect(cloudwatch).toMatchObject({
      Effect: "Allow",
      Principal: { Service: "cloudwatch.amazonaws.com" },
      Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
    });
    const admin = policy.Statement.find((s) => s.Sid === "AccountAdministers");
    expect(JSON.stringify(admin?.Principal)).toMatch(/data\.aws_caller_identity\.\w+\.account_id/);
  });

  it("creates no alarms or subscription it was not asked for", () => {
    const { json } = build();
    expect(resourcesOf(json, "aws_cloudwatch_metric_alarm")).toEqual({});
    expect(resourcesOf(json, "aws_sns_topic_subscription")).toEqual({});
  });

  it("alarms on database CPU and free storage with sensible defaults", () => {
    const { alarmsByName } = build({ database: { instanceIdentifier: "dev-app-db" } });
    expect(alarmsByName["dev-db-cpu"]).toMatchObject({
      namespace: "AWS/RDS",
      metric_name: "CPUUtilization",
      dimensions: { DBInstanceIdentifier: "dev-app-db" },
      threshold: 80,
      comparison_operator: "GreaterThanThreshold",
      evaluation_periods: 3,
      alarm_actions: [expect.stringMatching(/aws_sns_topic\.\w+\.arn/)],
      ok_actions: [expect.stringMatching(/aws_sns_topic\.\w+\.arn/)],
    });
    expect(alarmsByName["dev-db-storage"]).toMatchObject({
      metric_name: "FreeStorageSpace",
      threshold: 2 * 1024 ** 3,
      comparison_operator: "LessThanThreshold",
    });
  });

  it("takes database thresholds from props", () => {
    const { alarmsByName } = build({
      database: { instanceIdentifier: "dev-app-db", cpuHighPercent: 65, freeStorageLowGiB: 10 },
    });
    expect(alarmsByName["dev-db-cpu"]?.threshold).toBe(65);
    expect(alarmsByName["dev-db-storage"]?.threshold).toBe(10 * 1024 ** 3);
  });

  it("alarms when fewer nodes run than the node groups' minimum, treating silence as breaching", () => {
    const { alarmsByName } = build({ cluster: { clusterName: "dev-eks", minimumNodeCount: 2 } });
    expect(alarmsByName["dev-eks-nodes"]).toMatchObject({
      namespace: "ContainerInsights",
      metric_name: "cluster_node_count",
      dimensions: { ClusterName: "dev-eks" },
      threshold: 2,
      comparison_operator: "LessThanThreshold",
      treat_missing_data: "breaching",
    });
  });

  it("subscribes a chat webhook over HTTPS, literal or from a token", () => {
    expect(build({ chatWebhookUrl: WEBHOOK }).only("aws_sns_topic_subscription")).toMatchObject({
      protocol: "https",
      endpoint: WEBHOOK,
      topic_arn: expect.stringMatching(/aws_sns_topic\.\w+\.arn/),
    });
    const stack = testStack();
    const secret = new TerraformVariable(stack, "webhook", { type: "string", sensitive: true });
    new Alarms(stack, "alarms", { chatWebhookUrl: secret.stringValue });
    const subscription = Object.values(resourcesOf(synthJson(stack), "aws_sns_topic_subscription"))[0];
    expect(subscription?.endpoint).toBe(["$", "{var.webhook}"].join(""));
  });

  it("rejects a non-https webhook without echoing the URL", () => {
    const secretish = "http://hooks.example.com/services/T000/B000/SECRETSECRET";
    let message = "";
    try {
      build({ chatWebhookUrl: secretish });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain("Alarms: chatWebhookUrl must start with https://");
    expect(message).not.toContain("SECRETSECRET");
    expect(message).not.toContain("hooks.example.com");
  });

  it.each([
    [
      { database: { instanceIdentifier: "x", cpuHighPercent: 0 } },
      "database.cpuHighPercent must be from 1 to 100, got 0",
    ],
    [{ database: { instanceIdentifier: "x", cpuHighPercent: 150 } }, "got 150"],
    [
      { database: { instanceIdentifier: "x", freeStorageLowGiB: 0 } },
      "database.freeStorageLowGiB must be greater than 0, got 0",
    ],
    [
      { cluster: { clusterName: "c", minimumNodeCount: 0 } },
      "cluster.minimumNodeCount must be an integer >= 1, got 0",
    ],
  ])("rejects %o", (props, message) => {
    expect(() => build(props)).toThrow(message);
  });
});
