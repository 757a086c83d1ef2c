import { describe, expect, it } from "vitest";
import { resourcesOf, synthJson, testStack } from "../test/stack.ts";
import { Alarms, type AlarmsProps } from "./alarms.ts";

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

  it("posts the alarm topic to Slack through AWS Chatbot, read-only, never through a webhook subscription", () => {
    const { json, only } = build({ slack: { workspaceId: "T0123ABCD", channelId: "C0123ABCD" } });
    expect(resourcesOf(json, "aws_sns_topic_subscription")).toEqual({});
    const chat = only("aws_chatbot_slack_channel_configuration");
    expect(chat).toMatchObject({
      configuration_name: "dev-alarms-chat",
      slack_team_id: "T0123ABCD",
      slack_channel_id: "C0123ABCD",
      sns_topic_arns: [expect.stringMatching(/^\$\{aws_sns_topic\.\w+\.arn\}$/)],
      guardrail_policy_arns: [expect.stringMatching(/:iam::aws:policy\/ReadOnlyAccess$/)],
      user_authorization_required: true,
      iam_role_arn: expect.stringMatching(/^\$\{aws_iam_role\.[\w-]+\.arn\}$/),
    });
    const role = only("aws_iam_role");
    expect(role.name).toBe("dev-alarms-chat-role");
    expect(String(role.assume_role_policy)).toContain("chatbot.amazonaws.com");
    expect(String(only("aws_iam_role_policy_attachment").policy_arn)).toMatch(/CloudWatchReadOnlyAccess$/);
  });

  it("adds no Chatbot channel without a Slack channel", () => {
    expect(resourcesOf(build().json, "aws_chatbot_slack_channel_configuration")).toEqual({});
  });

  it("rejects malformed Slack ids and an administrator guardrail, naming the field", () => {
    expect(() => build({ slack: { workspaceId: "acme", channelId: "C0123ABCD" } })).toThrow(
      'Alarms: slack.workspaceId must be a Slack workspace id such as T0123ABCD, got "acme"',
    );
    expect(() => build({ slack: { workspaceId: "T0123ABCD", channelId: "#alerts" } })).toThrow(
      /slack\.channelId/,
    );
    expect(() =>
      build({
        slack: {
          workspaceId: "T0123ABCD",
          channelId: "C0123ABCD",
          guardrailPolicyArns: ["arn:aws:iam::aws:policy/AdministratorAccess"],
        },
      }),
    ).toThrow(/slack\.guardrailPolicyArns must be a policy narrower than administrator access/);
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
