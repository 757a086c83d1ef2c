import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import { Token } from "cdktf";
import { Construct } from "constructs";
import { EncryptionKey } from "../kms/encryption-key.ts";
import { Namer } from "../naming/namer.ts";

const GIB = 1024 ** 3;

export interface DatabaseAlarmProps {
  /** The RDS instance identifier (`Database.identifier`), the alarms' DBInstanceIdentifier dimension. */
  readonly instanceIdentifier: string;
  /**
   * Alarm when average CPU stays above this percentage for 15 minutes (1–100).
   * @default 80
   */
  readonly cpuHighPercent?: number;
  /**
   * Alarm when free storage falls below this many GiB (> 0). Storage autoscaling grows the volume
   * before this on its own; the alarm catches the ceiling (`maxAllocatedStorageGiB`) being reached.
   * @default 2
   */
  readonly freeStorageLowGiB?: number;
}

export interface NodeAlarmProps {
  /** EKS cluster name, the Container Insights `ClusterName` dimension. */
  readonly clusterName: string;
  /** Alarm when fewer nodes than this are running: the sum of the node groups' minimum sizes (>= 1). */
  readonly minimumNodeCount: number;
}

export interface AlarmsProps {
  /**
   * Chat webhook (for example Slack or a relay) subscribed over HTTPS. Must start with `https://`.
   * Treated as a secret: pass a Terraform token (e.g. an SSM SecureString parameter's value) rather than
   * a literal, and it never appears in an error message.
   * @default no chat subscription
   */
  readonly chatWebhookUrl?: string;

  /**
   * Database alarms: CPU high and free storage low.
   * @default no database alarms
   */
  readonly database?: DatabaseAlarmProps;

  /**
   * Node-count alarm from Container Insights.
   * @default no node alarm
   */
  readonly cluster?: NodeAlarmProps;
}

/**
 * The environment's alarm topic, encrypted with a rotating KMS key that CloudWatch may use, with CloudWatch
 * alarms for the database and the cluster's nodes and an optional HTTPS chat-webhook subscription.
 *
 * Dead-letter-queue alarms live with the queues (modules/queues) and notify `topicArn`: each queue knows
 * its own DLQ, so adding a queue cannot forget its alarm, and there is exactly one alarm per DLQ.
 */
export class Alarms extends Construct {
  /** The topic every alarm notifies; pass it to `Queues` as `alarmTopicArn`. */
  readonly topicArn: string;
  readonly topicName: string;
  readonly kmsKeyArn: string;
  /** The topic resource, for `addOverride` in tests and rare escape hatches. */
  readonly topic: SnsTopic;
  /** The alarms created, by purpose: "db-cpu", "db-storage", "eks-nodes". */
  readonly alarms: Readonly<Record<string, CloudwatchMetricAlarm>>;

  constructor(scope: Construct, id: string, props: AlarmsProps = {}) {
    super(scope, id);
    const p = validate(props);
    const namer = Namer.of(this);

    const key = new EncryptionKey(this, "key", {
      description: "Alarm topic encryption",
      aliasName: namer.name("kms-alias", "alarms", "kms"),
      policyStatements: [
        {
          // Alarms publish to an encrypted topic only if CloudWatch may use its key.
          Sid: "CloudWatchPublishesToEncryptedTopic",
          Effect: "Allow",
          Principal: { Service: "cloudwatch.amazonaws.com" },
          Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
          Resource: "*",
        },
      ],
    });
    this.kmsKeyArn = key.arn;

    this.topic = new SnsTopic(this, "topic", {
      name: namer.name("sns-topic", "alarms"),
      kmsMasterKeyId: key.arn,
    });
    this.topicArn = this.topic.arn;
    this.topicName = this.topic.name;

    if (props.chatWebhookUrl !== undefined) {
      new SnsTopicSubscription(this, "chat", {
        topicArn: this.topic.arn,
        protocol: "https",
        endpoint: props.chatWebhookUrl,
        endpointAutoConfirms: false,
      });
    }

    const actions = { alarmActions: [this.topic.arn], okActions: [this.topic.arn] };
    const alarms: Record<string, CloudwatchMetricAlarm> = {};
    if (props.database && p.database) {
      const dimensions = { DBInstanceIdentifier: props.database.instanceIdentifier };
      alarms["db-cpu"] = new CloudwatchMetricAlarm(this, "db_cpu", {
        alarmName: namer.name("generic", "db", "cpu"),
        alarmDescription: `Database CPU above ${p.database.cpuHighPercent}% for 15 minutes.`,
        namespace: "AWS/RDS",
        metricName: "CPUUtilization",
        dimensions,
        statistic: "Average",
        period: 300,
        evaluationPeriods: 3,
        threshold: p.database.cpuHighPercent,
        comparisonOperator: "GreaterThanThreshold",
        treatMissingData: "missing",
        ...actions,
      });
      alarms["db-storage"] = new CloudwatchMetricAlarm(this, "db_storage", {
        alarmName: namer.name("generic", "db", "storage"),
        alarmDescription: `Database free storage below ${p.database.freeStorageLowGiB} GiB.`,
        namespace: "AWS/RDS",
        metricName: "FreeStorageSpace",
        dimensions,
        statistic: "Minimum",
        period: 300,
        evaluationPeriods: 1,
        threshold: p.database.freeStorageLowGiB * GIB,
        comparisonOperator: "LessThanThreshold",
        treatMissingData: "missing",
        ...actions,
      });
    }
    if (props.cluster) {
      // Container Insights counts nodes across all managed node groups without per-ASG metrics collection.
      // Missing data is breaching: no metric means no nodes reporting (or no Container Insights), never "fine".
      alarms["eks-nodes"] = new CloudwatchMetricAlarm(this, "eks_nodes", {
        alarmName: namer.name("generic", "eks", "nodes"),
        alarmDescription: `Fewer than ${props.cluster.minimumNodeCount} EKS nodes running.`,
        namespace: "ContainerInsights",
        metricName: "cluster_node_count",
        dimensions: { ClusterName: props.cluster.clusterName },
        statistic: "Minimum",
        period: 300,
        evaluationPeriods: 2,
        threshold: props.cluster.minimumNodeCount,
        comparisonOperator: "LessThanThreshold",
        treatMissingData: "breaching",
        ...actions,
      });
    }
    this.alarms = alarms;
  }
}

interface ResolvedProps {
  readonly database?: { readonly cpuHighPercent: number; readonly freeStorageLowGiB: number };
}

function fail(prop: string, got: unknown, expected: string): never {
  throw new Error(`Alarms: ${prop} must be ${expected}, got ${JSON.stringify(got)}`);
}

function validate(props: AlarmsProps): ResolvedProps {
  const url = props.chatWebhookUrl;
  if (url !== undefined && !Token.isUnresolved(url) && !/^https:\/\/[^\s/]+/.test(url)) {
    // The URL usually embeds a credential: say what is wrong without echoing it.
    throw new Error(
      "Alarms: chatWebhookUrl must start with https:// and name a host (value not shown; webhook URLs are secrets)",
    );
  }
  if (props.cluster) {
    const n = props.cluster.minimumNodeCount;
    if (!Number.isInteger(n) || n < 1) fail("cluster.minimumNodeCount", n, "an integer >= 1");
  }
  if (!props.database) return {};
  const cpuHighPercent = props.database.cpuHighPercent ?? 80;
  if (!(cpuHighPercent >= 1 && cpuHighPercent <= 100))
    fail("database.cpuHighPercent", cpuHighPercent, "from 1 to 100");
  const freeStorageLowGiB = props.database.freeStorageLowGiB ?? 2;
  if (!(freeStorageLowGiB > 0)) fail("database.freeStorageLowGiB", freeStorageLowGiB, "greater than 0");
  return { database: { cpuHighPercent, freeStorageLowGiB } };
}
