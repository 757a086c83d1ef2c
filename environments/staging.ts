import type { EnvironmentConfig } from "./config.ts";
import { organisation } from "./shared.ts";

/** Staging: production's shape at a fraction of its size, for release rehearsals. */
export const staging = {
  name: "staging",
  account: "222222222222",
  region: "eu-west-1",
  tags: {
    ownerTeam: organisation.ownerTeam,
    costCentre: "CC-PLATFORM-STAGING",
    repository: organisation.repository,
  },
  network: {
    cidr: "10.20.0.0/16",
    availabilityZones: ["eu-west-1a", "eu-west-1b"],
    natGateways: "single",
  },
  logs: { retentionDays: 30, auditRetentionDays: 90 },
  cluster: {
    kubernetesVersion: organisation.kubernetesVersion,
    supportType: "STANDARD",
    endpointPublicAccess: false,
    publicAccessCidrs: [],
    adminRoleArns: ["arn:aws:iam::222222222222:role/platform-admin"],
    nodeGroups: [
      {
        name: "app",
        instanceTypes: ["t4g.large"],
        amiType: "AL2023_ARM_64_STANDARD",
        capacityType: "ON_DEMAND",
        minSize: 2,
        desiredSize: 2,
        maxSize: 4,
        diskSizeGiB: 40,
      },
    ],
    autoscaling: {
      maxCpu: 16,
      maxMemoryGiB: 64,
      capacityTypes: ["spot", "on-demand"],
      controllerReplicas: 2,
    },
  },
  database: {
    instanceClass: "db.t4g.small",
    engineVersion: organisation.postgresVersion,
    allocatedStorageGiB: 20,
    maxAllocatedStorageGiB: 100,
    multiAz: false,
    deletionProtection: true,
    backupRetentionDays: 7,
    clients: [{ namespace: "staging-orders", podLabels: { "app.kubernetes.io/name": "staging-orders" } }],
  },
  queues: [{ name: "orders" }, { name: "events", fifo: true }],
  // Onboarded with `sluice tenant add` (docs/tenants.md); each has its gitops/envs/staging/values.yaml entry.
  tenants: [],
  identity: {
    mfa: "required",
    tier: "ESSENTIALS",
    deletionProtection: true,
    clients: [
      { name: "web", confidential: false, callbackUrls: ["https://staging.app.example.com/callback"] },
      { name: "api", confidential: true, callbackUrls: ["https://staging.api.example.com/callback"] },
    ],
    groups: ["admin", "tenant"],
    // A Cognito prefix domain: unique per region, so rename it for your organisation.
    domain: { prefix: "acme-sluice-staging" },
  },
  registry: { repositories: ["orders", "webhook"] },
  // Placeholder ids: replace with your workspace and channel (see docs/infrastructure.md, "Chat notices").
  alarms: { slack: { workspaceId: "T0SLUICE01", channelId: "C0STAGING1" } },
  gitops: {
    repoUrl: organisation.gitopsRepoUrl,
    targetRevision: "main",
    argoCdChartVersion: organisation.argoCdChartVersion,
  },
  ci: {
    protectedBranch: "main",
    githubEnvironment: "staging",
    // "local" until the first apply's state is migrated into the bucket, then "s3".
    bootstrapState: "local",
    // Create and authorize it in the console first (docs/infrastructure.md, "First apply").
    githubConnectionArn:
      "arn:aws:codeconnections:eu-west-1:222222222222:connection/0d0e0f10-2222-4222-8222-222222222222",
  },
} satisfies EnvironmentConfig;
