import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { EksAccessEntry } from "@cdktf/provider-aws/lib/eks-access-entry";
import { EksAccessPolicyAssociation } from "@cdktf/provider-aws/lib/eks-access-policy-association";
import { EksAddon } from "@cdktf/provider-aws/lib/eks-addon";
import { EksCluster } from "@cdktf/provider-aws/lib/eks-cluster";
import { EksNodeGroup } from "@cdktf/provider-aws/lib/eks-node-group";
import { EksPodIdentityAssociation } from "@cdktf/provider-aws/lib/eks-pod-identity-association";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import { type ITerraformDependable, Token } from "cdktf";
import { Construct, type IConstruct } from "constructs";
import { Namer } from "../naming/namer.ts";
import { EncryptedLogGroup, EncryptedLogGroups, LOG_RETENTION_DAYS } from "../network/logs-key.ts";
import { parseCidr } from "../network/subnet-layout.ts";
import {
  ADDON_VERSION_PATTERN,
  ADDON_VERSIONS,
  AMI_TYPES,
  type AmiType,
  CORE_ADDONS,
  type CoreAddon,
  DEFAULT_KUBERNETES_VERSION,
  isArmInstanceType,
  SUPPORT_TYPES,
  SUPPORTED_KUBERNETES_VERSIONS,
  type SupportType,
} from "./versions.ts";

/** One EKS managed node group. */
export interface NodeGroupSpec {
  /** A glossary token naming the group, e.g. "app" gives the node group `{env}-app-nodes`. */
  readonly name: string;
  /**
   * EC2 instance types; must match the AMI type's architecture (Graviton types for ARM).
   * @default ["t4g.medium"]
   */
  readonly instanceTypes?: readonly string[];
  /** Fewest nodes the autoscaler keeps. */
  readonly minSize: number;
  /** Nodes at creation; the autoscaler owns it afterwards (Terraform ignores later drift). */
  readonly desiredSize: number;
  /** Most nodes the autoscaler may run. */
  readonly maxSize: number;
  /**
   * Root volume size in GiB (gp3, encrypted).
   * @default 20
   */
  readonly diskSizeGib?: number;
  /**
   * ON_DEMAND or SPOT.
   * @default "ON_DEMAND"
   */
  readonly capacityType?: "ON_DEMAND" | "SPOT";
  /**
   * EKS-optimized AMI family.
   * @default "AL2023_ARM_64_STANDARD" (Graviton)
   */
  readonly amiType?: AmiType;
  /**
   * Kubernetes labels for the nodes.
   * @default none
   */
  readonly labels?: Readonly<Record<string, string>>;
}

/** A Pod Identity association: pods using `serviceAccount` in `namespace` get `roleArn`'s credentials. */
export interface PodIdentitySpec {
  readonly namespace: string;
  readonly serviceAccount: string;
  /** Role whose trust policy allows `pods.eks.amazonaws.com` (see `podIdentityTrustPolicy`). */
  readonly roleArn: string;
}

export interface ViewerRoleSpec {
  /** IAM role ARN given read access. */
  readonly roleArn: string;
  /**
   * Namespaces the role may read (secrets included, which Helm's release records need).
   * @default the whole cluster
   */
  readonly namespaces?: readonly string[];
}

export interface ClusterProps {
  /** Private (app) subnet ids for the control plane's ENIs and the nodes; at least two AZs. */
  readonly subnetIds: readonly string[];
  /**
   * Kubernetes version; one of SUPPORTED_KUBERNETES_VERSIONS (the versions whose add-ons are pinned).
   * @default DEFAULT_KUBERNETES_VERSION
   */
  readonly version?: string;
  /**
   * What happens when `version` leaves EKS standard support: "STANDARD" lets EKS upgrade the control
   * plane (no extended-support charge), "EXTENDED" keeps the version for 12 more months at a
   * per-cluster-hour charge. Set it explicitly per environment.
   * @default "STANDARD"
   */
  readonly supportType?: SupportType;
  /** Managed node groups; at least one. */
  readonly nodeGroups: readonly NodeGroupSpec[];
  /**
   * IAM role ARNs granted cluster admin through EKS access entries (AmazonEKSClusterAdminPolicy,
   * cluster scope). Include the CI apply role: the cluster creator gets no implicit admin.
   * @default none
   */
  readonly adminRoleArns?: readonly string[];
  /**
   * Roles that may read the cluster (EKS access entries with AmazonEKSAdminViewPolicy), such as the CI
   * plan role, which must refresh the gitops stack's Helm and Kubernetes resources. Scoped to the listed
   * namespaces, or to the whole cluster when none are listed.
   * @default none
   */
  readonly viewerRoles?: readonly ViewerRoleSpec[];
  /**
   * CIDRs allowed to reach the public API endpoint. Empty keeps the endpoint private only.
   * `0.0.0.0/0` is rejected unless `allowPublicEndpointFromAnywhere` is set.
   * @default [] (no public endpoint)
   */
  readonly publicAccessCidrs?: readonly string[];
  /**
   * Escape hatch: allow the public API endpoint open to the whole internet (0.0.0.0/0).
   * Never for prod.
   * @default false
   */
  readonly allowPublicEndpointFromAnywhere?: boolean;
  /**
   * KMS key ARN for envelope encryption of Kubernetes secrets.
   * @default the rotating key this construct creates for the control-plane log group
   */
  readonly secretsKmsKeyArn?: string;
  /**
   * KMS key ARN for node root volumes.
   * @default the account's EBS key (aws/ebs)
   */
  readonly nodeVolumeKmsKeyArn?: string;
  /**
   * Days to keep control-plane logs (the audit log among them); a value CloudWatch Logs accepts.
   * @default 90
   */
  readonly logRetentionDays?: number;
  /**
   * Control-plane log types sent to CloudWatch; `audit` and `authenticator` are always required.
   * @default all five (CONTROL_PLANE_LOG_TYPES)
   */
  readonly logTypes?: readonly ControlPlaneLogType[];
  /**
   * Days to keep Container Insights logs (application, dataplane, host, performance), whose log groups
   * the CloudWatch agent would otherwise create with no expiry.
   * @default 30
   */
  readonly containerInsightsLogRetentionDays?: number;
  /**
   * Add-on versions replacing the pinned defaults for `version`.
   * @default ADDON_VERSIONS[version]
   */
  readonly addonVersions?: Readonly<Partial<Record<CoreAddon, string>>>;
  /**
   * Pod Identity associations for workloads.
   * @default none
   */
  readonly podIdentities?: readonly PodIdentitySpec[];
  /**
   * Refuse cluster deletion until this is turned off.
   * @default true
   */
  readonly deletionProtection?: boolean;
  /**
   * Tags the node groups' instances, root volumes and network interfaces carry (launch-template
   * `tag_specifications`). Provider default tags reach only resources Terraform creates, never what an
   * Auto Scaling group launches, so pass the cost tags here.
   * @default none
   */
  readonly instanceTags?: Readonly<Record<string, string>>;
  /**
   * VPC CNI prefix delegation: each ENI slot holds a /28 prefix instead of one address, so a node runs
   * up to `maxPodsPerNode` pods instead of its ENI limit (17 on a t4g.medium).
   * @default true
   */
  readonly prefixDelegation?: boolean;
  /**
   * Security groups for pods: the VPC CNI gives pods selected by a SecurityGroupPolicy their own
   * branch ENI with the listed security groups (how only declared workloads reach the database). Needs
   * Nitro instances; the cluster role gets AmazonEKSVPCResourceController.
   * @default true
   */
  readonly podSecurityGroups?: boolean;
  /**
   * Kubelet `maxPods` written into the nodes' NodeConfig when prefix delegation is on (1–250; AWS
   * recommends 110 below 30 vCPUs).
   * @default 110
   */
  readonly maxPodsPerNode?: number;
}

/** Every EKS control-plane log type. */
export const CONTROL_PLANE_LOG_TYPES = [
  "api",
  "audit",
  "authenticator",
  "controllerManager",
  "scheduler",
] as const;
export type ControlPlaneLogType = (typeof CONTROL_PLANE_LOG_TYPES)[number];
/** Who did what, and who signed in: kept in every environment. */
export const REQUIRED_LOG_TYPES: readonly ControlPlaneLogType[] = ["audit", "authenticator"];
/** The log groups Container Insights (the amazon-cloudwatch-observability add-on) writes. */
export const CONTAINER_INSIGHTS_LOGS = ["application", "dataplane", "host", "performance"] as const;
/** What launch-template `tag_specifications` tag: everything a node launch creates that bills. */
const TAGGED_AT_LAUNCH = ["instance", "volume", "network-interface"] as const;

/**
 * AL2023 user data (a MIME part nodeadm reads, merged by EKS with its own) that raises kubelet's
 * maxPods, which otherwise stays at the ENI limit computed without prefix delegation.
 */
export function maxPodsUserData(maxPods: number): string {
  const boundary = "SLUICE";
  const text = [
    "MIME-Version: 1.0",
    `Content-Type: multipart/mixed; boundary="${boundary}"`,
    "",
    `--${boundary}`,
    "Content-Type: application/node.eks.aws",
    "",
    "---",
    "apiVersion: node.eks.aws/v1alpha1",
    "kind: NodeConfig",
    "spec:",
    "  kubelet:",
    "    config:",
    `      maxPods: ${maxPods}`,
    "",
    `--${boundary}--`,
    "",
  ].join("\n");
  return Buffer.from(text, "utf8").toString("base64");
}
/**
 * The Secrets Store CSI driver's settings: secrets stay files in the pod's tmpfs volume and are never
 * copied into Kubernetes Secrets (etcd); mounted files follow rotations (RDS rotates its managed
 * master password) within two minutes.
 */
export const SECRETS_STORE_CONFIG = {
  "secrets-store-csi-driver": {
    syncSecret: { enabled: false },
    enableSecretRotation: true,
    rotationPollInterval: "2m",
  },
} as const;
/** Add-ons the nodes need to become Ready; the rest are created once nodes exist. */
const BEFORE_NODES: readonly CoreAddon[] = ["vpc-cni", "kube-proxy", "eks-pod-identity-agent"];
const ROLE_ARN_PATTERN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;
const K8S_NAME_PATTERN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** The EKS cluster name for the environment of `scope`, for constructs built before the cluster. */
export function clusterNameFor(scope: IConstruct): string {
  return Namer.of(scope).name("eks-cluster", "eks", "cluster");
}

/** The node role's name for the environment of `scope` (Karpenter's nodes share it; the boundary lets it be passed). */
export function nodeRoleNameFor(scope: IConstruct): string {
  return Namer.of(scope).name("iam-role", "eks", "node", "role");
}

/** Trust policy for a role assumed through EKS Pod Identity. */
export function podIdentityTrustPolicy(): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Service: "pods.eks.amazonaws.com" },
        Action: ["sts:AssumeRole", "sts:TagSession"],
      },
    ],
  });
}

function trust(service: string, actions: string[] = ["sts:AssumeRole"]): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: actions }],
  });
}

/**
 * An EKS cluster with secure defaults: private API endpoint (public only for listed CIDRs), all
 * control-plane log types into a KMS-encrypted log group, secrets encrypted with a rotating KMS key,
 * API authentication with explicit admin access entries, managed node groups behind launch templates
 * that require IMDSv2 (hop limit 1) and encrypt gp3 root volumes, the core add-ons at pinned versions
 * and Pod Identity (including the EBS CSI driver's role).
 */
export class Cluster extends Construct {
  readonly clusterName: string;
  readonly clusterArn: string;
  readonly endpoint: string;
  readonly certificateAuthorityData: string;
  /** The security group EKS creates for the control plane and the managed nodes. */
  readonly clusterSecurityGroupId: string;
  readonly clusterRoleArn: string;
  readonly nodeRoleArn: string;
  readonly nodeRoleName: string;
  readonly oidcIssuerUrl: string;
  readonly nodeGroupNames: string[];
  readonly secretsKmsKeyArn: string;
  readonly version: string;

  constructor(scope: Construct, id: string, props: ClusterProps) {
    super(scope, id);
    const version = props.version ?? DEFAULT_KUBERNETES_VERSION;
    const addonVersions = validateProps(props, version);
    const namer = Namer.of(this);
    const partition = new DataAwsPartition(this, "partition").partition;
    const managed = (name: string) => `arn:${partition}:iam::aws:policy/${name}`;
    const name = clusterNameFor(this);

    const logs = new EncryptedLogGroup(this, "logs", {
      // EKS writes to this fixed name; creating it first sets retention and encryption.
      logGroupName: `/aws/eks/${name}/cluster`,
      aliasName: namer.name("kms-alias", "eks", "secrets", "key"),
      retentionDays: props.logRetentionDays ?? 90,
      description: "Encrypts EKS secrets and control-plane logs",
    });
    const secretsKeyArn = props.secretsKmsKeyArn ?? logs.keyArn;

    const clusterRole = new IamRole(this, "cluster-role", {
      name: namer.name("iam-role", "eks", "cluster", "role"),
      assumeRolePolicy: trust("eks.amazonaws.com", ["sts:AssumeRole", "sts:TagSession"]),
    });
    const clusterPolicy = new IamRolePolicyAttachment(this, "cluster-policy", {
      role: clusterRole.name,
      policyArn: managed("AmazonEKSClusterPolicy"),
    });
    const podSecurityGroups = props.podSecurityGroups ?? true;
    if (podSecurityGroups) {
      // The VPC resource controller attaches trunk and branch ENIs for pods with security groups.
      new IamRolePolicyAttachment(this, "cluster-vpc-resource-policy", {
        role: clusterRole.name,
        policyArn: managed("AmazonEKSVPCResourceController"),
      });
    }
    const keyUse = new IamRolePolicy(this, "cluster-kms-policy", {
      name: namer.name("iam-policy", "eks", "kms", "policy"),
      role: clusterRole.id,
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Action: ["kms:Encrypt", "kms:Decrypt", "kms:ListGrants", "kms:DescribeKey", "kms:CreateGrant"],
            Resource: [secretsKeyArn],
          },
        ],
      }),
    });

    const publicCidrs = props.publicAccessCidrs?.length
      ? [...props.publicAccessCidrs]
      : props.allowPublicEndpointFromAnywhere
        ? ["0.0.0.0/0"]
        : [];
    const cluster = new EksCluster(this, "cluster", {
      name,
      version,
      roleArn: clusterRole.arn,
      enabledClusterLogTypes: [...(props.logTypes ?? CONTROL_PLANE_LOG_TYPES)],
      bootstrapSelfManagedAddons: false,
      deletionProtection: props.deletionProtection ?? true,
      accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: false },
      encryptionConfig: { resources: ["secrets"], provider: { keyArn: secretsKeyArn } },
      upgradePolicy: { supportType: props.supportType ?? "STANDARD" },
      vpcConfig: {
        subnetIds: [...props.subnetIds],
        endpointPrivateAccess: true,
        endpointPublicAccess: publicCidrs.length > 0,
        ...(publicCidrs.length > 0 ? { publicAccessCidrs: publicCidrs } : {}),
      },
      dependsOn: [clusterPolicy, keyUse, logs.logGroup],
    });

    for (const roleArn of props.adminRoleArns ?? []) {
      const key = Token.isUnresolved(roleArn)
        ? String((props.adminRoleArns ?? []).indexOf(roleArn))
        : roleArn.split("/").pop();
      const entry = new EksAccessEntry(this, `admin-${key}`, {
        clusterName: cluster.name,
        principalArn: roleArn,
        type: "STANDARD",
      });
      new EksAccessPolicyAssociation(this, `admin-${key}-policy`, {
        clusterName: cluster.name,
        principalArn: roleArn,
        policyArn: `arn:${partition}:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy`,
        accessScope: { type: "cluster" },
        dependsOn: [entry],
      });
    }

    (props.viewerRoles ?? []).forEach((viewer, index) => {
      const entry = new EksAccessEntry(this, `viewer-${index}`, {
        clusterName: cluster.name,
        principalArn: viewer.roleArn,
        type: "STANDARD",
      });
      const namespaces = viewer.namespaces ?? [];
      new EksAccessPolicyAssociation(this, `viewer-${index}-policy`, {
        clusterName: cluster.name,
        principalArn: viewer.roleArn,
        policyArn: `arn:${partition}:eks::aws:cluster-access-policy/AmazonEKSAdminViewPolicy`,
        accessScope:
          namespaces.length > 0 ? { type: "namespace", namespaces: [...namespaces] } : { type: "cluster" },
        dependsOn: [entry],
      });
    });

    const prefixDelegation = props.prefixDelegation ?? true;
    const maxPods = props.maxPodsPerNode ?? 110;
    const cniEnv: Record<string, string> = {};
    if (prefixDelegation)
      Object.assign(cniEnv, { ENABLE_PREFIX_DELEGATION: "true", WARM_PREFIX_TARGET: "1" });
    // "standard" mode keeps kube-proxy Services and network policies working for pods with their own SGs.
    if (podSecurityGroups)
      Object.assign(cniEnv, { ENABLE_POD_ENI: "true", POD_SECURITY_GROUP_ENFORCING_MODE: "standard" });
    const addonConfig: Partial<Record<CoreAddon, string>> = {
      ...(Object.keys(cniEnv).length > 0 ? { "vpc-cni": JSON.stringify({ env: cniEnv }) } : {}),
      "aws-secrets-store-csi-driver-provider": JSON.stringify(SECRETS_STORE_CONFIG),
    };
    const addon = (addonName: CoreAddon, dependsOn: ITerraformDependable[]) =>
      new EksAddon(this, `addon-${addonName}`, {
        clusterName: cluster.name,
        addonName,
        addonVersion: addonVersions[addonName],
        ...(addonConfig[addonName] ? { configurationValues: addonConfig[addonName] } : {}),
        resolveConflictsOnCreate: "OVERWRITE",
        resolveConflictsOnUpdate: "PRESERVE",
        dependsOn,
      });
    const earlyAddons = BEFORE_NODES.map((a) => addon(a, []));

    const nodeRole = new IamRole(this, "node-role", {
      name: nodeRoleNameFor(this),
      assumeRolePolicy: trust("ec2.amazonaws.com"),
    });
    const nodePolicies = [
      "AmazonEKSWorkerNodePolicy",
      "AmazonEKS_CNI_Policy",
      "AmazonEC2ContainerRegistryReadOnly",
    ].map(
      (policy) =>
        new IamRolePolicyAttachment(this, `node-${policy}`, {
          role: nodeRole.name,
          policyArn: managed(policy),
        }),
    );

    const nodeGroups = props.nodeGroups.map((spec) => {
      const template = new LaunchTemplate(this, `${spec.name}-launch-template`, {
        name: namer.name("generic", spec.name, "node", "group"),
        updateDefaultVersion: true,
        ...(prefixDelegation ? { userData: maxPodsUserData(maxPods) } : {}),
        ...(props.instanceTags && Object.keys(props.instanceTags).length > 0
          ? {
              tagSpecifications: TAGGED_AT_LAUNCH.map((resourceType) => ({
                resourceType,
                tags: { ...props.instanceTags },
              })),
            }
          : {}),
        metadataOptions: {
          httpEndpoint: "enabled",
          httpTokens: "required",
          httpPutResponseHopLimit: 1,
          instanceMetadataTags: "disabled",
        },
        blockDeviceMappings: [
          {
            deviceName: "/dev/xvda",
            ebs: {
              volumeSize: spec.diskSizeGib ?? 20,
              volumeType: "gp3",
              encrypted: "true",
              deleteOnTermination: "true",
              ...(props.nodeVolumeKmsKeyArn ? { kmsKeyId: props.nodeVolumeKmsKeyArn } : {}),
            },
          },
        ],
      });
      return new EksNodeGroup(this, `${spec.name}-nodes`, {
        clusterName: cluster.name,
        // A name prefix with create-before-destroy: changing the instance or capacity type replaces the
        // group, and the new one (with a new generated suffix) must run before the old one is deleted.
        nodeGroupNamePrefix: nodeGroupNamePrefix(namer.name("eks-node-group", spec.name, "nodes")),
        nodeRoleArn: nodeRole.arn,
        subnetIds: [...props.subnetIds],
        amiType: spec.amiType ?? "AL2023_ARM_64_STANDARD",
        capacityType: spec.capacityType ?? "ON_DEMAND",
        instanceTypes: [...(spec.instanceTypes ?? ["t4g.medium"])],
        scalingConfig: { minSize: spec.minSize, desiredSize: spec.desiredSize, maxSize: spec.maxSize },
        updateConfig: { maxUnavailable: 1 },
        launchTemplate: { id: template.id, version: Token.asString(template.latestVersion) },
        ...(spec.labels ? { labels: { ...spec.labels } } : {}),
        lifecycle: { createBeforeDestroy: true, ignoreChanges: ["scaling_config[0].desired_size"] },
        dependsOn: [...nodePolicies, ...earlyAddons],
      });
    });

    addon("coredns", nodeGroups);
    // No role of its own: the AWS provider fetches each secret with the mounting pod's Pod Identity.
    addon("aws-secrets-store-csi-driver-provider", [...nodeGroups, ...earlyAddons]);
    // An add-on whose controller calls AWS: its own role, reached through Pod Identity, installed once
    // the nodes and the association exist. Construct ids keep the `<id>-role/-policy/-identity` shape.
    const insightsLogs = new EncryptedLogGroups(this, "insights-logs", {
      aliasName: namer.name("kms-alias", "monitoring", "logs", "key"),
      description: "Container Insights logs",
      groups: Object.fromEntries(
        CONTAINER_INSIGHTS_LOGS.map((type) => [
          type,
          {
            name: `/aws/containerinsights/${name}/${type}`,
            retentionDays: props.containerInsightsLogRetentionDays ?? 30,
          },
        ]),
      ),
    });
    const addonWithPodIdentity = (
      addonName: CoreAddon,
      id: string,
      roleTokens: readonly string[],
      policy: string,
      serviceAccount: { namespace: string; name: string },
    ) => {
      const role = new IamRole(this, `${id}-role`, {
        name: namer.name("iam-role", ...roleTokens),
        assumeRolePolicy: podIdentityTrustPolicy(),
      });
      const attachment = new IamRolePolicyAttachment(this, `${id}-policy`, {
        role: role.name,
        policyArn: managed(policy),
      });
      const identity = new EksPodIdentityAssociation(this, `${id}-identity`, {
        clusterName: cluster.name,
        namespace: serviceAccount.namespace,
        serviceAccount: serviceAccount.name,
        roleArn: role.arn,
        dependsOn: [attachment],
      });
      addon(addonName, [
        ...nodeGroups,
        identity,
        ...(addonName === "amazon-cloudwatch-observability" ? Object.values(insightsLogs.logGroups) : []),
      ]);
    };
    addonWithPodIdentity(
      "aws-ebs-csi-driver",
      "ebs-csi",
      ["ebs", "csi", "role"],
      "service-role/AmazonEBSCSIDriverPolicy",
      {
        namespace: "kube-system",
        name: "ebs-csi-controller-sa",
      },
    );
    addonWithPodIdentity(
      "amazon-cloudwatch-observability",
      "observability",
      ["monitoring", "role"],
      "CloudWatchAgentServerPolicy",
      { namespace: "amazon-cloudwatch", name: "cloudwatch-agent" },
    );

    for (const identity of props.podIdentities ?? []) {
      new EksPodIdentityAssociation(this, `pod-identity-${identity.namespace}-${identity.serviceAccount}`, {
        clusterName: cluster.name,
        namespace: identity.namespace,
        serviceAccount: identity.serviceAccount,
        roleArn: identity.roleArn,
      });
    }

    this.clusterName = cluster.name;
    this.clusterArn = cluster.arn;
    this.endpoint = cluster.endpoint;
    this.certificateAuthorityData = cluster.certificateAuthority.get(0).data;
    this.clusterSecurityGroupId = cluster.vpcConfig.clusterSecurityGroupId;
    this.clusterRoleArn = clusterRole.arn;
    this.nodeRoleArn = nodeRole.arn;
    this.nodeRoleName = nodeRole.name;
    this.oidcIssuerUrl = cluster.identity.get(0).oidc.get(0).issuer;
    this.nodeGroupNames = nodeGroups.map((g) => g.nodeGroupName);
    this.secretsKmsKeyArn = secretsKeyArn;
    this.version = version;
  }
}

/** Terraform appends a 26-character unique suffix to a name prefix; EKS node group names are at most 63. */
const NODE_GROUP_PREFIX_MAX = 63 - 26;

function nodeGroupNamePrefix(name: string): string {
  const prefix = `${name}-`;
  if (prefix.length > NODE_GROUP_PREFIX_MAX) {
    throw new Error(
      `Cluster: node group name prefix '${prefix}' is ${prefix.length} characters; at most ${NODE_GROUP_PREFIX_MAX} fit before Terraform's unique suffix`,
    );
  }
  return prefix;
}

/** Checks props; returns the add-on versions to use. */
function validateProps(props: ClusterProps, version: string): Record<CoreAddon, string> {
  const fail = (message: string): never => {
    throw new Error(`Cluster: ${message}`);
  };
  const pinned = ADDON_VERSIONS[version];
  if (!pinned) {
    fail(
      `version must be one of ${SUPPORTED_KUBERNETES_VERSIONS.join(", ")} (versions with pinned add-ons), got '${version}'`,
    );
  }
  const addonVersions = { ...(pinned as Record<CoreAddon, string>) };
  for (const [addon, v] of Object.entries(props.addonVersions ?? {})) {
    if (!(CORE_ADDONS as readonly string[]).includes(addon)) {
      fail(`addonVersions has unknown add-on '${addon}', expected one of ${CORE_ADDONS.join(", ")}`);
    }
    if (typeof v !== "string" || !ADDON_VERSION_PATTERN.test(v)) {
      fail(`addonVersions.${addon} must be an exact version such as v1.19.5-eksbuild.1, got '${String(v)}'`);
    }
    addonVersions[addon as CoreAddon] = v as string;
  }

  if (props.supportType !== undefined && !(SUPPORT_TYPES as readonly string[]).includes(props.supportType)) {
    fail(`supportType must be one of ${SUPPORT_TYPES.join(", ")}, got '${String(props.supportType)}'`);
  }

  if (props.subnetIds.length < 2) {
    fail(`subnetIds must list subnets in at least two AZs, got ${JSON.stringify(props.subnetIds)}`);
  }

  for (const cidr of props.publicAccessCidrs ?? []) {
    if (Token.isUnresolved(cidr)) continue;
    const parsed = parseCidr(cidr);
    if (typeof parsed === "string") fail(`publicAccessCidrs entry '${cidr}' is not valid: ${parsed}`);
    if (typeof parsed !== "string" && parsed.prefix === 0 && props.allowPublicEndpointFromAnywhere !== true) {
      fail(
        `publicAccessCidrs must not contain '${cidr}' (the whole internet); list your networks, or set allowPublicEndpointFromAnywhere`,
      );
    }
  }

  for (const arn of props.adminRoleArns ?? []) {
    if (!Token.isUnresolved(arn) && !ROLE_ARN_PATTERN.test(arn)) {
      fail(`adminRoleArns entry must be an IAM role ARN (arn:aws:iam::123456789012:role/name), got '${arn}'`);
    }
  }
  (props.viewerRoles ?? []).forEach((viewer, i) => {
    if (!Token.isUnresolved(viewer.roleArn) && !ROLE_ARN_PATTERN.test(viewer.roleArn)) {
      fail(`viewerRoles[${i}].roleArn must be an IAM role ARN, got '${viewer.roleArn}'`);
    }
    if ((props.adminRoleArns ?? []).includes(viewer.roleArn)) {
      fail(
        `viewerRoles[${i}].roleArn '${viewer.roleArn}' is already an admin; EKS allows one access entry per role`,
      );
    }
  });
  if (new Set(props.adminRoleArns ?? []).size !== (props.adminRoleArns ?? []).length) {
    fail(`adminRoleArns must be distinct, got ${JSON.stringify(props.adminRoleArns)}`);
  }

  const maxPods = props.maxPodsPerNode;
  if (maxPods !== undefined && (!Number.isInteger(maxPods) || maxPods < 1 || maxPods > 250)) {
    fail(`maxPodsPerNode must be a whole number from 1 to 250, got ${maxPods}`);
  }
  for (const [key, value] of Object.entries(props.instanceTags ?? {})) {
    if (
      key === "" ||
      key.length > 128 ||
      key.startsWith("aws:") ||
      typeof value !== "string" ||
      value.length > 256
    ) {
      fail(
        `instanceTags entry '${key}' must be a tag key (1–128 characters, not aws:) with a value of ≤ 256 characters`,
      );
    }
  }

  for (const key of ["logRetentionDays", "containerInsightsLogRetentionDays"] as const) {
    const retention = props[key];
    if (retention !== undefined && !(LOG_RETENTION_DAYS as readonly number[]).includes(retention)) {
      fail(`${key} must be one of ${LOG_RETENTION_DAYS.join(", ")}, got ${retention}`);
    }
  }
  const logTypes = props.logTypes ?? CONTROL_PLANE_LOG_TYPES;
  for (const t of logTypes) {
    if (!(CONTROL_PLANE_LOG_TYPES as readonly string[]).includes(t)) {
      fail(`logTypes entry '${t}' is not one of ${CONTROL_PLANE_LOG_TYPES.join(", ")}`);
    }
  }
  const missingLogTypes = REQUIRED_LOG_TYPES.filter((t) => !logTypes.includes(t));
  if (missingLogTypes.length > 0) {
    fail(`logTypes must include ${REQUIRED_LOG_TYPES.join(" and ")}, missing ${missingLogTypes.join(", ")}`);
  }

  if (props.nodeGroups.length === 0) fail("nodeGroups must hold at least one node group, got []");
  const seen = new Set<string>();
  for (const [i, g] of props.nodeGroups.entries()) {
    const at = `nodeGroups[${i}]`;
    if (!/^[a-z]+$/.test(g.name))
      fail(`${at}.name must be one lowercase glossary word such as "app", got '${g.name}'`);
    if (seen.has(g.name)) fail(`${at}.name '${g.name}' is used by another node group`);
    seen.add(g.name);
    for (const key of ["minSize", "desiredSize", "maxSize"] as const) {
      if (!Number.isInteger(g[key]) || g[key] < 0)
        fail(`${at}.${key} must be a whole number >= 0, got ${g[key]}`);
    }
    if (g.maxSize < 1) fail(`${at}.maxSize must be >= 1, got ${g.maxSize}`);
    if (!(g.minSize <= g.desiredSize && g.desiredSize <= g.maxSize)) {
      fail(
        `${at} needs minSize <= desiredSize <= maxSize, got ${g.minSize} / ${g.desiredSize} / ${g.maxSize}`,
      );
    }
    const disk = g.diskSizeGib ?? 20;
    if (!Number.isInteger(disk) || disk < 20 || disk > 1000) {
      fail(`${at}.diskSizeGib must be a whole number from 20 to 1000, got ${disk}`);
    }
    if (g.capacityType !== undefined && g.capacityType !== "ON_DEMAND" && g.capacityType !== "SPOT") {
      fail(`${at}.capacityType must be "ON_DEMAND" or "SPOT", got '${String(g.capacityType)}'`);
    }
    const ami = g.amiType ?? "AL2023_ARM_64_STANDARD";
    if (!(AMI_TYPES as readonly string[]).includes(ami)) {
      fail(`${at}.amiType must be one of ${AMI_TYPES.join(", ")}, got '${ami}'`);
    }
    const types = g.instanceTypes ?? ["t4g.medium"];
    if (types.length === 0) fail(`${at}.instanceTypes must list at least one instance type, got []`);
    const arm = ami.includes("ARM");
    for (const t of types) {
      if (Token.isUnresolved(t)) continue;
      if (!/^[a-z][a-z0-9-]*\.[a-z0-9]+$/.test(t))
        fail(`${at}.instanceTypes entry '${t}' is not an instance type`);
      if (isArmInstanceType(t) !== arm) {
        fail(
          `${at}.instanceTypes entry '${t}' is ${arm ? "not " : ""}a Graviton (arm64) type but amiType is '${ami}'`,
        );
      }
    }
  }

  for (const [i, p] of (props.podIdentities ?? []).entries()) {
    for (const key of ["namespace", "serviceAccount"] as const) {
      if (!Token.isUnresolved(p[key]) && !K8S_NAME_PATTERN.test(p[key])) {
        fail(
          `podIdentities[${i}].${key} must be a Kubernetes name (lowercase, digits, '-'), got '${p[key]}'`,
        );
      }
    }
  }
  return addonVersions;
}
