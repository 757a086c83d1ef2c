import { Construct } from "constructs";
import { Queue, type QueueSpec } from "./queue.ts";

export { Queue, type QueueProps, type QueueSpec } from "./queue.ts";

export interface QueuesProps {
  /** The queues, each with its own dead-letter queue. Names must be unique. */
  readonly queues: readonly QueueSpec[];

  /** SNS topic ARN every dead-letter-queue alarm notifies (the Alarms construct's topic). */
  readonly alarmTopicArn: string;

  /**
   * Customer-managed KMS key ARN for every queue.
   * @default SQS-managed encryption (SSE-SQS)
   */
  readonly kmsKeyArn?: string;
}

/** A set of queues for one environment, keyed by name. */
export class Queues extends Construct {
  /** Each queue construct, by its `name`. */
  readonly byName: Readonly<Record<string, Queue>>;
  /** Queue URLs by name, e.g. for the GitOps cluster secret. */
  readonly urls: Readonly<Record<string, string>>;
  readonly arns: Readonly<Record<string, string>>;
  /** Dead-letter queue names by source-queue name. */
  readonly deadLetterQueueNames: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: QueuesProps) {
    super(scope, id);
    const seen = new Set<string>();
    for (const spec of props.queues) {
      if (seen.has(spec.name)) {
        throw new Error(`Queues: queues[].name must be unique, got ${JSON.stringify(spec.name)} twice`);
      }
      seen.add(spec.name);
    }
    const byName: Record<string, Queue> = {};
    for (const spec of props.queues) {
      byName[spec.name] = new Queue(this, spec.name, {
        ...spec,
        alarmTopicArn: props.alarmTopicArn,
        ...(props.kmsKeyArn ? { kmsKeyArn: props.kmsKeyArn } : {}),
      });
    }
    this.byName = byName;
    const map = (pick: (q: Queue) => string) =>
      Object.fromEntries(Object.entries(byName).map(([name, q]) => [name, pick(q)]));
    this.urls = map((q) => q.queueUrl);
    this.arns = map((q) => q.queueArn);
    this.deadLetterQueueNames = map((q) => q.deadLetterQueueName);
  }
}
