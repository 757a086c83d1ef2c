import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { DataAwsRegion } from "@cdktf/provider-aws/lib/data-aws-region";
import { EksPodIdentityAssociation } from "@cdktf/provider-aws/lib/eks-pod-identity-association";
import { IamInstanceProfile } from "@cdktf/provider-aws/lib/iam-instance-profile";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { Release } from "@cdktf/provider-helm/lib/release";
import { Construct, type IConstruct } from "constructs";
import { podIdentityTrustPolicy } from "../cluster/cluster.ts";
import { ClusterManifests, type KubernetesManifest } from "../gitops-bootstrap/cluster-manifests.ts";
import { Namer } from "../naming/namer.ts";
import { Queue } from "../queues/queue.ts";

/** Where AWS publishes the Karpenter chart (OCI). */
export const KARPENTER_CHART_REPOSITORY = "oci://public.ecr.aws/karpenter";
/**
 * Pinned Karpenter chart (and controller) version. Chosen without registry access: confirm with
 * `helm show chart oci://public.ecr.aws/karpenter/karpenter --version <v>` before the first apply.
 */
export const DEFAULT_KARPENTER_CHART_VERSION = "1.8.1";
/** The service account the chart creates for the controller (Pod Identity binds the role to it). */
export const KARPENTER_SERVICE_ACCOUNT = "karpenter";

export type CapacityType = "spot" | "on-demand";

/** The namespace Karpenter runs in for the environment of `scope` (the CI plan role may read it). */
export function karpenterNamespaceFor(scope: IConstruct): string {
  return Namer.of(scope).name("k8s-namespace", "karpenter");
}

export interface KarpenterProps {
  /** EKS cluster name. */
  readonly clusterName: string;
  /** The cluster's API endpoint (https://…). */
  readonly clusterEndpoint: string;
  /** Security group the nodes join (the cluster security group). */
  readonly nodeSecurityGroupIds: readonly string[];
  /** Private subnets nodes launch in. */
  readonly subnetIds: readonly string[];
  /** Name of the existing node role (the managed node groups' role, which already has an access entry). */
  readonly nodeRoleName: string;
  /** SNS topic the interruption queue's dead-letter alarm notifies. */
  readonly alarmTopicArn: string;
  /** Most vCPUs all Karpenter nodes together may have (NodePool `limits.cpu`). */
  readonly maxCpu: number;
  /** Most memory all Karpenter nodes together may have, in GiB (NodePool `limits.memory`). */
  readonly maxMemoryGiB: number;
  /**
   * Capacity types Karpenter may buy.
   * @default ["on-demand"]
   */
  readonly capacityTypes?: readonly CapacityType[];
  /**
   * CPU architectures of Karpenter nodes.
   * @default ["arm64"] (Graviton)
   */
  readonly architectures?: readonly ("arm64" | "amd64")[];
  /**
   * Root volume size of Karpenter nodes, GiB (gp3, encrypted).
   * @default 30
   */
  readonly diskSizeGiB?: number;
  /**
   * Kubelet maxPods (the VPC CNI runs with prefix delegation).
   * @default 110
   */
  readonly maxPodsPerNode?: number;
  /**
   * Controller replicas; two spread over nodes survive a node loss.
   * @default 2
   */
  readonly controllerReplicas?: number;
  /**
   * Tags on everything Karpenter launches (cost tags: provider default tags never reach it).
   * @default none
   */
  readonly tags?: Readonly<Record<string, string>>;
  /**
   * Exact chart version.
   * @default DEFAULT_KARPENTER_CHART_VERSION
   */
  readonly chartVersion?: string;
  /** Namespace of the controller (and of its Helm release record, which the CI plan role must be able to read). */
  readonly namespace: string;
  /**
   * Namespace the NodePool release's record lives in.
   * @default `namespace`
   */
  readonly manifestsNamespace?: string;
}

const EVENTS: readonly { id: string; tokens: string[]; pattern: Record<string, unknown> }[] = [
  {
    id: "health",
    tokens: ["health"],
    pattern: { source: ["aws.health"], "detail-type": ["AWS Health Event"] },
  },
  {
    id: "spot",
    tokens: ["spot", "interruption"],
    pattern: { source: ["aws.ec2"], "detail-type": ["EC2 Spot Instance Interruption Warning"] },
  },
  {
    id: "rebalance",
    tokens: ["rebalance"],
    pattern: { source: ["aws.ec2"], "detail-type": ["EC2 Instance Rebalance Recommendation"] },
  },
  {
    id: "instance",
    tokens: ["instance"],
    pattern: { source: ["aws.ec2"], "detail-type": ["EC2 Instance State-change Notification"] },
  },
];

/**
 * Karpenter, the node autoscaler, for one cluster: its controller role through EKS Pod Identity (no
 * OIDC provider), an interruption queue fed by EventBridge (spot interruptions, rebalance
 * recommendations, health events, instance state changes) with a dead-letter queue and alarm, an
 * instance profile for the existing node role, the chart at a pinned version, and one NodePool and
 * EC2NodeClass whose limits cap what it may launch (IMDSv2, encrypted gp3, cost tags).
 */
export class Karpenter extends Construct {
  readonly roleArn: string;
  readonly queueName: string;
  readonly release: Release;
  readonly nodePool: KubernetesManifest;
  readonly nodeClass: KubernetesManifest;

  constructor(scope: Construct, id: string, props: KarpenterProps) {
    super(scope, id);
    validate(props);
    const namer = Namer.of(this);
    const partition = new DataAwsPartition(this, "partition").partition;
    const account = new DataAwsCallerIdentity(this, "account").accountId;
    const region = new DataAwsRegion(this, "region").region;
    const arn = (service: string, resource: string, inRegion = region) =>
      `arn:${partition}:${service}:${inRegion}:${account}:${resource}`;
    const clusterTag = `aws:ResourceTag/kubernetes.io/cluster/${props.clusterName}`;
    const requestTag = `aws:RequestTag/kubernetes.io/cluster/${props.clusterName}`;

    const ruleArns = EVENTS.map((e) =>
      arn("events", `rule/${namer.name("generic", "karpenter", ...e.tokens)}`),
    );
    const queue = new Queue(this, "queue", {
      name: "karpenter-interruption",
      alarmTopicArn: props.alarmTopicArn,
      // Interruption notices are useless after the two-minute warning they announce.
      retentionSeconds: 300,
      producerServicePrincipals: ["events.amazonaws.com"],
      producerServiceSourceArns: ruleArns,
    });
    EVENTS.forEach((event) => {
      const rule = new CloudwatchEventRule(this, `${event.id}-rule`, {
        name: namer.name("generic", "karpenter", ...event.tokens),
        description: `Karpenter interruption handling: ${(event.pattern["detail-type"] as string[])[0]}`,
        eventPattern: JSON.stringify(event.pattern),
      });
      new CloudwatchEventTarget(this, `${event.id}-target`, { rule: rule.name, arn: queue.queueArn });
    });

    const nodeRoleArn = `arn:${partition}:iam::${account}:role/${props.nodeRoleName}`;
    const profile = new IamInstanceProfile(this, "node-profile", {
      name: namer.name("generic", "karpenter", "node", "profile"),
      role: props.nodeRoleName,
    });

    const role = new IamRole(this, "role", {
      name: namer.name("iam-role", "karpenter", "role"),
      assumeRolePolicy: podIdentityTrustPolicy(),
    });
    const ownedResources = [
      "fleet",
      "instance",
      "volume",
      "network-interface",
      "launch-template",
      "spot-instances-request",
    ].map((type) => arn("ec2", `${type}/*`));
    new IamRolePolicy(this, "policy", {
      name: namer.name("iam-policy", "karpenter", "policy"),
      role: role.id,
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "LaunchFromSharedResources",
            Effect: "Allow",
            Action: ["ec2:RunInstances", "ec2:CreateFleet"],
            Resource: [
              `arn:${partition}:ec2:${region}::image/*`,
              `arn:${partition}:ec2:${region}::snapshot/*`,
              arn("ec2", "security-group/*"),
              arn("ec2", "subnet/*"),
              arn("ec2", "capacity-reservation/*"),
            ],
          },
          {
            Sid: "LaunchWithOwnLaunchTemplates",
            Effect: "Allow",
            Action: ["ec2:RunInstances", "ec2:CreateFleet"],
            Resource: arn("ec2", "launch-template/*"),
            Condition: { StringEquals: { [clusterTag]: "owned" } },
          },
          {
            Sid: "CreateOnlyClusterTaggedResources",
            Effect: "Allow",
            Action: ["ec2:RunInstances", "ec2:CreateFleet", "ec2:CreateLaunchTemplate"],
            Resource: ownedResources,
            Condition: { StringEquals: { [requestTag]: "owned" } },
          },
          {
            Sid: "TagWhatItCreates",
            Effect: "Allow",
            Action: "ec2:CreateTags",
            Resource: ownedResources,
            Condition: {
              StringEquals: {
                [requestTag]: "owned",
                "ec2:CreateAction": ["RunInstances", "CreateFleet", "CreateLaunchTemplate"],
              },
            },
          },
          {
            Sid: "TagAndDeleteOwnedResources",
            Effect: "Allow",
            Action: ["ec2:CreateTags", "ec2:TerminateInstances", "ec2:DeleteLaunchTemplate"],
            Resource: [arn("ec2", "instance/*"), arn("ec2", "launch-template/*")],
            Condition: { StringEquals: { [clusterTag]: "owned" } },
          },
          {
            Sid: "ReadEc2",
            Effect: "Allow",
            Action: [
              "ec2:DescribeAvailabilityZones",
              "ec2:DescribeCapacityReservations",
              "ec2:DescribeImages",
              "ec2:DescribeInstances",
              "ec2:DescribeInstanceTypeOfferings",
              "ec2:DescribeInstanceTypes",
              "ec2:DescribeLaunchTemplates",
              "ec2:DescribeSecurityGroups",
              "ec2:DescribeSpotPriceHistory",
              "ec2:DescribeSubnets",
            ],
            Resource: "*",
            Condition: { StringEquals: { "aws:RequestedRegion": region } },
          },
          {
            Sid: "ReadAmiParameters",
            Effect: "Allow",
            Action: "ssm:GetParameter",
            Resource: `arn:${partition}:ssm:${region}::parameter/aws/service/*`,
          },
          { Sid: "ReadPrices", Effect: "Allow", Action: "pricing:GetProducts", Resource: "*" },
          {
            Sid: "ConsumeInterruptionQueue",
            Effect: "Allow",
            Action: ["sqs:DeleteMessage", "sqs:GetQueueUrl", "sqs:ReceiveMessage"],
            Resource: queue.queueArn,
          },
          {
            Sid: "PassOnlyTheNodeRoleToEc2",
            Effect: "Allow",
            Action: "iam:PassRole",
            Resource: nodeRoleArn,
            Condition: { StringEquals: { "iam:PassedToService": "ec2.amazonaws.com" } },
          },
          {
            Sid: "ReadInstanceProfile",
            Effect: "Allow",
            Action: "iam:GetInstanceProfile",
            Resource: profile.arn,
          },
          {
            Sid: "DiscoverClusterEndpoint",
            Effect: "Allow",
            Action: "eks:DescribeCluster",
            Resource: arn("eks", `cluster/${props.clusterName}`),
          },
        ],
      }),
    });
    const identity = new EksPodIdentityAssociation(this, "identity", {
      clusterName: props.clusterName,
      namespace: props.namespace,
      serviceAccount: KARPENTER_SERVICE_ACCOUNT,
      roleArn: role.arn,
    });

    this.release = new Release(this, "release", {
      name: namer.name("helm-release", "karpenter"),
      namespace: props.namespace,
      createNamespace: true,
      repository: KARPENTER_CHART_REPOSITORY,
      chart: "karpenter",
      version: props.chartVersion ?? DEFAULT_KARPENTER_CHART_VERSION,
      atomic: true,
      cleanupOnFail: true,
      timeout: 600,
      values: [
        JSON.stringify({
          replicas: props.controllerReplicas ?? 2,
          serviceAccount: { name: KARPENTER_SERVICE_ACCOUNT },
          settings: {
            clusterName: props.clusterName,
            clusterEndpoint: props.clusterEndpoint,
            interruptionQueue: queue.queueName,
          },
          controller: {
            resources: { requests: { cpu: "250m", memory: "512Mi" }, limits: { memory: "1Gi" } },
          },
        }),
      ],
      dependsOn: [identity],
    });

    const nodeClassName = "default";
    this.nodeClass = {
      apiVersion: "karpenter.k8s.aws/v1",
      kind: "EC2NodeClass",
      metadata: { name: nodeClassName },
      spec: {
        // The latest EKS-optimized AL2023 AMI; pin a version (al2023@v<date>) to roll AMIs on your own schedule.
        amiSelectorTerms: [{ alias: "al2023@latest" }],
        instanceProfile: profile.name,
        subnetSelectorTerms: props.subnetIds.map((subnet) => ({ id: subnet })),
        securityGroupSelectorTerms: props.nodeSecurityGroupIds.map((group) => ({ id: group })),
        metadataOptions: {
          httpEndpoint: "enabled",
          httpTokens: "required",
          httpPutResponseHopLimit: 1,
          httpProtocolIPv6: "disabled",
        },
        blockDeviceMappings: [
          {
            deviceName: "/dev/xvda",
            ebs: {
              volumeSize: `${props.diskSizeGiB ?? 30}Gi`,
              volumeType: "gp3",
              encrypted: true,
              deleteOnTermination: true,
            },
          },
        ],
        kubelet: { maxPods: props.maxPodsPerNode ?? 110 },
        tags: { ...(props.tags ?? {}) },
      },
    };
    this.nodePool = {
      apiVersion: "karpenter.sh/v1",
      kind: "NodePool",
      metadata: { name: "default" },
      spec: {
        template: {
          spec: {
            nodeClassRef: { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: nodeClassName },
            requirements: [
              { key: "kubernetes.io/arch", operator: "In", values: [...(props.architectures ?? ["arm64"])] },
              {
                key: "karpenter.sh/capacity-type",
                operator: "In",
                values: [...(props.capacityTypes ?? ["on-demand"])],
              },
              { key: "karpenter.k8s.aws/instance-category", operator: "In", values: ["c", "m", "r", "t"] },
              { key: "karpenter.k8s.aws/instance-generation", operator: "Gt", values: ["5"] },
            ],
            expireAfter: "720h",
          },
        },
        limits: { cpu: String(props.maxCpu), memory: `${props.maxMemoryGiB}Gi` },
        disruption: { consolidationPolicy: "WhenEmptyOrUnderutilized", consolidateAfter: "1m" },
      },
    };
    new ClusterManifests(this, "node-pool", {
      nameTokens: ["karpenter", "nodes"],
      namespace: props.manifestsNamespace ?? props.namespace,
      manifests: [this.nodeClass, this.nodePool],
      dependsOn: [this.release],
    });

    this.roleArn = role.arn;
    this.queueName = queue.queueName;
  }
}

function validate(props: KarpenterProps): void {
  const fail = (prop: string, value: unknown, expected: string): never => {
    throw new Error(`Karpenter: ${prop} must be ${expected}, got ${JSON.stringify(value)}`);
  };
  if (!Number.isInteger(props.maxCpu) || props.maxCpu < 1)
    fail("maxCpu", props.maxCpu, "a whole number of vCPUs >= 1");
  if (!Number.isInteger(props.maxMemoryGiB) || props.maxMemoryGiB < 1)
    fail("maxMemoryGiB", props.maxMemoryGiB, "a whole number of GiB >= 1");
  if (props.capacityTypes !== undefined && props.capacityTypes.length === 0)
    fail("capacityTypes", props.capacityTypes, 'at least one of "spot", "on-demand"');
  if (props.subnetIds.length === 0) fail("subnetIds", props.subnetIds, "at least one subnet");
  if (props.nodeSecurityGroupIds.length === 0)
    fail("nodeSecurityGroupIds", props.nodeSecurityGroupIds, "at least one security group");
  if (props.chartVersion !== undefined && !/^\d+\.\d+\.\d+$/.test(props.chartVersion))
    fail("chartVersion", props.chartVersion, "an exact chart version such as 1.8.1");
  const replicas = props.controllerReplicas;
  if (replicas !== undefined && (!Number.isInteger(replicas) || replicas < 1))
    fail("controllerReplicas", replicas, "a whole number >= 1");
}
