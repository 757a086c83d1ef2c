/**
 * The typed shape of one environment. `environments/<name>.ts` exports an object that
 * `satisfies EnvironmentConfig`; `validateEnvironments` checks the invariants the type cannot.
 */

export type EnvironmentName = "dev" | "staging" | "prod";

export interface NodeGroupConfig {
  /** Glossary token naming the group, e.g. "app". */
  readonly name: string;
  /** EC2 instance types; Graviton (arm64) types such as t4g/m7g pair with an ARM AMI type. */
  readonly instanceTypes: readonly string[];
  readonly amiType: "AL2023_ARM_64_STANDARD" | "AL2023_x86_64_STANDARD";
  readonly capacityType: "ON_DEMAND" | "SPOT";
  readonly minSize: number;
  readonly desiredSize: number;
  readonly maxSize: number;
  readonly diskSizeGiB: number;
}

export interface QueueConfig {
  /** Glossary token naming the queue, e.g. "orders". */
  readonly name: string;
  readonly fifo?: boolean;
  readonly visibilityTimeoutSeconds?: number;
  readonly retentionSeconds?: number;
}

export interface AppClientConfig {
  /** Glossary token naming the client, e.g. "web". */
  readonly name: string;
  /** Confidential clients get a secret; public clients (SPAs, mobile) never do. */
  readonly confidential: boolean;
  readonly callbackUrls: readonly string[];
  readonly logoutUrls?: readonly string[];
}

/**
 * One tenant of the multi-tenant platform in one environment. Onboarding a tenant adds one of these
 * (and its gitops/envs/<env>/values.yaml entry): see docs/tenants.md and `sluice tenant add`.
 */
export interface TenantConfig {
  /** Glossary term of kind tenant naming the tenant, e.g. "acme"; its namespace is `{env}-acme`. */
  readonly name: string;
  /** GitHub team that owns the tenant's workloads, "org/team-slug" (or "team-slug" in the organisation). */
  readonly team: string;
  /**
   * The tenant's Cognito app client (`{env}-{tenant}`) in the environment's user pool; its user group
   * `{env}-{tenant}` is always made.
   * @default a confidential client (with a secret) without OAuth redirects
   */
  readonly client?: {
    readonly confidential: boolean;
    readonly callbackUrls: readonly string[];
    readonly logoutUrls?: readonly string[];
  };
  /** The tenant's own SQS queues, each `{env}-{tenant}-{queue}` with its dead-letter queue. @default none */
  readonly queues?: readonly QueueConfig[];
}

export interface EnvironmentConfig {
  readonly name: EnvironmentName;
  /** 12-digit AWS account id the environment lives in. */
  readonly account: string;
  readonly region: string;
  /** Tags every taggable resource carries (provider default tags). */
  readonly tags: {
    readonly ownerTeam: string;
    readonly costCentre: string;
    /** GitHub repository that manages this environment, "owner/name". */
    readonly repository: string;
  };
  readonly network: {
    /** VPC CIDR; must not overlap another environment's. */
    readonly cidr: string;
    /** 2 or 3 availability zones. */
    readonly availabilityZones: readonly string[];
    /** One shared NAT gateway (cheap) or one per AZ (survives an AZ loss). */
    readonly natGateways: "single" | "per-az";
  };
  /** CloudWatch Logs retention in days; each one of the values CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, …). */
  readonly logs: {
    /** Application logs: RDS log exports, Container Insights. */
    readonly retentionDays: number;
    /** Audit-relevant logs: EKS control plane (audit, authenticator), VPC flow logs. ≥ 365 in prod, ≥ 30 elsewhere. */
    readonly auditRetentionDays: number;
  };
  readonly cluster: {
    readonly kubernetesVersion: string;
    /**
     * At the end of the version's EKS standard support: "STANDARD" lets EKS upgrade the cluster,
     * "EXTENDED" keeps the version for up to 12 more months at an extra per-cluster-hour charge.
     */
    readonly supportType: "STANDARD" | "EXTENDED";
    /** Public API endpoint; when on, only from `publicAccessCidrs`. */
    readonly endpointPublicAccess: boolean;
    readonly publicAccessCidrs: readonly string[];
    /** IAM role ARNs granted cluster-admin through EKS access entries. */
    readonly adminRoleArns: readonly string[];
    readonly nodeGroups: readonly NodeGroupConfig[];
    /**
     * Karpenter, which adds and removes nodes beyond the managed node groups (these stay as the fixed
     * base that runs Karpenter itself).
     */
    readonly autoscaling: {
      /** Most vCPUs Karpenter's nodes may have in total. */
      readonly maxCpu: number;
      /** Most memory Karpenter's nodes may have in total, GiB. */
      readonly maxMemoryGiB: number;
      /** What Karpenter may buy; prod must include on-demand. */
      readonly capacityTypes: readonly ("spot" | "on-demand")[];
      /** Karpenter controller replicas (at most the node groups' minimum node count: one per node). */
      readonly controllerReplicas: number;
    };
  };
  readonly database: {
    readonly instanceClass: string;
    readonly engineVersion: string;
    readonly allocatedStorageGiB: number;
    readonly maxAllocatedStorageGiB: number;
    readonly multiAz: boolean;
    readonly deletionProtection: boolean;
    readonly backupRetentionDays: number;
    /**
     * The workloads that may reach the database (port 5432): pods matching `podLabels` in `namespace`
     * get the database's access security group. No other pod can connect.
     */
    readonly clients: readonly {
      readonly namespace: string;
      readonly podLabels: Readonly<Record<string, string>>;
    }[];
    /**
     * AWS Backup: a daily recovery point kept `retentionDays`, each copied (kept `copyRetentionDays`) to
     * another region of this account, or to a vault of another account. Required in prod.
     */
    readonly backup?: {
      readonly retentionDays: number;
      readonly copyRetentionDays: number;
      readonly copy: { readonly region: string } | { readonly vaultArn: string };
    };
  };
  readonly queues: readonly QueueConfig[];
  /**
   * Tenants onboarded to this environment (docs/tenants.md); `sluice tenant add` appends to this list.
   * @default none
   */
  readonly tenants?: readonly TenantConfig[];
  readonly identity: {
    readonly mfa: "required" | "optional";
    /** Cognito feature tier; threat protection needs PLUS. */
    readonly tier: "LITE" | "ESSENTIALS" | "PLUS";
    readonly deletionProtection: boolean;
    readonly clients: readonly AppClientConfig[];
    readonly groups: readonly string[];
    /**
     * Hosted endpoints for the OAuth code flow: a Cognito prefix domain (`<prefix>.auth.<region>.amazoncognito.com`,
     * unique per region), or a custom domain with an ACM certificate validated in its Route 53 zone (prod).
     */
    readonly domain: { readonly prefix: string } | { readonly name: string; readonly hostedZoneId: string };
    /** The pool's e-mail through SES from `fromAddress` (a domain identity with DKIM in its Route 53 zone); required in prod. */
    readonly email?: { readonly fromAddress: string; readonly domain: string; readonly hostedZoneId: string };
  };
  readonly registry: {
    /** Glossary tokens naming ECR repositories. */
    readonly repositories: readonly string[];
  };
  readonly alarms: {
    /**
     * Slack channel AWS Chatbot posts alarms to (workspace authorised for Chatbot once, in its console).
     * Omit for no chat notifications.
     */
    readonly slack?: {
      /** Slack workspace (team) id, e.g. T0123ABCD. */
      readonly workspaceId: string;
      /** Slack channel id, e.g. C0123ABCD. */
      readonly channelId: string;
    };
  };
  readonly gitops: {
    readonly repoUrl: string;
    readonly targetRevision: string;
    readonly argoCdChartVersion: string;
  };
  readonly ci: {
    /** Branch whose pushes may assume the read-only plan role (pull requests always may). */
    readonly protectedBranch: string;
    /** GitHub deployment environment whose jobs, and only those, may assume the apply role. */
    readonly githubEnvironment: string;
    /**
     * Where the bootstrap stack keeps its own state: "local" for the very first apply (the bucket does
     * not exist yet), then "s3" (key `<env>-bootstrap/terraform.tfstate` in the bucket it created)
     * once `terraform init -migrate-state` has moved it there. See docs/infrastructure.md, "First apply".
     */
    readonly bootstrapState: "local" | "s3";
    /**
     * ARN of the account's existing GitHub OIDC provider (an account holds one per issuer). Omit to have
     * the bootstrap stack create it.
     */
    readonly githubOidcProviderArn?: string;
    /**
     * ARN of the AWS CodeConnections connection to GitHub (created and authorized once per account in
     * the console) through which the in-VPC CI runner reads the repository and registers its webhook.
     */
    readonly githubConnectionArn: string;
  };
}
