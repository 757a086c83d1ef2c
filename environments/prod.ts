import type { EnvironmentConfig } from "./config.ts";
import { organisation } from "./shared.ts";

/** Production: three AZs with a NAT each, Multi-AZ database, every deletion protection on. */
export const prod = {
  name: "prod",
  account: "333333333333",
  region: "eu-west-1",
  tags: {
    ownerTeam: organisation.ownerTeam,
    costCentre: "CC-PLATFORM-PROD",
    repository: organisation.repository,
  },
  network: {
    cidr: "10.30.0.0/16",
    availabilityZones: ["eu-west-1a", "eu-west-1b", "eu-west-1c"],
    natGateways: "per-az",
  },
  logs: { retentionDays: 90, auditRetentionDays: 365 },
  cluster: {
    kubernetesVersion: organisation.kubernetesVersion,
    supportType: "STANDARD",
    endpointPublicAccess: false,
    publicAccessCidrs: [],
    adminRoleArns: ["arn:aws:iam::333333333333:role/platform-admin"],
    nodeGroups: [
      {
        name: "app",
        instanceTypes: ["m7g.large", "m6g.large"],
        amiType: "AL2023_ARM_64_STANDARD",
        capacityType: "ON_DEMAND",
        minSize: 3,
        desiredSize: 3,
        maxSize: 10,
        diskSizeGiB: 50,
      },
    ],
    autoscaling: { maxCpu: 64, maxMemoryGiB: 256, capacityTypes: ["on-demand"], controllerReplicas: 2 },
  },
  database: {
    instanceClass: "db.m7g.large",
    engineVersion: organisation.postgresVersion,
    allocatedStorageGiB: 100,
    maxAllocatedStorageGiB: 500,
    multiAz: true,
    deletionProtection: true,
    backupRetentionDays: 14,
    clients: [{ namespace: "prod-orders", podLabels: { "app.kubernetes.io/name": "prod-orders" } }],
    // A copy in another region survives losing eu-west-1; a vaultArn of a backup account would survive losing this account.
    backup: { retentionDays: 35, copyRetentionDays: 35, copy: { region: "eu-central-1" } },
  },
  queues: [{ name: "orders" }, { name: "events", fifo: true }],
  // Onboarded with `sluice tenant add` (docs/tenants.md); each has its gitops/envs/prod/values.yaml entry.
  tenants: [],
  identity: {
    mfa: "required",
    tier: "PLUS",
    deletionProtection: true,
    clients: [
      { name: "web", confidential: false, callbackUrls: ["https://app.example.com/callback"] },
      { name: "api", confidential: true, callbackUrls: ["https://api.example.com/callback"] },
    ],
    groups: ["admin", "tenant"],
    // Placeholders: your sign-in host, mail domain and their Route 53 zone.
    domain: { name: "auth.example.com", hostedZoneId: "Z0EXAMPLE0PROD" },
    email: { fromAddress: "no-reply@example.com", domain: "example.com", hostedZoneId: "Z0EXAMPLE0PROD" },
  },
  registry: { repositories: ["orders", "webhook"] },
  // Placeholder ids: replace with your workspace and channel (see docs/infrastructure.md, "Chat notices").
  alarms: { slack: { workspaceId: "T0SLUICE01", channelId: "C0PRODALRM" } },
  gitops: {
    repoUrl: organisation.gitopsRepoUrl,
    targetRevision: "main",
    argoCdChartVersion: organisation.argoCdChartVersion,
  },
  ci: {
    protectedBranch: "main",
    githubEnvironment: "prod",
    // "local" until the first apply's state is migrated into the bucket, then "s3".
    bootstrapState: "local",
    // Create and authorize it in the console first (docs/infrastructure.md, "First apply").
    githubConnectionArn:
      "arn:aws:codeconnections:eu-west-1:333333333333:connection/0d0e0f10-3333-4333-8333-333333333333",
  },
} satisfies EnvironmentConfig;
