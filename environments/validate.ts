import { z } from "zod";
import {
  LOG_RETENTION_DAYS,
  MIN_AUDIT_LOG_RETENTION_DAYS,
  MIN_PROD_AUDIT_LOG_RETENTION_DAYS,
} from "../core/rules/logs.ts";
import { supportProblem } from "../modules/cluster/versions.ts";
import { overlaps, parseCidr } from "./cidr.ts";
import type { EnvironmentConfig } from "./config.ts";

/** One problem in an environment's configuration. */
export interface ConfigIssue {
  /** The environment file, e.g. environments/prod.ts. */
  readonly file: string;
  /** Field path, e.g. cluster.nodeGroups[0].minSize. */
  readonly path: string;
  readonly value: unknown;
  readonly message: string;
}

const token = z
  .string()
  .regex(/^[a-z][a-z0-9]*$/, "expected one lowercase glossary token (letters and digits)");
const cidr = z.string().superRefine((value, ctx) => {
  const parsed = parseCidr(value);
  if (typeof parsed === "string") ctx.addIssue({ code: "custom", message: parsed });
});
const count = z.number().int().nonnegative();
const retentionDays = z.number().refine((days) => (LOG_RETENTION_DAYS as readonly number[]).includes(days), {
  message: `expected a CloudWatch Logs retention: one of ${LOG_RETENTION_DAYS.join(", ")}`,
});
// Slack ids as AWS Chatbot takes them (the same patterns as modules/alarms, which imports cdktf).
const SLACK_WORKSPACE_ID = /^T[A-Z0-9]{6,}$/;
const SLACK_CHANNEL_ID = /^[CG][A-Z0-9]{6,}$/;
const hostname = z
  .string()
  .regex(
    /^([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
    "expected a domain name such as auth.example.com",
  );
const zoneId = z.string().regex(/^Z[A-Z0-9]{1,31}$/, "expected a Route 53 hosted zone id such as Z0123ABC");
const exactVersion = z
  .string()
  .regex(/^\d+\.\d+\.\d+$/, "expected an exact version like 7.7.11, not a range");

const queue = z.strictObject({
  name: token,
  fifo: z.boolean().optional(),
  visibilityTimeoutSeconds: z.number().int().min(0).max(43_200).optional(),
  retentionSeconds: z.number().int().min(60).max(1_209_600).optional(),
});
const redirectUrl = z.string().regex(/^https:\/\/|^http:\/\/localhost[:/]/, "expected an https:// URL");

// Annotated with the interface, so the schema cannot drift from the type the environment files satisfy.
const schema: z.ZodType<EnvironmentConfig> = z.strictObject({
  name: z.enum(["dev", "staging", "prod"]),
  account: z.string().regex(/^\d{12}$/, "expected a 12-digit AWS account id"),
  region: z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, "expected an AWS region like eu-west-1"),
  tags: z.strictObject({
    ownerTeam: token,
    costCentre: z.string().regex(/^[A-Za-z0-9-]{2,64}$/, "expected a cost-centre code like CC-1234"),
    repository: z.string().regex(/^[\w.-]+\/[\w.-]+$/, "expected a GitHub repository as owner/name"),
  }),
  network: z.strictObject({
    cidr,
    availabilityZones: z.array(
      z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d[a-z]$/, "expected an AZ like eu-west-1a"),
    ),
    natGateways: z.enum(["single", "per-az"]),
  }),
  logs: z.strictObject({ retentionDays, auditRetentionDays: retentionDays }),
  cluster: z.strictObject({
    kubernetesVersion: z.string().regex(/^1\.\d{2}$/, "expected a Kubernetes minor version like 1.35"),
    supportType: z.enum(["STANDARD", "EXTENDED"]),
    endpointPublicAccess: z.boolean(),
    publicAccessCidrs: z.array(cidr),
    adminRoleArns: z.array(
      z.string().regex(/^arn:aws[\w-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/, "expected an IAM role ARN"),
    ),
    nodeGroups: z
      .array(
        z.strictObject({
          name: token,
          instanceTypes: z
            .array(
              z.string().regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, "expected an instance type like t4g.medium"),
            )
            .min(1),
          amiType: z.enum(["AL2023_ARM_64_STANDARD", "AL2023_x86_64_STANDARD"]),
          capacityType: z.enum(["ON_DEMAND", "SPOT"]),
          minSize: count,
          desiredSize: count,
          maxSize: count.min(1),
          diskSizeGiB: z.number().int().min(20),
        }),
      )
      .min(1),
    autoscaling: z.strictObject({
      maxCpu: z.number().int().min(1),
      maxMemoryGiB: z.number().int().min(1),
      capacityTypes: z.array(z.enum(["spot", "on-demand"])).min(1),
      controllerReplicas: z.number().int().min(1),
    }),
  }),
  database: z.strictObject({
    instanceClass: z
      .string()
      .regex(/^db\.[a-z0-9]+\.[a-z0-9]+$/, "expected an RDS instance class like db.t4g.micro"),
    engineVersion: z
      .string()
      .regex(/^\d+(\.\d+)?$/, "expected a PostgreSQL major version like 16 (or 16.4 to pin a minor)"),
    allocatedStorageGiB: z.number().int().min(20),
    maxAllocatedStorageGiB: z.number().int(),
    multiAz: z.boolean(),
    deletionProtection: z.boolean(),
    backupRetentionDays: z.number().int().min(7).max(35),
    clients: z.array(
      z.strictObject({
        namespace: z
          .string()
          .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "expected a Kubernetes namespace name"),
        podLabels: z
          .record(
            z
              .string()
              .regex(/^([a-z0-9.-]+\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/, "expected a label key"),
            z.string().regex(/^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/, "expected a label value"),
          )
          .refine(
            (labels) => Object.keys(labels).length > 0,
            "expected at least one label selecting the pods",
          ),
      }),
    ),
    backup: z
      .strictObject({
        retentionDays: z.number().int().min(1).max(35_000),
        copyRetentionDays: z.number().int().min(1).max(35_000),
        copy: z.union([
          z.strictObject({
            region: z
              .string()
              .regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, "expected an AWS region like eu-central-1"),
          }),
          z.strictObject({
            vaultArn: z
              .string()
              .regex(
                /^arn:aws[a-z-]*:backup:[a-z0-9-]+:\d{12}:backup-vault:[\w.-]+$/,
                "expected a backup vault ARN of another account",
              ),
          }),
        ]),
      })
      .optional(),
  }),
  queues: z.array(queue),
  tenants: z
    .array(
      z.strictObject({
        name: token,
        team: z
          .string()
          .regex(
            /^([A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/)?[a-z0-9][a-z0-9_-]*$/,
            "expected a GitHub team as org/team-slug or team-slug",
          ),
        client: z
          .strictObject({
            confidential: z.boolean(),
            callbackUrls: z.array(redirectUrl),
            logoutUrls: z.array(redirectUrl).optional(),
          })
          .optional(),
        queues: z.array(queue).optional(),
      }),
    )
    .optional(),
  identity: z.strictObject({
    mfa: z.enum(["required", "optional"]),
    tier: z.enum(["LITE", "ESSENTIALS", "PLUS"]),
    deletionProtection: z.boolean(),
    clients: z.array(
      z.strictObject({
        name: token,
        confidential: z.boolean(),
        callbackUrls: z.array(redirectUrl),
        logoutUrls: z.array(redirectUrl).optional(),
      }),
    ),
    groups: z.array(token),
    domain: z.union([
      z.strictObject({
        prefix: z
          .string()
          .regex(
            /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/,
            "expected a Cognito domain prefix (lowercase, digits, '-')",
          )
          .refine((p) => !/aws|amazon|cognito/.test(p), "a prefix may not contain aws, amazon or cognito"),
      }),
      z.strictObject({ name: hostname, hostedZoneId: zoneId }),
    ]),
    email: z
      .strictObject({
        fromAddress: z.string().regex(/^[^\s@]+@[^\s@]+\.[a-z]{2,}$/i, "expected an e-mail address"),
        domain: hostname,
        hostedZoneId: zoneId,
      })
      .optional(),
  }),
  registry: z.strictObject({ repositories: z.array(token) }),
  alarms: z.strictObject({
    slack: z
      .strictObject({
        workspaceId: z.string().regex(SLACK_WORKSPACE_ID, "expected a Slack workspace id such as T0123ABCD"),
        channelId: z.string().regex(SLACK_CHANNEL_ID, "expected a Slack channel id such as C0123ABCD"),
      })
      .optional(),
  }),
  gitops: z.strictObject({
    repoUrl: z.string().regex(/^https:\/\/\S+\.git$|^git@\S+:\S+\.git$/, "expected a git URL ending in .git"),
    targetRevision: z.string().min(1),
    argoCdChartVersion: exactVersion,
  }),
  ci: z.strictObject({
    protectedBranch: z.string().regex(/^[\w./-]+$/, "expected a branch name"),
    githubEnvironment: z.string().regex(/^[\w.-]+$/, "expected a GitHub environment name"),
    bootstrapState: z.enum(["local", "s3"]),
    githubOidcProviderArn: z
      .string()
      .regex(
        /^arn:aws[\w-]*:iam::\d{12}:oidc-provider\/token\.actions\.githubusercontent\.com$/,
        "expected the ARN of the token.actions.githubusercontent.com OIDC provider",
      )
      .optional(),
    githubConnectionArn: z
      .string()
      .regex(
        /^arn:aws[\w-]*:(codeconnections|codestar-connections):[a-z0-9-]+:\d{12}:connection\/[0-9a-f-]{36}$/,
        "expected a CodeConnections connection ARN like arn:aws:codeconnections:eu-west-1:111111111111:connection/<uuid>",
      ),
  }),
});

type Check = (
  env: EnvironmentConfig,
  add: (path: string, value: unknown, message: string) => void,
  today: string,
) => void;

/** Invariants across fields of one environment. */
const crossFieldChecks: readonly Check[] = [
  (env, add, today) => {
    const problem = supportProblem(env.cluster.kubernetesVersion, env.cluster.supportType, today);
    if (problem) add("cluster.kubernetesVersion", env.cluster.kubernetesVersion, `${problem} (on ${today})`);
  },
  (env, add) => {
    const azs = env.network.availabilityZones;
    if (azs.length < 2 || azs.length > 3)
      add("network.availabilityZones", azs, "expected 2 or 3 availability zones");
    azs.forEach((az, i) => {
      if (!az.startsWith(env.region))
        add(`network.availabilityZones[${i}]`, az, `must be in region ${env.region}`);
    });
    if (new Set(azs).size !== azs.length)
      add("network.availabilityZones", azs, "lists an availability zone twice");
  },
  (env, add) => {
    env.cluster.nodeGroups.forEach((g, i) => {
      const at = `cluster.nodeGroups[${i}]`;
      if (g.minSize > g.maxSize) add(`${at}.minSize`, g.minSize, `must not exceed maxSize (${g.maxSize})`);
      if (g.desiredSize < g.minSize || g.desiredSize > g.maxSize)
        add(
          `${at}.desiredSize`,
          g.desiredSize,
          `must be between minSize (${g.minSize}) and maxSize (${g.maxSize})`,
        );
      const arm = g.amiType.includes("ARM");
      g.instanceTypes.forEach((t, j) => {
        const graviton = /^[a-z]+\d+g[a-z]*\./.test(t);
        if (arm !== graviton)
          add(
            `${at}.instanceTypes[${j}]`,
            t,
            `does not match amiType ${g.amiType} (${arm ? "needs" : "must not be"} Graviton)`,
          );
      });
    });
    const names = env.cluster.nodeGroups.map((g) => g.name);
    if (new Set(names).size !== names.length)
      add("cluster.nodeGroups", names, "node group names must be unique");
  },
  (env, add) => {
    if (!env.cluster.endpointPublicAccess && env.cluster.publicAccessCidrs.length > 0)
      add(
        "cluster.publicAccessCidrs",
        env.cluster.publicAccessCidrs,
        "must be empty when endpointPublicAccess is false",
      );
    if (env.cluster.endpointPublicAccess && env.cluster.publicAccessCidrs.length === 0)
      add("cluster.publicAccessCidrs", [], "a public endpoint must be limited to listed CIDRs");
    env.cluster.publicAccessCidrs.forEach((c, i) => {
      if (c.endsWith("/0"))
        add(`cluster.publicAccessCidrs[${i}]`, c, "the API endpoint must never be open to the internet");
    });
  },
  (env, add) => {
    const arn = env.ci.githubOidcProviderArn;
    if (arn !== undefined && arn.split(":")[4] !== env.account)
      add("ci.githubOidcProviderArn", arn, `must be in the environment's account ${env.account}`);
    const [, , , region, account] = env.ci.githubConnectionArn.split(":");
    if (account !== env.account || region !== env.region)
      add(
        "ci.githubConnectionArn",
        env.ci.githubConnectionArn,
        `must be in the environment's account ${env.account} and region ${env.region}`,
      );
  },
  (env, add) => {
    const db = env.database;
    if (db.maxAllocatedStorageGiB < db.allocatedStorageGiB)
      add(
        "database.maxAllocatedStorageGiB",
        db.maxAllocatedStorageGiB,
        `must be at least allocatedStorageGiB (${db.allocatedStorageGiB})`,
      );
  },
  (env, add) => {
    const names = env.queues.map((q) => q.name);
    if (new Set(names).size !== names.length) add("queues", names, "queue names must be unique");
    const clients = env.identity.clients.map((c) => c.name);
    if (new Set(clients).size !== clients.length)
      add("identity.clients", clients, "client names must be unique");
  },
  (env, add) => {
    const tenants = env.tenants ?? [];
    const seen = new Set<string>();
    const groups = new Set(env.identity.groups);
    const clients = new Set(env.identity.clients.map((c) => c.name));
    tenants.forEach((t, i) => {
      if (seen.has(t.name)) add(`tenants[${i}].name`, t.name, "tenant names must be unique");
      seen.add(t.name);
      // The tenant's group and client are `{env}-{tenant}`, the same names as an environment group or client.
      if (groups.has(t.name))
        add(
          `tenants[${i}].name`,
          t.name,
          `clashes with identity.groups: both make the user group '${env.name}-${t.name}'`,
        );
      if (clients.has(t.name))
        add(
          `tenants[${i}].name`,
          t.name,
          `clashes with identity.clients: both make the app client '${env.name}-${t.name}'`,
        );
      const queues = (t.queues ?? []).map((q) => q.name);
      if (new Set(queues).size !== queues.length)
        add(`tenants[${i}].queues`, queues, "a tenant's queue names must be unique");
    });
  },
  (env, add) => {
    const { domain, email } = env.identity;
    if (
      email &&
      !email.fromAddress.toLowerCase().endsWith(`@${email.domain}`) &&
      !email.fromAddress.toLowerCase().endsWith(`.${email.domain}`)
    )
      add(
        "identity.email.fromAddress",
        email.fromAddress,
        `must be an address of identity.email.domain (${email.domain})`,
      );
    if (env.name !== "prod") return;
    if ("prefix" in domain)
      add(
        "identity.domain",
        domain,
        "prod requires a custom domain (name and hostedZoneId) with an ACM certificate",
      );
    if (!email)
      add("identity.email", undefined, "prod requires an SES sender (Cognito's own sends 50 e-mails a day)");
  },
  (env, add) => {
    const a = env.cluster.autoscaling;
    const baseNodes = env.cluster.nodeGroups.reduce((sum, g) => sum + g.minSize, 0);
    if (a.controllerReplicas > baseNodes)
      add(
        "cluster.autoscaling.controllerReplicas",
        a.controllerReplicas,
        `must not exceed the node groups' minimum node count (${baseNodes}): replicas run one per node`,
      );
    if (env.name === "prod") {
      if (!a.capacityTypes.includes("on-demand"))
        add("cluster.autoscaling.capacityTypes", a.capacityTypes, "prod requires on-demand capacity");
      if (a.controllerReplicas < 2)
        add(
          "cluster.autoscaling.controllerReplicas",
          a.controllerReplicas,
          "prod requires at least 2 replicas",
        );
    }
  },
  (env, add) => {
    const backup = env.database.backup;
    if (!backup) {
      if (env.name === "prod")
        add(
          "database.backup",
          undefined,
          "prod requires an AWS Backup plan with a cross-region or cross-account copy",
        );
      return;
    }
    if ("region" in backup.copy && backup.copy.region === env.region)
      add(
        "database.backup.copy.region",
        backup.copy.region,
        `must differ from the environment's region (${env.region})`,
      );
    if ("vaultArn" in backup.copy && backup.copy.vaultArn.split(":")[4] === env.account)
      add(
        "database.backup.copy.vaultArn",
        backup.copy.vaultArn,
        `must be a vault of another account than ${env.account}; use copy.region for this account`,
      );
  },
  (env, add) => {
    env.database.clients.forEach((c, i) => {
      if (!c.namespace.startsWith(`${env.name}-`))
        add(
          `database.clients[${i}].namespace`,
          c.namespace,
          `must start with '${env.name}-', like the gitops apps' namespaces`,
        );
    });
  },
  (env, add) => {
    const minimum = env.name === "prod" ? MIN_PROD_AUDIT_LOG_RETENTION_DAYS : MIN_AUDIT_LOG_RETENTION_DAYS;
    if (env.logs.auditRetentionDays < minimum)
      add(
        "logs.auditRetentionDays",
        env.logs.auditRetentionDays,
        `audit logs (EKS audit, VPC flow logs) must be kept at least ${minimum} days in ${env.name === "prod" ? "prod" : "every environment"}`,
      );
  },
  (env, add) => {
    if (env.name !== "prod") return;
    const must = (path: string, value: unknown, ok: boolean, expected: string) => {
      if (!ok) add(path, value, `prod requires ${expected}`);
    };
    must(
      "network.availabilityZones",
      env.network.availabilityZones,
      env.network.availabilityZones.length === 3,
      "3 availability zones",
    );
    must(
      "network.natGateways",
      env.network.natGateways,
      env.network.natGateways === "per-az",
      "a NAT gateway per AZ",
    );
    must("database.multiAz", env.database.multiAz, env.database.multiAz, "Multi-AZ");
    must(
      "database.deletionProtection",
      env.database.deletionProtection,
      env.database.deletionProtection,
      "deletion protection",
    );
    must(
      "database.backupRetentionDays",
      env.database.backupRetentionDays,
      env.database.backupRetentionDays >= 14,
      "backups kept at least 14 days",
    );
    must(
      "identity.deletionProtection",
      env.identity.deletionProtection,
      env.identity.deletionProtection,
      "deletion protection",
    );
    must("identity.mfa", env.identity.mfa, env.identity.mfa === "required", "MFA required");
    must(
      "cluster.endpointPublicAccess",
      env.cluster.endpointPublicAccess,
      !env.cluster.endpointPublicAccess,
      "a private-only API endpoint",
    );
    for (const [i, g] of env.cluster.nodeGroups.entries())
      must(`cluster.nodeGroups[${i}].minSize`, g.minSize, g.minSize >= 2, "at least 2 nodes per group");
  },
];

export interface ValidateOptions {
  /**
   * The day (ISO date) support windows are judged on.
   * @default today
   */
  readonly today?: string;
}

/**
 * Validates every environment and the invariants between them (distinct names, non-overlapping CIDRs).
 * Returns every problem at once; an empty list means the configuration is usable.
 */

export function validateEnvironments(
  envs: readonly { file: string; config: EnvironmentConfig }[],
  options: ValidateOptions = {},
): ConfigIssue[] {
  const today = options.today ?? new Date().toISOString().slice(0, 10);
  const issues: ConfigIssue[] = [];
  for (const { file, config } of envs) {
    const add = (path: string, value: unknown, message: string) =>
      issues.push({ file, path, value, message });
    const parsed = schema.safeParse(config);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        // A misspelt optional field would otherwise be dropped silently and its default used.
        const paths =
          issue.code === "unrecognized_keys" ? issue.keys.map((k) => [...issue.path, k]) : [issue.path];
        for (const path of paths) {
          const message = issue.code === "unrecognized_keys" ? "unknown field (misspelt?)" : issue.message;
          add(formatPath(path), valueAt(config, path), message);
        }
      }
    }
    // Cross-field checks run even after a format error, so one run reports every problem. A check
    // that cannot read a malformed shape is skipped: the schema has already reported that field.
    for (const check of crossFieldChecks) {
      try {
        check(config, add, today);
      } catch (error) {
        if (parsed.success) throw error;
      }
    }
  }
  const seen = new Map<string, string>();
  for (const { file, config } of envs) {
    const other = seen.get(config.name);
    if (other)
      issues.push({
        file,
        path: "name",
        value: config.name,
        message: `environment name already used by ${other}`,
      });
    seen.set(config.name, file);
  }
  for (let i = 0; i < envs.length; i++) {
    for (let j = i + 1; j < envs.length; j++) {
      const a = envs[i];
      const b = envs[j];
      if (!a || !b) continue;
      const ra = parseCidr(a.config.network.cidr);
      const rb = parseCidr(b.config.network.cidr);
      if (typeof ra !== "string" && typeof rb !== "string" && overlaps(ra, rb))
        issues.push({
          file: b.file,
          path: "network.cidr",
          value: b.config.network.cidr,
          message: `overlaps ${a.config.name}'s ${a.config.network.cidr} (${a.file}); VPCs must not overlap so they can be peered`,
        });
    }
  }
  return issues;
}

/** `environments/prod.ts: database.multiAz = false: prod requires Multi-AZ`, one per line. */
export function formatIssues(issues: readonly ConfigIssue[]): string {
  return issues.map((i) => `${i.file}: ${i.path} = ${JSON.stringify(i.value)}: ${i.message}`).join("\n");
}

function formatPath(path: readonly PropertyKey[]): string {
  return (
    path.map((p, i) => (typeof p === "number" ? `[${p}]` : `${i === 0 ? "" : "."}${String(p)}`)).join("") ||
    "(root)"
  );
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = root;
  for (const key of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}
