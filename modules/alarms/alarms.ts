import { ChatbotSlackChannelConfiguration } from "@cdktf/provider-aws/lib/chatbot-slack-channel-configuration";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
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

/** A Slack channel that AWS Chatbot posts the alarm topic's notifications to. */
export interface SlackChannelProps {
  /**
   * Slack workspace (team) id, e.g. `T0123ABCD`. The workspace must first be authorised for AWS
   * Chatbot once, in the Chatbot console (an OAuth step Terraform cannot do).
   */
  readonly workspaceId: string;
  /** Slack channel id, e.g. `C0123ABCD` (channel details → bottom of the About tab). */
  readonly channelId: string;
  /**
   * Managed policies capping what anyone in the channel may do through Chatbot, whatever its role
   * allows. AdministratorAccess (Chatbot's own default) is refused.
   * @default ["arn:<partition>:iam::aws:policy/ReadOnlyAccess"]
   */
  readonly guardrailPolicyArns?: readonly string[];
}

/** Slack workspace ids start with T, channel ids with C (public) or G (private); upper case and digits. */
export const SLACK_WORKSPACE_ID = /^T[A-Z0-9]{6,}$/;
export const SLACK_CHANNEL_ID = /^[CG][A-Z0-9]{6,}$/;

export interface AlarmsProps {
  /**
   * Slack channel notified through AWS Chatbot. (An SNS https subscription straight to a Slack incoming
   * webhook never confirms, so alarms would never arrive.)
   * @default no chat notifications
   */
  readonly slack?: SlackChannelProps;

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
 * alarms for the database and the cluster's nodes and, optionally, an AWS Chatbot Slack channel on the topic
 * (read-only guardrail, user authorisation required).
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

    if (props.slack) {
      const partition = new DataAwsPartition(this, "partition").partition;
      const readOnly = `arn:${partition}:iam::aws:policy/ReadOnlyAccess`;
      // Chatbot's role reads the alarm's metrics for the chart it posts; nothing more.
      const role = new IamRole(this, "chat-role", {
        name: namer.name("iam-role", "alarms", "chat", "role"),
        assumeRolePolicy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            { Effect: "Allow", Principal: { Service: "chatbot.amazonaws.com" }, Action: "sts:AssumeRole" },
          ],
        }),
      });
      new IamRolePolicyAttachment(this, "chat-role-policy", {
        role: role.name,
        policyArn: `arn:${partition}:iam::aws:policy/CloudWatchReadOnlyAccess`,
      });
      new ChatbotSlackChannelConfiguration(this, "chat", {
        configurationName: namer.name("generic", "alarms", "chat"),
        slackTeamId: props.slack.workspaceId,
        slackChannelId: props.slack.channelId,
        iamRoleArn: role.arn,
        snsTopicArns: [this.topic.arn],
        guardrailPolicyArns: [...(props.slack.guardrailPolicyArns ?? [readOnly])],
        userAuthorizationRequired: true,
        loggingLevel: "ERROR",
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
  if (props.slack) {
    const { workspaceId, channelId, guardrailPolicyArns } = props.slack;
    if (!SLACK_WORKSPACE_ID.test(workspaceId))
      fail("slack.workspaceId", workspaceId, "a Slack workspace id such as T0123ABCD");
    if (!SLACK_CHANNEL_ID.test(channelId))
      fail("slack.channelId", channelId, "a Slack channel id such as C0123ABCD");
    if (guardrailPolicyArns !== undefined) {
      if (guardrailPolicyArns.length === 0)
        fail("slack.guardrailPolicyArns", guardrailPolicyArns, "at least one policy ARN");
      for (const arn of guardrailPolicyArns)
        if (/:policy\/(AdministratorAccess|PowerUserAccess|IAMFullAccess)$/.test(arn))
          fail("slack.guardrailPolicyArns", arn, "a policy narrower than administrator access");
    }
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
