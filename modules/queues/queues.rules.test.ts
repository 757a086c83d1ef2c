import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue";
import { SqsQueuePolicy } from "@cdktf/provider-aws/lib/sqs-queue-policy";
import type { TerraformStack } from "cdktf";
import { describe, expect, it } from "vitest";
import { queueRules } from "../../core/rules/queues.ts";
import { runRules } from "../../core/rules/run.ts";
import type { SynthesizedStack, TerraformJson } from "../../core/rules/types.ts";
import { synthJson, testStack } from "../test/stack.ts";
import { Queues } from "./queues.ts";

const TOPIC = "arn:aws:sns:eu-west-1:111111111111:dev-alarms";

function check(weaken?: (queues: Queues, stack: TerraformStack) => void) {
  const stack = testStack();
  const queues = new Queues(stack, "queues", {
    alarmTopicArn: TOPIC,
    queues: [
      { name: "orders", consumerPrincipalArns: ["arn:aws:iam::111111111111:role/dev-orders"] },
      { name: "events", fifo: true },
    ],
  });
  weaken?.(queues, stack);
  const synthesized: SynthesizedStack = { name: stack.node.id, json: synthJson(stack) as TerraformJson };
  return runRules([synthesized], queueRules);
}

const orders = (q: Queues) => {
  const queue = q.byName.orders;
  if (!queue) throw new Error("no orders queue");
  return queue;
};

describe("queue rules", () => {
  it("pass the default Queues", () => {
    expect(check()).toEqual([]);
  });

  it("sqs-has-dlq trips on a queue without a redrive policy", () => {
    const violations = check((q) => orders(q).queue.addOverride("redrive_policy", null));
    // The orders DLQ is then nobody's DLQ, so it needs one too, and it lost its alarm's reason to exist.
    expect(violations.map((v) => v.rule)).toEqual(["sqs-has-dlq", "sqs-has-dlq"]);
    expect(new Set(violations.map((v) => v.message))).toEqual(
      new Set(["queue has no redrive_policy to a dead-letter queue"]),
    );
  });

  it("sqs-has-dlq trips on a new queue added without a DLQ", () => {
    const violations = check((_q, stack) => {
      new SqsQueue(stack, "bare", { sqsManagedSseEnabled: true });
    });
    expect(violations.filter((v) => v.rule === "sqs-has-dlq").map((v) => v.address)).toEqual([
      "aws_sqs_queue.bare",
    ]);
  });

  it("sqs-encrypted trips on a queue with SSE turned off", () => {
    const violations = check((q) => orders(q).queue.addOverride("sqs_managed_sse_enabled", false));
    expect(violations.map((v) => v.rule)).toEqual(["sqs-encrypted"]);
  });

  it("sqs-tls-only trips when the policy has no TLS deny, or cannot be read", () => {
    const allowOnly = JSON.stringify({
      Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::111111111111:root" }, Action: "sqs:*" }],
    });
    let violations = check((q) => orders(q).queuePolicy.addOverride("policy", allowOnly));
    expect(violations.map((v) => v.rule)).toEqual(["sqs-tls-only"]);
    violations = check((q) => orders(q).queuePolicy.addOverride("policy", "not json"));
    expect(violations.map((v) => v.rule).sort()).toEqual(["sqs-no-wildcard-principal", "sqs-tls-only"]);
  });

  it("sqs-no-wildcard-principal trips on an Allow to everyone", () => {
    const violations = check((q) =>
      orders(q).queuePolicy.addOverride("policy", {
        Statement: [
          {
            Effect: "Deny",
            Principal: "*",
            Action: "sqs:*",
            Condition: { Bool: { "aws:SecureTransport": "false" } },
          },
          { Effect: "Allow", Principal: { AWS: "*" }, Action: "sqs:SendMessage" },
        ],
      }),
    );
    // An object override is synthesized as an object, not JSON text: the rule cannot read it and says so.
    expect(violations.map((v) => v.rule).sort()).toEqual(["sqs-no-wildcard-principal", "sqs-tls-only"]);

    const wildcard = JSON.stringify({
      Statement: [
        {
          Effect: "Deny",
          Principal: "*",
          Action: "sqs:*",
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
        { Effect: "Allow", Principal: "*", Action: "sqs:SendMessage" },
      ],
    });
    const text = check((q) => orders(q).queuePolicy.addOverride("policy", wildcard));
    expect(text.map((v) => v.rule)).toEqual(["sqs-no-wildcard-principal"]);
  });

  it("reads policies from aws_iam_policy_document data sources", () => {
    const violations = check((_q, stack) => {
      const queue = new SqsQueue(stack, "extra_dlq", { sqsManagedSseEnabled: true });
      const source = new SqsQueue(stack, "extra", {
        sqsManagedSseEnabled: true,
        redrivePolicy: JSON.stringify({ deadLetterTargetArn: queue.arn, maxReceiveCount: 5 }),
      });
      const doc = new DataAwsIamPolicyDocument(stack, "extra_doc", {
        statement: [
          {
            effect: "Deny",
            principals: [{ type: "*", identifiers: ["*"] }],
            actions: ["sqs:*"],
            resources: [source.arn],
            condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
          },
          {
            effect: "Allow",
            principals: [{ type: "AWS", identifiers: ["*"] }],
            actions: ["sqs:SendMessage"],
          },
        ],
      });
      new SqsQueuePolicy(stack, "extra_policy", { queueUrl: source.url, policy: doc.json });
    });
    const byAddress = violations.map((v) => `${v.rule} ${v.address}`);
    expect(byAddress).toContain("sqs-no-wildcard-principal aws_sqs_queue.extra");
    expect(byAddress).not.toContain("sqs-tls-only aws_sqs_queue.extra");
    expect(byAddress).toContain("sqs-tls-only aws_sqs_queue.extra_dlq");
    expect(byAddress).toContain("sqs-dlq-alarmed aws_sqs_queue.extra_dlq");
  });

  it("sqs-dlq-alarmed trips when a dead-letter queue's alarm has no action", () => {
    const violations = check((q) => orders(q).deadLetterAlarm.addOverride("alarm_actions", null));
    expect(violations.map((v) => v.rule)).toEqual(["sqs-dlq-alarmed"]);
    expect(violations[0]?.address).toMatch(/^aws_sqs_queue\.queues_orders_dlq/);
  });
});
