import { readFileSync } from "node:fs";
import { z } from "zod";

/** Variables GitHub needs before the service can talk to it (named in the local-mode message). */
export const GITHUB_APP_VARIABLES = [
  "GITHUB_APP_ID",
  "GITHUB_APP_PRIVATE_KEY or GITHUB_APP_PRIVATE_KEY_PATH",
] as const;

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

const optionalText = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === "" ? undefined : v));

const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  HOST: z.string().default("0.0.0.0"),
  LOG_LEVEL: z.enum(LOG_LEVELS).default("info"),
  GITHUB_WEBHOOK_SECRET: z
    .string({ error: "is required (the secret set on the GitHub App's webhook)" })
    .min(1, {
      error: "is required (the secret set on the GitHub App's webhook)",
    }),
  GITHUB_APP_ID: optionalText.pipe(
    z.string().regex(/^\d+$/, { error: "must be the App's numeric id" }).optional(),
  ),
  GITHUB_APP_PRIVATE_KEY: optionalText,
  GITHUB_APP_PRIVATE_KEY_PATH: optionalText,
  GITHUB_API_URL: z
    .url({ error: "must be a URL such as https://api.github.com" })
    .default("https://api.github.com"),
  DATABASE_URL: optionalText.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, { error: "must be a postgres:// or postgresql:// URL" })
      .optional(),
  ),
  DATA_DIR: z.string().min(1).default(".data"),
  /** Where people reach this service (check-run details links); unset: links go to the pull request. */
  PUBLIC_URL: optionalText.pipe(
    z.url({ error: "must be a URL such as https://sluice.example.com" }).optional(),
  ),
  /** Concurrent jobs per process. */
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  /** How long a claimed job is leased before another worker may take it over (its process died). */
  JOB_LEASE_MS: z.coerce.number().int().min(200).default(30_000),
  /** Attempts of a job before it fails for good (and says so on the check). */
  JOB_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(6),
  /** First retry delay of a failed job; doubled per attempt, at most a minute. */
  JOB_BACKOFF_MS: z.coerce.number().int().min(0).default(500),
  /** Wait this long before evaluating after a delivery, so a burst for one pull request becomes one evaluation. */
  EVALUATION_DELAY_MS: z.coerce.number().int().min(0).default(0),
  /** Team-membership cache lifetime. */
  TEAM_CACHE_TTL_MS: z.coerce.number().int().min(0).default(300_000),
});

export type RawConfig = z.infer<typeof schema>;

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly logLevel: (typeof LOG_LEVELS)[number];
  readonly webhookSecret: string;
  /** App credentials; absent in local mode. */
  readonly app?: { readonly appId: string; readonly privateKey: string };
  readonly githubApiUrl: string;
  readonly databaseUrl?: string;
  readonly dataDir: string;
  readonly publicUrl?: string;
  readonly workerConcurrency: number;
  readonly jobLeaseMs: number;
  readonly jobMaxAttempts: number;
  readonly jobBackoffMs: number;
  readonly evaluationDelayMs: number;
  readonly teamCacheTtlMs: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

/**
 * Reads and validates the configuration. Errors name the variable and what is wrong; they never echo a
 * value, so a secret put in the wrong variable is not printed either.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? "environment");
      const message =
        issue.code === "invalid_type" && env[name] === undefined
          ? "is required"
          : issue.message.replace(/^Invalid.*?: /, "");
      return `${name}: ${message}`;
    });
    throw new ConfigError(problems);
  }
  const raw = parsed.data;
  const problems: string[] = [];
  if (raw.GITHUB_APP_PRIVATE_KEY && raw.GITHUB_APP_PRIVATE_KEY_PATH) {
    problems.push("GITHUB_APP_PRIVATE_KEY and GITHUB_APP_PRIVATE_KEY_PATH: set one, not both");
  }
  let privateKey = raw.GITHUB_APP_PRIVATE_KEY?.replaceAll("\\n", "\n");
  if (raw.GITHUB_APP_PRIVATE_KEY_PATH) {
    try {
      privateKey = readFileSync(raw.GITHUB_APP_PRIVATE_KEY_PATH, "utf8");
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? "unreadable";
      problems.push(`GITHUB_APP_PRIVATE_KEY_PATH: cannot read the file (${code})`);
    }
  }
  if (privateKey !== undefined && !/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(privateKey)) {
    const name = raw.GITHUB_APP_PRIVATE_KEY_PATH ? "GITHUB_APP_PRIVATE_KEY_PATH" : "GITHUB_APP_PRIVATE_KEY";
    problems.push(`${name}: expected a PEM private key (-----BEGIN ... PRIVATE KEY-----)`);
  }
  if (raw.GITHUB_APP_ID && privateKey === undefined && problems.length === 0) {
    problems.push("GITHUB_APP_PRIVATE_KEY: required with GITHUB_APP_ID (or set GITHUB_APP_PRIVATE_KEY_PATH)");
  }
  if (!raw.GITHUB_APP_ID && privateKey !== undefined && problems.length === 0) {
    problems.push("GITHUB_APP_ID: required with a private key");
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    port: raw.PORT,
    host: raw.HOST,
    logLevel: raw.LOG_LEVEL,
    webhookSecret: raw.GITHUB_WEBHOOK_SECRET,
    ...(raw.GITHUB_APP_ID && privateKey ? { app: { appId: raw.GITHUB_APP_ID, privateKey } } : {}),
    githubApiUrl: raw.GITHUB_API_URL.replace(/\/+$/, ""),
    ...(raw.DATABASE_URL ? { databaseUrl: raw.DATABASE_URL } : {}),
    dataDir: raw.DATA_DIR,
    ...(raw.PUBLIC_URL ? { publicUrl: raw.PUBLIC_URL.replace(/\/+$/, "") } : {}),
    workerConcurrency: raw.WORKER_CONCURRENCY,
    jobLeaseMs: raw.JOB_LEASE_MS,
    jobMaxAttempts: raw.JOB_MAX_ATTEMPTS,
    jobBackoffMs: raw.JOB_BACKOFF_MS,
    evaluationDelayMs: raw.EVALUATION_DELAY_MS,
    teamCacheTtlMs: raw.TEAM_CACHE_TTL_MS,
  };
}

/** The sentence printed at start without App credentials. */
export function localModeMessage(): string {
  return `local mode: no GitHub App credentials, so deliveries are stored and audited but nothing is published to GitHub; set ${GITHUB_APP_VARIABLES.join(" and ")} to enforce change control`;
}
