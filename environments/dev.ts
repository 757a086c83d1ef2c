import type { EnvironmentConfig } from "./config.ts";
import { organisation } from "./shared.ts";

/** Development: cheapest shape that still runs the whole platform. One NAT, small Graviton nodes, single-AZ database. */
export const dev = {
  name: "dev",
  account: "111111111111",
  region: "eu-west-1",
  tags: {
    ownerTeam: organisation.ownerTeam,
    costCentre: "CC-PLATFORM-DEV",
    repository: organisation.repository,
  },
  network: {
    cidr: "10.10.0.0/16",
    availabilityZones: ["eu-west-1a", "eu-west-1b"],
    natGateways: "single",
  },
  logs: { retentionDays: 14, auditRetentionDays: 30 },
  cluster: {
    kubernetesVersion: organisation.kubernetesVersion,
    supportType: "STANDARD",
    endpointPublicAccess: true,
    // Office egress range (documentation range here); never 0.0.0.0/0.
    publicAccessCidrs: ["203.0.113.0/24"],
    adminRoleArns: ["arn:aws:iam::111111111111:role/platform-admin"],
    nodeGroups: [
      {
        name: "app",
        instanceTypes: ["t4g.medium"],
        amiType: "AL2023_ARM_64_STANDARD",
        capacityType: "SPOT",
        minSize: 1,
        desiredSize: 2,
        maxSize: 3,
        diskSizeGiB: 30,
      },
    ],
    autoscaling: { maxCpu: 8, maxMemoryGiB: 32, capacityTypes: ["spot"], controllerReplicas: 1 },
  },
  database: {
    instanceClass: "db.t4g.micro",
    engineVersion: organisation.postgresVersion,
    allocatedStorageGiB: 20,
    maxAllocatedStorageGiB: 50,
    multiAz: false,
    deletionProtection: false,
    backupRetentionDays: 7,
    clients: [{ namespace: "dev-orders", podLabels: { "app.kubernetes.io/name": "dev-orders" } }],
  },
  queues: [{ name: "orders" }, { name: "events", fifo: true }],
  // Onboarded with `sluice tenant add` (docs/tenants.md); each has its gitops/envs/dev/values.yaml entry.
  tenants: [
    { name: "acme", team: "example-org/acme-devs", queues: [{ name: "orders" }] },
    { name: "globex", team: "example-org/globex-devs" },
  ],
  identity: {
    mfa: "optional",
    tier: "ESSENTIALS",
    deletionProtection: false,
    clients: [
      {
        name: "web",
        confidential: false,
        callbackUrls: ["https://dev.app.example.com/callback", "http://localhost:3000/callback"],
      },
      { name: "api", confidential: true, callbackUrls: ["https://dev.api.example.com/callback"] },
    ],
    groups: ["admin", "tenant"],
    // A Cognito prefix domain: unique per region, so rename it for your organisation.
    domain: { prefix: "acme-sluice-dev" },
  },
  registry: { repositories: ["orders", "webhook"] },
  alarms: {},
  gitops: {
    repoUrl: organisation.gitopsRepoUrl,
    targetRevision: "main",
    argoCdChartVersion: organisation.argoCdChartVersion,
  },
  ci: {
    protectedBranch: "main",
    githubEnvironment: "dev",
    // "local" until the first apply's state is migrated into the bucket, then "s3".
    bootstrapState: "local",
    // Create and authorize it in the console first (docs/infrastructure.md, "First apply").
    githubConnectionArn:
      "arn:aws:codeconnections:eu-west-1:111111111111:connection/0d0e0f10-1111-4111-8111-111111111111",
  },
} satisfies EnvironmentConfig;
