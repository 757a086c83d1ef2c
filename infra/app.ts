import { type App, Aspects, LocalBackend } from "cdktf";
import type { IConstruct } from "constructs";
import { MIN_BACKUP_RETENTION_DAYS, MIN_PROD_BACKUP_RETENTION_DAYS } from "../core/rules/database.ts";
import type { EnvironmentConfig } from "../environments/config.ts";
import { Alarms } from "../modules/alarms/alarms.ts";
import { Karpenter, karpenterNamespaceFor } from "../modules/autoscaling/karpenter.ts";
import { DatabaseBackup } from "../modules/backup/database-backup.ts";
import { CiIdentity, PLAN_WORKFLOW_PATH, REGISTRY_WORKFLOWS } from "../modules/ci-identity/ci-identity.ts";
import { CiRunner } from "../modules/ci-runner/ci-runner.ts";
import {
  Cluster,
  CONTROL_PLANE_LOG_TYPES,
  clusterNameFor,
  nodeRoleNameFor,
  REQUIRED_LOG_TYPES,
} from "../modules/cluster/cluster.ts";
import { Database } from "../modules/database/database.ts";
import { databaseAccessManifests } from "../modules/database/database-access.ts";
import { ClusterManifests } from "../modules/gitops-bootstrap/cluster-manifests.ts";
import { configureClusterProviders } from "../modules/gitops-bootstrap/cluster-providers.ts";
import { argocdNamespaceFor, GitopsBootstrap } from "../modules/gitops-bootstrap/gitops-bootstrap.ts";
import { Identity } from "../modules/identity/identity.ts";
import { EmailSender, UserPoolDomain } from "../modules/identity/identity-domain.ts";
import { Namer } from "../modules/naming/namer.ts";
import { Network } from "../modules/network/network.ts";
import { Queues } from "../modules/queues/queues.ts";
import { Registry } from "../modules/registry/registry.ts";
import { configureS3Backend, StateBackend } from "../modules/state-backend/state-backend.ts";
import { WorkloadIdentity } from "../modules/workload-identity/workload-identity.ts";
import { EnvironmentStack } from "./environment-stack.ts";
import { PermissionsBoundaryAspect } from "./permissions-boundary.ts";
import { defaultTags } from "./tags.ts";

/** The stacks of one environment, for tests and for wiring dependencies. */
export interface EnvironmentStacks {
  readonly bootstrap: EnvironmentStack;
  readonly network: EnvironmentStack;
  readonly platform: EnvironmentStack;
  readonly gitops: EnvironmentStack;
}

/**
 * Where the change-control service (webhook-service/) runs: the namespace of the `webhook` app of
 * gitops/envs/<env>/values.yaml, whose service account the chart names like the release, `<env>-webhook`.
 */
export function webhookNamespaceFor(scope: IConstruct): string {
  return Namer.of(scope).name("k8s-namespace", "webhook");
}

/** Adds every environment's stacks to the app. */
export function buildPlatform(app: App, envs: readonly EnvironmentConfig[]): Map<string, EnvironmentStacks> {
  return new Map(envs.map((env) => [env.name, buildEnvironment(app, env)]));
}

/**
 * One environment as four stacks, applied in order:
 * bootstrap (state bucket and CI roles, local state) → network → platform → gitops.
 * The gitops stack is separate because its Kubernetes and Helm providers need a cluster that
 * already exists when Terraform configures them.
 */
export function buildEnvironment(app: App, env: EnvironmentConfig): EnvironmentStacks {
  const bootstrap = new EnvironmentStack(app, env, "bootstrap");
  const state = new StateBackend(bootstrap, "state", { accountId: env.account, region: env.region });
  if (env.ci.bootstrapState === "s3") {
    // After the first apply and `terraform init -migrate-state`: its own key in the bucket it created.
    configureS3Backend(bootstrap, state.backendConfig);
  } else {
    // The very first apply: the bucket does not exist yet. Relative to the stack's folder
    // (cdktf.out/stacks/<name>), so the synthesized JSON is the same on every machine and the state
    // lands beside the repository, where .gitignore keeps it out of git.
    new LocalBackend(bootstrap, { path: `../../../${bootstrap.node.id}.tfstate` });
  }
  const ci = new CiIdentity(bootstrap, "ci", {
    repository: env.tags.repository,
    ...(env.ci.githubOidcProviderArn ? { oidcProviderArn: env.ci.githubOidcProviderArn } : {}),
    stateBucketArn: state.bucketArn,
    stateKmsKeyArn: state.kmsKeyArn,
    // Only jobs in the GitHub environment (with its required reviewers) may assume the apply role;
    // trusting the branch too would let any workflow on main apply without those reviewers.
    protectedEnvironment: env.ci.githubEnvironment,
    planSubjects: ["pull_request", `ref:refs/heads/${env.ci.protectedBranch}`],
    // Only the default branch's reusable plan workflow gets the plan role, never a PR's own workflow file.
    planWorkflowRef: `${PLAN_WORKFLOW_PATH}@refs/heads/${env.ci.protectedBranch}`,
    // Only the image build and promotion workflows on the protected branch push to the registry.
    registryWorkflows: [...REGISTRY_WORKFLOWS],
    registryBranch: env.ci.protectedBranch,
    // Karpenter launches its nodes with the node role; bounded roles may pass that one role, to EC2 only.
    passableRoleNames: [nodeRoleNameFor(bootstrap)],
    hostedZoneIds: [
      ...new Set([
        ...("hostedZoneId" in env.identity.domain ? [env.identity.domain.hostedZoneId] : []),
        ...(env.identity.email ? [env.identity.email.hostedZoneId] : []),
      ]),
    ],
    cloudFrontCertificates: "name" in env.identity.domain,
    regions: [env.region],
    ...(env.database.backup && "region" in env.database.backup.copy
      ? { backupCopyRegions: [env.database.backup.copy.region] }
      : {}),
  });

  // The apply role may only create roles that carry this boundary. A literal, like the role ARNs
  // below, because the bootstrap stack may keep local state that other stacks cannot read.
  const boundaryArn = `arn:aws:iam::${env.account}:policy/${ci.boundaryPolicyName}`;

  const network = new EnvironmentStack(app, env, "network");
  const platform = new EnvironmentStack(app, env, "platform");
  const gitops = new EnvironmentStack(app, env, "gitops");
  for (const stack of [network, platform, gitops]) {
    configureS3Backend(stack, state.backendConfig);
    stack.addDependency(bootstrap);
    Aspects.of(stack).add(new PermissionsBoundaryAspect(boundaryArn));
  }
  platform.addDependency(network);
  gitops.addDependency(platform);

  const net = new Network(network, "network", {
    cidr: env.network.cidr,
    availabilityZones: env.network.availabilityZones,
    natMode: env.network.natGateways,
    flowLogRetentionDays: env.logs.auditRetentionDays,
    clusterName: clusterNameFor(platform),
  });

  // The apply role manages the cluster, so it gets an access entry; its ARN is a literal because the
  // bootstrap stack may keep local state that other stacks cannot read.
  const applyRoleArn = `arn:aws:iam::${env.account}:role/${ci.applyRoleName}`;
  const planRoleArn = `arn:aws:iam::${env.account}:role/${ci.planRoleName}`;
  const cluster = new Cluster(platform, "cluster", {
    subnetIds: net.appSubnetIds,
    version: env.cluster.kubernetesVersion,
    supportType: env.cluster.supportType,
    adminRoleArns: [...env.cluster.adminRoleArns, applyRoleArn],
    // Planning the gitops stack refreshes Argo CD's Helm releases, whose records are secrets.
    viewerRoles: [
      { roleArn: planRoleArn, namespaces: [argocdNamespaceFor(gitops), karpenterNamespaceFor(gitops)] },
    ],
    publicAccessCidrs: env.cluster.endpointPublicAccess ? env.cluster.publicAccessCidrs : [],
    nodeGroups: env.cluster.nodeGroups.map((g) => ({
      name: g.name,
      instanceTypes: g.instanceTypes,
      amiType: g.amiType,
      capacityType: g.capacityType,
      minSize: g.minSize,
      desiredSize: g.desiredSize,
      maxSize: g.maxSize,
      diskSizeGib: g.diskSizeGiB,
    })),
    deletionProtection: env.name === "prod",
    // Audit and authenticator answer who did what; the other three types are for debugging, kept in prod.
    logTypes: env.name === "prod" ? CONTROL_PLANE_LOG_TYPES : REQUIRED_LOG_TYPES,
    logRetentionDays: env.logs.auditRetentionDays,
    containerInsightsLogRetentionDays: env.logs.retentionDays,
    // Instances and volumes an Auto Scaling group launches never get provider default tags.
    instanceTags: defaultTags(env),
  });
  // The gitops stack's providers talk to the cluster API, which CI reaches only from inside the VPC.
  new CiRunner(platform, "runner", {
    repository: env.tags.repository,
    connectionArn: env.ci.githubConnectionArn,
    vpcId: net.vpcId,
    subnetIds: net.appSubnetIds,
    clusterSecurityGroupId: cluster.clusterSecurityGroupId,
  });
  const webhookNamespace = webhookNamespaceFor(platform);
  const database = new Database(platform, "database", {
    vpcId: net.vpcId,
    dataSubnetIds: net.dataSubnetIds,
    // No allowedSecurityGroupId: the cluster security group is on every pod. Declared clients get the
    // database's access security group through a SecurityGroupPolicy (gitops stack, below).
    engineVersion: env.database.engineVersion,
    instanceClass: env.database.instanceClass,
    allocatedStorageGiB: env.database.allocatedStorageGiB,
    maxAllocatedStorageGiB: env.database.maxAllocatedStorageGiB,
    backupRetentionDays: env.database.backupRetentionDays,
    minimumBackupRetentionDays:
      env.name === "prod" ? MIN_PROD_BACKUP_RETENTION_DAYS : MIN_BACKUP_RETENTION_DAYS,
    multiAz: env.database.multiAz,
    deletionProtection: env.database.deletionProtection,
    logRetentionDays: env.logs.retentionDays,
  });
  if (env.database.backup) {
    new DatabaseBackup(platform, "backup", {
      resourceArns: [database.arn],
      retentionDays: env.database.backup.retentionDays,
      copy: env.database.backup.copy,
      copyRetentionDays: env.database.backup.copyRetentionDays,
      region: env.region,
    });
  }
  const sender = env.identity.email
    ? new EmailSender(platform, "email", {
        domain: env.identity.email.domain,
        hostedZoneId: env.identity.email.hostedZoneId,
      })
    : undefined;
  const identity = new Identity(platform, "identity", {
    ...(sender && env.identity.email
      ? { email: { fromAddress: env.identity.email.fromAddress, sesIdentityArn: sender.identityArn } }
      : {}),
    mfa: env.identity.mfa,
    tier: env.identity.tier,
    deletionProtection: env.identity.deletionProtection,
    clients: env.identity.clients,
    groups: env.identity.groups,
    tenants: (env.tenants ?? []).map((t) => ({ name: t.name, ...(t.client ? { client: t.client } : {}) })),
  });
  new UserPoolDomain(platform, "identity-domain", {
    userPoolId: identity.userPoolId,
    domain: env.identity.domain,
  });
  new Registry(platform, "registry", { repositories: env.registry.repositories });
  const alarms = new Alarms(platform, "alarms", {
    ...(env.alarms.slack ? { slack: env.alarms.slack } : {}),
    database: { instanceIdentifier: database.identifier },
    cluster: {
      clusterName: cluster.clusterName,
      minimumNodeCount: env.cluster.nodeGroups.reduce((sum, g) => sum + g.minSize, 0),
    },
  });
  // A tenant's queue is `{env}-{tenant}-{queue}`; its URL reaches the cluster secret as
  // sluice.dev/queue-{tenant}-{queue}-url. Environment queue names are one token, so they cannot clash.
  const tenantQueues = (env.tenants ?? []).flatMap((t) =>
    (t.queues ?? []).map((q) => ({ ...q, name: `${t.name}-${q.name}` })),
  );
  const queues = new Queues(platform, "queues", {
    queues: [...env.queues, ...tenantQueues],
    alarmTopicArn: alarms.topicArn,
  });
  // The change-control service: its GitHub App secrets (created empty, set out of band) and the
  // database's managed master-user secret, read by its pods through the Secrets Store CSI driver.
  const webhook = new WorkloadIdentity(platform, "webhook", {
    nameTokens: ["webhook"],
    clusterName: cluster.clusterName,
    namespace: webhookNamespace,
    serviceAccount: webhookNamespace,
    secrets: {
      github: {
        description:
          "Sluice change-control GitHub App: JSON {privateKey, webhookSecret}; set with aws secretsmanager put-secret-value (docs/service.md)",
      },
    },
    readableSecrets: [{ secretArn: database.masterSecretArn, kmsKeyArn: database.kmsKeyArn }],
  });

  // The cluster's name is known before it exists, so the gitops stack looks it up by name instead of
  // reading it from platform state; that also keeps it as a label on the Argo CD cluster secret.
  const clusterName = clusterNameFor(gitops);
  configureClusterProviders(gitops, clusterName, env.region);
  const argocd = new GitopsBootstrap(gitops, "gitops", {
    clusterName,
    repoUrl: env.gitops.repoUrl,
    targetRevision: env.gitops.targetRevision,
    argocdChartVersion: env.gitops.argoCdChartVersion,
    metadata: {
      vpcId: net.vpcId,
      region: env.region,
      databaseEndpoint: database.address,
      userPoolId: identity.userPoolId,
      roleArns: { node: cluster.nodeRoleArn, "ci-apply": applyRoleArn, webhook: webhook.roleArn },
      queueUrls: queues.urls,
      secretArns: { "webhook-github": webhook.secretArn("github"), db: database.masterSecretArn },
    },
  });
  new Karpenter(gitops, "karpenter", {
    clusterName,
    clusterEndpoint: cluster.endpoint,
    nodeSecurityGroupIds: [cluster.clusterSecurityGroupId],
    subnetIds: net.appSubnetIds,
    nodeRoleName: nodeRoleNameFor(gitops),
    alarmTopicArn: alarms.topicArn,
    maxCpu: env.cluster.autoscaling.maxCpu,
    maxMemoryGiB: env.cluster.autoscaling.maxMemoryGiB,
    capacityTypes: env.cluster.autoscaling.capacityTypes,
    controllerReplicas: env.cluster.autoscaling.controllerReplicas,
    maxPodsPerNode: 110,
    tags: defaultTags(env),
    namespace: karpenterNamespaceFor(gitops),
    // The NodePool's release record sits with Argo CD's, where the CI plan role may read it.
    manifestsNamespace: argocd.namespace,
  });
  // The change-control service keeps its deliveries, jobs and audit trail in the database.
  const databaseClients = [
    ...env.database.clients,
    { namespace: webhookNamespace, podLabels: { "app.kubernetes.io/name": webhookNamespace } },
  ];
  new ClusterManifests(gitops, "database-access", {
    nameTokens: ["db", "access"],
    namespace: argocd.namespace,
    manifests: databaseAccessManifests(env.name, databaseClients, database.accessSecurityGroupId, [
      cluster.clusterSecurityGroupId,
    ]),
    dependsOn: [argocd.argocdRelease],
  });

  return { bootstrap, network, platform, gitops };
}
