import { TerraformOutput } from "cdktf";
import { describe, expect, it } from "vitest";
import { resourcesOf, synthJson, testStack } from "../test/stack.ts";
import { Queue, type QueueProps, Queues, type QueuesProps } from "./queues.ts";

const TOPIC = "arn:aws:sns:eu-west-1:111111111111:dev-alarms";
const ROLE = "arn:aws:iam::111111111111:role/dev-orders-app";

function build(props: Partial<QueueProps> = {}) {
  const stack = testStack();
  const queue = new Queue(stack, "orders", { name: "orders", alarmTopicArn: TOPIC, ...props });
  const json = synthJson(stack);
  const queues = resourcesOf(json, "aws_sqs_queue");
  const byName = (name: string) => {
    const found = Object.entries(queues).find(([, q]) => q.name === name);
    if (!found) throw new Error(`no queue named ${name}; have ${Object.values(queues).map((q) => q.name)}`);
    return { id: found[0], config: found[1] };
  };
  const policies = Object.values(resourcesOf(json, "aws_sqs_queue_policy")).map(
    (p) =>
      ({ url: p.queue_url, doc: JSON.parse(p.policy as string) }) as {
        url: string;
        doc: { Statement: Record<string, unknown>[] };
      },
  );
  return { stack, queue, json, queues, byName, policies };
}

describe("Queue", () => {
  it("gives every queue a dead-letter queue through a redrive policy", () => {
    const { byName } = build({ maxReceiveCount: 3 });
    const source = byName("dev-orders");
    const dlq = byName("dev-orders-dlq");
    const redrive = JSON.parse(source.config.redrive_policy as string);
    expect(redrive).toEqual({ deadLetterTargetArn: `\${aws_sqs_queue.${dlq.id}.arn}`, maxReceiveCount: 3 });
    expect(dlq.config).not.toHaveProperty("redrive_policy");
    expect(dlq.config.message_retention_seconds).toBe(1_209_600);
  });

  it("lets only its source queue redrive into the dead-letter queue", () => {
    const { json, byName } = build();
    const allow = Object.values(resourcesOf(json, "aws_sqs_queue_redrive_allow_policy"));
    expect(allow).toHaveLength(1);
    expect(allow[0]?.queue_url).toBe(`\${aws_sqs_queue.${byName("dev-orders-dlq").id}.url}`);
    expect(JSON.parse(allow[0]?.redrive_allow_policy as string)).toEqual({
      redrivePermission: "byQueue",
      sourceQueueArns: [`\${aws_sqs_queue.${byName("dev-orders").id}.arn}`],
    });
  });

  it("encrypts with SSE-SQS by default and with a KMS key when given", () => {
    for (const q of Object.values(build().queues)) {
      expect(q.sqs_managed_sse_enabled).toBe(true);
      expect(q).not.toHaveProperty("kms_master_key_id");
    }
    const key = "arn:aws:kms:eu-west-1:111111111111:key/abc";
    for (const q of Object.values(build({ kmsKeyArn: key }).queues)) {
      expect(q.kms_master_key_id).toBe(key);
      expect(q).not.toHaveProperty("sqs_managed_sse_enabled");
    }
  });

  it("denies non-TLS access to both queues and allows nobody by wildcard", () => {
    const { policies, byName } = build();
    expect(policies.map((p) => p.url).sort()).toEqual(
      [byName("dev-orders").id, byName("dev-orders-dlq").id]
        .map((id) => `\${aws_sqs_queue.${id}.url}`)
        .sort(),
    );
    for (const { doc } of policies) {
      expect(doc.Statement).toEqual([
        expect.objectContaining({
          Effect: "Deny",
          Principal: "*",
          Action: "sqs:*",
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        }),
      ]);
    }
  });

  it("grants named producers and consumers, never a wildcard", () => {
    const { policies, byName } = build({ producerPrincipalArns: [ROLE], consumerPrincipalArns: [ROLE] });
    const source = policies.find((p) => p.url.includes(byName("dev-orders").id));
    const allows = source?.doc.Statement.filter((s) => s.Effect === "Allow") ?? [];
    expect(allows.map((s) => s.Sid)).toEqual(["AllowProducers", "AllowConsumers"]);
    for (const s of allows) expect(s.Principal).toEqual({ AWS: [ROLE] });
    expect(allows[0]?.Action).toContain("sqs:SendMessage");
    expect(allows[1]?.Action).toContain("sqs:DeleteMessage");
  });

  it("makes FIFO queues and their dead-letter queues FIFO", () => {
    const { byName } = build({ name: "events", fifo: true, contentBasedDeduplication: true });
    expect(byName("dev-events.fifo").config).toMatchObject({
      fifo_queue: true,
      content_based_deduplication: true,
    });
    expect(byName("dev-events-dlq.fifo").config).toMatchObject({ fifo_queue: true });
  });

  it("takes visibility timeout, retention and long polling from props", () => {
    const { byName } = build({
      visibilityTimeoutSeconds: 120,
      retentionSeconds: 86_400,
      deadLetterRetentionSeconds: 604_800,
      receiveWaitTimeSeconds: 5,
    });
    expect(byName("dev-orders").config).toMatchObject({
      visibility_timeout_seconds: 120,
      message_retention_seconds: 86_400,
      receive_wait_time_seconds: 5,
    });
    expect(byName("dev-orders-dlq").config.message_retention_seconds).toBe(604_800);
  });

  it("alarms on the topic when the dead-letter queue holds a message", () => {
    const { json, byName } = build();
    const alarms = Object.values(resourcesOf(json, "aws_cloudwatch_metric_alarm"));
    expect(alarms).toHaveLength(1);
    expect(alarms[0]).toMatchObject({
      alarm_name: "dev-orders-dlq",
      namespace: "AWS/SQS",
      metric_name: "ApproximateNumberOfMessagesVisible",
      dimensions: { QueueName: `\${aws_sqs_queue.${byName("dev-orders-dlq").id}.name}` },
      comparison_operator: "GreaterThanThreshold",
      threshold: 0,
      alarm_actions: [TOPIC],
      ok_actions: [TOPIC],
      treat_missing_data: "notBreaching",
    });
  });

  it.each([
    [
      { visibilityTimeoutSeconds: 43_201 },
      "Queue 'orders': visibilityTimeoutSeconds must be an integer from 0 to 43200, got 43201",
    ],
    [{ visibilityTimeoutSeconds: -1 }, "visibilityTimeoutSeconds must be an integer from 0 to 43200, got -1"],
    [{ retentionSeconds: 59 }, "retentionSeconds must be an integer from 60 to 1209600, got 59"],
    [{ retentionSeconds: 1_209_601 }, "got 1209601"],
    [
      { retentionSeconds: 86_400, deadLetterRetentionSeconds: 3_600 },
      "deadLetterRetentionSeconds must be an integer from 86400 to 1209600 (at least retentionSeconds), got 3600",
    ],
    [{ maxReceiveCount: 0 }, "maxReceiveCount must be an integer from 1 to 1000, got 0"],
    [{ receiveWaitTimeSeconds: 21 }, "receiveWaitTimeSeconds must be an integer from 0 to 20, got 21"],
    [{ contentBasedDeduplication: true }, "contentBasedDeduplication must be used only with fifo: true"],
    [
      { producerPrincipalArns: ["*"] },
      'producerPrincipalArns must be IAM role, user or account-root ARNs without wildcards, got "*"',
    ],
    [
      { consumerPrincipalArns: ["arn:aws:iam::111111111111:role/*"] },
      "consumerPrincipalArns must be IAM role",
    ],
    [{ alarmTopicArn: "dev-alarms" }, 'alarmTopicArn must be an SNS topic ARN, got "dev-alarms"'],
    [
      { name: "Orders" },
      'Queue: name must be lowercase glossary words joined by "-" (e.g. "orders"), got "Orders"',
    ],
  ])("rejects %o", (props, message) => {
    expect(() => build(props)).toThrow(message);
  });
});

describe("Queues", () => {
  const props: QueuesProps = {
    alarmTopicArn: TOPIC,
    queues: [{ name: "orders" }, { name: "events", fifo: true }],
  };

  it("builds each queue with its DLQ and exposes URLs, ARNs and DLQ names by queue name", () => {
    const stack = testStack();
    const queues = new Queues(stack, "queues", props);
    expect(Object.keys(queues.byName)).toEqual(["orders", "events"]);
    new TerraformOutput(stack, "urls", { value: queues.urls });
    new TerraformOutput(stack, "dlqs", { value: queues.deadLetterQueueNames });
    new TerraformOutput(stack, "arns", { value: queues.arns });
    const json = synthJson(stack);
    const names = Object.values(resourcesOf(json, "aws_sqs_queue")).map((q) => q.name);
    expect(names.sort()).toEqual(["dev-events-dlq.fifo", "dev-events.fifo", "dev-orders", "dev-orders-dlq"]);
    const output = json.output as Record<string, { value: Record<string, string> }>;
    expect(output.urls?.value.orders).toMatch(/^\$\{aws_sqs_queue\.\w+\.url\}$/);
    expect(output.arns?.value.events).toMatch(/^\$\{aws_sqs_queue\.\w+\.arn\}$/);
    expect(output.dlqs?.value.events).toMatch(/^\$\{aws_sqs_queue\.\w+dlq\w*\.name\}$/);
    expect(Object.values(resourcesOf(json, "aws_cloudwatch_metric_alarm"))).toHaveLength(2);
  });

  it("rejects duplicate queue names", () => {
    expect(
      () => new Queues(testStack(), "queues", { ...props, queues: [{ name: "orders" }, { name: "orders" }] }),
    ).toThrow('Queues: queues[].name must be unique, got "orders" twice');
  });
});
