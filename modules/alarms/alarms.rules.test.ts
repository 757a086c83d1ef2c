import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import type { TerraformResource, TerraformStack } from "cdktf";
import { describe, expect, it } from "vitest";
import { alarmRules } from "../../core/rules/alarms.ts";
import { runRules } from "../../core/rules/run.ts";
import type { SynthesizedStack, TerraformJson } from "../../core/rules/types.ts";
import { Queues } from "../queues/queues.ts";
import { synthJson, testStack } from "../test/stack.ts";
import { Alarms } from "./alarms.ts";

function check(weaken?: (alarms: Alarms, stack: TerraformStack) => void) {
  const stack = testStack();
  const alarms = new Alarms(stack, "alarms", {
    slack: { workspaceId: "T0123ABCD", channelId: "C0123ABCD" },
    database: { instanceIdentifier: "dev-app-db" },
    cluster: { clusterName: "dev-eks", minimumNodeCount: 1 },
  });
  new Queues(stack, "queues", { alarmTopicArn: alarms.topicArn, queues: [{ name: "orders" }] });
  weaken?.(alarms, stack);
  const synthesized: SynthesizedStack = { name: stack.node.id, json: synthJson(stack) as TerraformJson };
  return runRules([synthesized], alarmRules);
}

const child = (alarms: Alarms, id: string) => alarms.node.findChild(id) as TerraformResource;

describe("alarm rules", () => {
  it("pass the default Alarms wired to Queues", () => {
    expect(check()).toEqual([]);
  });

  it("sns-encrypted trips on a topic without a KMS key", () => {
    const violations = check((alarms) => alarms.topic.addOverride("kms_master_key_id", null));
    expect(violations.map((v) => v.rule)).toEqual(["sns-alarm-key-allows-cloudwatch", "sns-encrypted"]);
  });

  it("sns-subscription-https trips on a plain-HTTP subscription", () => {
    const violations = check((alarms, stack) => {
      new SnsTopicSubscription(stack, "relay", {
        topicArn: alarms.topicArn,
        protocol: "https",
        endpoint: "https://relay.example.com/x",
      }).addOverride("protocol", "http");
    });
    expect(violations.map((v) => v.rule)).toEqual(["sns-subscription-https"]);
  });

  it("chatbot-guardrailed trips on an administrator guardrail, none at all, or no user authorisation", () => {
    const admin = check((alarms) =>
      child(alarms, "chat").addOverride("guardrail_policy_arns", [
        "arn:aws:iam::aws:policy/AdministratorAccess",
      ]),
    );
    expect(admin.map((v) => [v.rule, v.message])).toEqual([
      [
        "chatbot-guardrailed",
        'guardrail "arn:aws:iam::aws:policy/AdministratorAccess" is (or may be) administrator access',
      ],
    ]);
    const none = check((alarms) => child(alarms, "chat").addOverride("guardrail_policy_arns", null));
    expect(none.map((v) => v.message)).toEqual([
      "guardrail_policy_arns is empty, so Chatbot applies AdministratorAccess",
    ]);
    const anyone = check((alarms) => child(alarms, "chat").addOverride("user_authorization_required", false));
    expect(anyone.map((v) => v.message)).toEqual(["user_authorization_required is not true"]);
  });

  it("cloudwatch-alarm-has-action trips on an alarm that notifies nobody", () => {
    const violations = check((alarms) => alarms.alarms["db-cpu"]?.addOverride("alarm_actions", null));
    expect(violations.map((v) => [v.rule, v.address])).toEqual([
      ["cloudwatch-alarm-has-action", expect.stringMatching(/^aws_cloudwatch_metric_alarm\.alarms_db_cpu/)],
    ]);
  });

  it("sns-alarm-key-allows-cloudwatch trips when the key policy leaves CloudWatch out", () => {
    const rootOnly = JSON.stringify({
      Statement: [
        {
          Effect: "Allow",
          Principal: { AWS: "arn:aws:iam::111111111111:root" },
          Action: "kms:*",
          Resource: "*",
        },
      ],
    });
    const violations = check((alarms) => child(alarms, "key").addOverride("policy", rootOnly));
    expect(violations.map((v) => v.rule)).toEqual(["sns-alarm-key-allows-cloudwatch"]);
    expect(violations[0]?.address).toMatch(/^aws_sns_topic\./);
  });

  it("sns-alarm-key-allows-cloudwatch trips on an alarm topic with the AWS-managed key", () => {
    const violations = check((_alarms, stack) => {
      const topic = new SnsTopic(stack, "managed", { kmsMasterKeyId: "alias/aws/sns" });
      new CloudwatchMetricAlarm(stack, "extra", {
        alarmName: "x",
        namespace: "AWS/RDS",
        metricName: "CPUUtilization",
        comparisonOperator: "GreaterThanThreshold",
        evaluationPeriods: 1,
        period: 60,
        statistic: "Average",
        threshold: 1,
        alarmActions: [topic.arn],
      });
    });
    expect(violations.map((v) => [v.rule, v.address])).toEqual([
      ["sns-alarm-key-allows-cloudwatch", "aws_sns_topic.managed"],
    ]);
  });
});
