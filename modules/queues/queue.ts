import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue";
import { SqsQueuePolicy } from "@cdktf/provider-aws/lib/sqs-queue-policy";
import { SqsQueueRedriveAllowPolicy } from "@cdktf/provider-aws/lib/sqs-queue-redrive-allow-policy";
import { Token } from "cdktf";
import { Construct } from "constructs";
import { Namer, type NameTarget } from "../naming/namer.ts";

/** SQS limits (seconds). */
export const MAX_VISIBILITY_TIMEOUT = 43_200;
export const MIN_RETENTION = 60;
export const MAX_RETENTION = 1_209_600;

/** The per-queue settings; `Queues` takes a list of these. */
export interface QueueSpec {
  /** Glossary tokens joined by "-", e.g. "orders"; the queue is `{env}-orders`, its DLQ `{env}-orders-dlq`. */
  readonly name: string;

  /**
   * FIFO queue (exactly-once, ordered); its name gets `.fifo` and its dead-letter queue is FIFO too.
   * @default false
   */
  readonly fifo?: boolean;

  /**
   * FIFO only: deduplicate by a SHA-256 of the body instead of a producer-supplied id.
   * @default false
   */
  readonly contentBasedDeduplication?: boolean;

  /**
   * Seconds a received message stays hidden from other consumers (0–43200).
   * @default 30
   */
  readonly visibilityTimeoutSeconds?: number;

  /**
   * Seconds a message is kept (60–1209600).
   * @default 345600 (4 days)
   */
  readonly retentionSeconds?: number;

  /**
   * Seconds the dead-letter queue keeps a message; at least `retentionSeconds`, because a message's
   * age carries over when it moves to the DLQ.
   * @default 1209600 (14 days, the maximum)
   */
  readonly deadLetterRetentionSeconds?: number;

  /**
   * Receives before a message moves to the dead-letter queue (1–1000).
   * @default 5
   */
  readonly maxReceiveCount?: number;

  /**
   * Long-polling wait in seconds (0–20); 20 cuts the cost of empty receives.
   * @default 20
   */
  readonly receiveWaitTimeSeconds?: number;

  /**
   * IAM principal ARNs (roles, users or account roots) allowed to send. Never a wildcard.
   * Principals of the same account can also be granted through their own IAM policies.
   * @default none
   */
  readonly producerPrincipalArns?: readonly string[];

  /**
   * IAM principal ARNs allowed to receive and delete. Never a wildcard.
   * @default none
   */
  readonly consumerPrincipalArns?: readonly string[];

  /**
   * AWS service principals allowed to send (e.g. `events.amazonaws.com` for EventBridge rules), each
   * only from the source ARNs in `producerServiceSourceArns`.
   * @default none
   */
  readonly producerServicePrincipals?: readonly string[];

  /**
   * Source ARNs (`aws:SourceArn`) a service producer must act for, e.g. the EventBridge rules' ARNs.
   * Required with `producerServicePrincipals`.
   * @default none
   */
  readonly producerServiceSourceArns?: readonly string[];
}

export interface QueueProps extends QueueSpec {
  /** SNS topic ARN the "dead-letter queue holds messages" alarm notifies (see modules/alarms). */
  readonly alarmTopicArn: string;

  /**
   * Customer-managed KMS key ARN (SSE-KMS); producers then also need kms:GenerateDataKey on it.
   * @default SQS-managed encryption (SSE-SQS)
   */
  readonly kmsKeyArn?: string;
}

const NAME = /^[a-z][a-z0-9]*(-[a-z][a-z0-9]*)*$/;
const PRINCIPAL_ARN = /^arn:aws[a-z-]*:(iam::\d{12}:(root|role\/.+|user\/.+)|sts::\d{12}:assumed-role\/.+)$/;

const PRODUCER_ACTIONS = ["sqs:SendMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl"];
const CONSUMER_ACTIONS = [
  "sqs:ReceiveMessage",
  "sqs:DeleteMessage",
  "sqs:ChangeMessageVisibility",
  "sqs:GetQueueAttributes",
  "sqs:GetQueueUrl",
];

/**
 * One SQS queue with its dead-letter queue: both encrypted, both with a TLS-only policy that has no
 * wildcard principal in any Allow, and an alarm when the dead-letter queue holds a message.
 */
export class Queue extends Construct {
  readonly queueUrl: string;
  readonly queueArn: string;
  readonly queueName: string;
  readonly deadLetterQueueUrl: string;
  readonly deadLetterQueueArn: string;
  readonly deadLetterQueueName: string;
  /** The source queue resource, for `addOverride` in tests and rare escape hatches. */
  readonly queue: SqsQueue;
  readonly deadLetterQueue: SqsQueue;
  readonly queuePolicy: SqsQueuePolicy;
  readonly deadLetterAlarm: CloudwatchMetricAlarm;

  constructor(scope: Construct, id: string, props: QueueProps) {
    super(scope, id);
    const p = validate(props);
    const namer = Namer.of(this);
    const tokens = props.name.split("-");
    const target: NameTarget = p.fifo ? "sqs-fifo-queue" : "sqs-queue";
    const encryption = props.kmsKeyArn
      ? { kmsMasterKeyId: props.kmsKeyArn, kmsDataKeyReusePeriodSeconds: 300 }
      : { sqsManagedSseEnabled: true };
    const fifo = p.fifo ? { fifoQueue: true } : {};

    this.deadLetterQueue = new SqsQueue(this, "dlq", {
      name: namer.name(target, ...tokens, "dlq"),
      ...fifo,
      messageRetentionSeconds: p.deadLetterRetentionSeconds,
      visibilityTimeoutSeconds: p.visibilityTimeoutSeconds,
      receiveWaitTimeSeconds: p.receiveWaitTimeSeconds,
      ...encryption,
    });

    this.queue = new SqsQueue(this, "queue", {
      name: namer.name(target, ...tokens),
      ...fifo,
      ...(p.fifo && props.contentBasedDeduplication ? { contentBasedDeduplication: true } : {}),
      messageRetentionSeconds: p.retentionSeconds,
      visibilityTimeoutSeconds: p.visibilityTimeoutSeconds,
      receiveWaitTimeSeconds: p.receiveWaitTimeSeconds,
      redrivePolicy: JSON.stringify({
        deadLetterTargetArn: this.deadLetterQueue.arn,
        maxReceiveCount: p.maxReceiveCount,
      }),
      ...encryption,
    });

    // Only this queue may use the DLQ; a separate resource, because the DLQ cannot name its source inline
    // without a dependency cycle.
    new SqsQueueRedriveAllowPolicy(this, "dlq_redrive_allow", {
      queueUrl: this.deadLetterQueue.url,
      redriveAllowPolicy: JSON.stringify({
        redrivePermission: "byQueue",
        sourceQueueArns: [this.queue.arn],
      }),
    });

    this.queuePolicy = new SqsQueuePolicy(this, "queue_policy", {
      queueUrl: this.queue.url,
      policy: queuePolicy(
        this.queue.arn,
        props.producerPrincipalArns ?? [],
        props.consumerPrincipalArns ?? [],
        {
          services: props.producerServicePrincipals ?? [],
          sourceArns: props.producerServiceSourceArns ?? [],
        },
      ),
    });
    new SqsQueuePolicy(this, "dlq_policy", {
      queueUrl: this.deadLetterQueue.url,
      policy: queuePolicy(this.deadLetterQueue.arn, [], props.consumerPrincipalArns ?? []),
    });

    this.deadLetterAlarm = new CloudwatchMetricAlarm(this, "dlq_alarm", {
      alarmName: namer.name("generic", ...tokens, "dlq"),
      alarmDescription:
        "A message reached the dead-letter queue: a consumer failed it maxReceiveCount times.",
      namespace: "AWS/SQS",
      metricName: "ApproximateNumberOfMessagesVisible",
      dimensions: { QueueName: this.deadLetterQueue.name },
      statistic: "Maximum",
      period: 300,
      evaluationPeriods: 1,
      threshold: 0,
      comparisonOperator: "GreaterThanThreshold",
      treatMissingData: "notBreaching",
      alarmActions: [props.alarmTopicArn],
      okActions: [props.alarmTopicArn],
    });

    this.queueUrl = this.queue.url;
    this.queueArn = this.queue.arn;
    this.queueName = this.queue.name;
    this.deadLetterQueueUrl = this.deadLetterQueue.url;
    this.deadLetterQueueArn = this.deadLetterQueue.arn;
    this.deadLetterQueueName = this.deadLetterQueue.name;
  }
}

/** A queue policy: TLS only, plus explicit grants to named principals (never a wildcard). */
function queuePolicy(
  queueArn: string,
  producers: readonly string[],
  consumers: readonly string[],
  serviceProducers: { services: readonly string[]; sourceArns: readonly string[] } = {
    services: [],
    sourceArns: [],
  },
): string {
  const statements: Record<string, unknown>[] = [
    {
      Sid: "DenyInsecureTransport",
      Effect: "Deny",
      Principal: "*",
      Action: "sqs:*",
      Resource: queueArn,
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    },
  ];
  if (producers.length > 0) {
    statements.push({
      Sid: "AllowProducers",
      Effect: "Allow",
      Principal: { AWS: [...producers] },
      Action: PRODUCER_ACTIONS,
      Resource: queueArn,
    });
  }
  if (serviceProducers.services.length > 0) {
    statements.push({
      Sid: "AllowServiceProducers",
      Effect: "Allow",
      Principal: { Service: [...serviceProducers.services] },
      Action: "sqs:SendMessage",
      Resource: queueArn,
      Condition: { ArnEquals: { "aws:SourceArn": [...serviceProducers.sourceArns] } },
    });
  }
  if (consumers.length > 0) {
    statements.push({
      Sid: "AllowConsumers",
      Effect: "Allow",
      Principal: { AWS: [...consumers] },
      Action: CONSUMER_ACTIONS,
      Resource: queueArn,
    });
  }
  return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}

interface ResolvedSpec {
  readonly fifo: boolean;
  readonly visibilityTimeoutSeconds: number;
  readonly retentionSeconds: number;
  readonly deadLetterRetentionSeconds: number;
  readonly maxReceiveCount: number;
  readonly receiveWaitTimeSeconds: number;
}

function fail(name: string, prop: string, got: unknown, expected: string): never {
  throw new Error(`Queue '${name}': ${prop} must be ${expected}, got ${JSON.stringify(got)}`);
}

function integerIn(name: string, prop: string, value: number, min: number, max: number, note = ""): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    fail(name, prop, value, `an integer from ${min} to ${max}${note}`);
  }
  return value;
}

function validate(props: QueueProps): ResolvedSpec {
  const name = props.name;
  if (!NAME.test(name)) {
    throw new Error(
      `Queue: name must be lowercase glossary words joined by "-" (e.g. "orders"), got ${JSON.stringify(name)}`,
    );
  }
  for (const service of props.producerServicePrincipals ?? []) {
    if (!/^[a-z0-9.-]+\.amazonaws\.com$/.test(service))
      fail(
        name,
        "producerServicePrincipals",
        service,
        "an AWS service principal such as events.amazonaws.com",
      );
  }
  if (
    (props.producerServicePrincipals ?? []).length > 0 &&
    (props.producerServiceSourceArns ?? []).length === 0
  )
    fail(name, "producerServiceSourceArns", [], "the source ARNs service producers must act for");
  const fifo = props.fifo ?? false;
  if (props.contentBasedDeduplication && !fifo) {
    fail(name, "contentBasedDeduplication", true, "used only with fifo: true");
  }
  const retentionSeconds = integerIn(
    name,
    "retentionSeconds",
    props.retentionSeconds ?? 345_600,
    MIN_RETENTION,
    MAX_RETENTION,
  );
  const deadLetterRetentionSeconds = integerIn(
    name,
    "deadLetterRetentionSeconds",
    props.deadLetterRetentionSeconds ?? MAX_RETENTION,
    retentionSeconds,
    MAX_RETENTION,
    " (at least retentionSeconds)",
  );
  for (const [prop, arns] of [
    ["producerPrincipalArns", props.producerPrincipalArns ?? []],
    ["consumerPrincipalArns", props.consumerPrincipalArns ?? []],
  ] as const) {
    for (const arn of arns) {
      if (Token.isUnresolved(arn)) continue;
      if (arn.includes("*") || !PRINCIPAL_ARN.test(arn)) {
        fail(name, prop, arn, "IAM role, user or account-root ARNs without wildcards");
      }
    }
  }
  if (!Token.isUnresolved(props.alarmTopicArn) && !props.alarmTopicArn.startsWith("arn:")) {
    fail(name, "alarmTopicArn", props.alarmTopicArn, "an SNS topic ARN");
  }
  return {
    fifo,
    retentionSeconds,
    deadLetterRetentionSeconds,
    visibilityTimeoutSeconds: integerIn(
      name,
      "visibilityTimeoutSeconds",
      props.visibilityTimeoutSeconds ?? 30,
      0,
      MAX_VISIBILITY_TIMEOUT,
    ),
    maxReceiveCount: integerIn(name, "maxReceiveCount", props.maxReceiveCount ?? 5, 1, 1000),
    receiveWaitTimeSeconds: integerIn(
      name,
      "receiveWaitTimeSeconds",
      props.receiveWaitTimeSeconds ?? 20,
      0,
      20,
    ),
  };
}
