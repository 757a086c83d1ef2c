import { readFileSync } from "node:fs";
import { z } from "zod";
import { StartupError } from "./startup-error.ts";

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

/** What one process does: everything, only HTTP (intake, gate, dashboard), or only the job queue. */
export const SERVICE_ROLES = ["all", "web", "worker"] as const;

const schema = z.object({
  /**
   * `web` and `worker` split one service into processes that share a PostgreSQL database: web processes
   * acknowledge deliveries and serve the API, worker processes evaluate (and can be given less CPU).
   */
  SERVICE_ROLE: z.enum(SERVICE_ROLES, { error: `must be one of ${SERVICE_ROLES.join(", ")}` }).default("all"),
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  HOST: z.string().default("0.0.0.0"),
  LOG_LEVEL: z.enum(LOG_LEVELS).default("info"),
  GITHUB_WEBHOOK_SECRET: optionalText,
  /** A file holding the webhook secret (a mounted secret), instead of GITHUB_WEBHOOK_SECRET. */
  GITHUB_WEBHOOK_SECRET_PATH: optionalText,
  GITHUB_APP_ID: optionalText.pipe(
    z.string().regex(/^\d+$/, { error: "must be the App's numeric id" }).optional(),
  ),
  /** A file holding the App id, instead of GITHUB_APP_ID (kept with the key in one secret). */
  GITHUB_APP_ID_PATH: optionalText,
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
  /**
   * A file holding the database password (a mounted secret), read at every new connection so a
   * rotated password is picked up; DATABASE_URL then carries no password.
   */
  DATABASE_PASSWORD_PATH: optionalText,
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
  /**
   * A job is not started within this long of the end of the previous job with its key (one pull request's
   * evaluation): the first delivery of a quiet pull request is evaluated at once, a burst at most once per interval.
   */
  JOB_KEY_INTERVAL_MS: z.coerce.number().int().min(0).default(1000),
  /**
   * While the event loop lags more than this (p99, milliseconds), jobs run one at a time so that deliveries are
   * acknowledged first. 0 turns it off.
   */
  WORKER_YIELD_LAG_MS: z.coerce.number().int().min(0).default(20),
  /** Team-membership cache lifetime. */
  TEAM_CACHE_TTL_MS: z.coerce.number().int().min(0).default(300_000),
});

export type RawConfig = z.infer<typeof schema>;

export interface Config {
  readonly role: (typeof SERVICE_ROLES)[number];
  readonly port: number;
  readonly host: string;
  readonly logLevel: (typeof LOG_LEVELS)[number];
  readonly webhookSecret: string;
  /** App credentials; absent in local mode. */
  readonly app?: { readonly appId: string; readonly privateKey: string };
  readonly githubApiUrl: string;
  readonly databaseUrl?: string;
  /** File the database password is read from at each new connection (with `databaseUrl`). */
  readonly databasePasswordFile?: string;
  readonly dataDir: string;
  readonly publicUrl?: string;
  readonly workerConcurrency: number;
  readonly jobLeaseMs: number;
  readonly jobMaxAttempts: number;
  readonly jobBackoffMs: number;
  readonly evaluationDelayMs: number;
  readonly jobKeyIntervalMs: number;
  readonly workerYieldLagMs: number;
  readonly teamCacheTtlMs: number;
}

export class ConfigError extends StartupError {
  override name = "ConfigError";
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  ${p}`).join("\n")}`);
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
  /** A value given inline or as a file (a mounted secret); never both. The file's final newline is dropped. */
  const inlineOrFile = (name: keyof RawConfig, pathName: keyof RawConfig): string | undefined => {
    const inline = raw[name] as string | undefined;
    const path = raw[pathName] as string | undefined;
    if (inline !== undefined && path !== undefined) {
      problems.push(`${name} and ${pathName}: set one, not both`);
      return undefined;
    }
    if (path === undefined) return inline;
    const content = readable(path, pathName, problems);
    if (content === undefined) return undefined;
    const value = content.replace(/\r?\n$/, "");
    if (value === "") problems.push(`${pathName}: the file is empty`);
    return value === "" ? undefined : value;
  };
  const webhookSecret = inlineOrFile("GITHUB_WEBHOOK_SECRET", "GITHUB_WEBHOOK_SECRET_PATH");
  if (webhookSecret === undefined && !problems.some((p) => p.startsWith("GITHUB_WEBHOOK_SECRET"))) {
    problems.push(
      "GITHUB_WEBHOOK_SECRET: is required (the secret set on the GitHub App's webhook), or GITHUB_WEBHOOK_SECRET_PATH",
    );
  }
  const appId = inlineOrFile("GITHUB_APP_ID", "GITHUB_APP_ID_PATH");
  if (raw.GITHUB_APP_ID_PATH && appId !== undefined && !/^\d+$/.test(appId)) {
    problems.push("GITHUB_APP_ID_PATH: the file must hold the App's numeric id");
  }
  if (raw.DATABASE_PASSWORD_PATH) {
    if (!raw.DATABASE_URL)
      problems.push("DATABASE_PASSWORD_PATH: needs DATABASE_URL (the server to use it on)");
    else if (urlHasPassword(raw.DATABASE_URL))
      problems.push("DATABASE_URL and DATABASE_PASSWORD_PATH: DATABASE_URL carries a password; use one");
    else readable(raw.DATABASE_PASSWORD_PATH, "DATABASE_PASSWORD_PATH", problems);
  }
  if (raw.GITHUB_APP_PRIVATE_KEY && raw.GITHUB_APP_PRIVATE_KEY_PATH) {
    problems.push("GITHUB_APP_PRIVATE_KEY and GITHUB_APP_PRIVATE_KEY_PATH: set one, not both");
  }
  let privateKey = raw.GITHUB_APP_PRIVATE_KEY?.replaceAll("\\n", "\n");
  if (raw.GITHUB_APP_PRIVATE_KEY_PATH) {
    privateKey =
      readable(raw.GITHUB_APP_PRIVATE_KEY_PATH, "GITHUB_APP_PRIVATE_KEY_PATH", problems) ?? privateKey;
  }
  if (privateKey !== undefined && !/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(privateKey)) {
    const name = raw.GITHUB_APP_PRIVATE_KEY_PATH ? "GITHUB_APP_PRIVATE_KEY_PATH" : "GITHUB_APP_PRIVATE_KEY";
    problems.push(`${name}: expected a PEM private key (-----BEGIN ... PRIVATE KEY-----)`);
  }
  if (appId && privateKey === undefined && problems.length === 0) {
    problems.push("GITHUB_APP_PRIVATE_KEY: required with GITHUB_APP_ID (or set GITHUB_APP_PRIVATE_KEY_PATH)");
  }
  if (!appId && privateKey !== undefined && problems.length === 0) {
    problems.push("GITHUB_APP_ID: required with a private key");
  }
  if (raw.SERVICE_ROLE !== "all" && !raw.DATABASE_URL) {
    problems.push(
      `SERVICE_ROLE: ${raw.SERVICE_ROLE} needs DATABASE_URL (web and worker processes share one PostgreSQL database; embedded PGlite belongs to one process)`,
    );
  }
  if (problems.length > 0 || webhookSecret === undefined) throw new ConfigError(problems);
  return {
    role: raw.SERVICE_ROLE,
    port: raw.PORT,
    host: raw.HOST,
    logLevel: raw.LOG_LEVEL,
    webhookSecret,
    ...(appId && privateKey ? { app: { appId, privateKey } } : {}),
    githubApiUrl: raw.GITHUB_API_URL.replace(/\/+$/, ""),
    ...(raw.DATABASE_URL ? { databaseUrl: raw.DATABASE_URL } : {}),
    ...(raw.DATABASE_URL && raw.DATABASE_PASSWORD_PATH
      ? { databasePasswordFile: raw.DATABASE_PASSWORD_PATH }
      : {}),
    dataDir: raw.DATA_DIR,
    ...(raw.PUBLIC_URL ? { publicUrl: raw.PUBLIC_URL.replace(/\/+$/, "") } : {}),
    workerConcurrency: raw.WORKER_CONCURRENCY,
    jobLeaseMs: raw.JOB_LEASE_MS,
    jobMaxAttempts: raw.JOB_MAX_ATTEMPTS,
    jobBackoffMs: raw.JOB_BACKOFF_MS,
    evaluationDelayMs: raw.EVALUATION_DELAY_MS,
    jobKeyIntervalMs: raw.JOB_KEY_INTERVAL_MS,
    workerYieldLagMs: raw.WORKER_YIELD_LAG_MS,
    teamCacheTtlMs: raw.TEAM_CACHE_TTL_MS,
  };
}

/** The file's text, or undefined with a problem naming the variable (never the content). */
function readable(path: string, name: string, problems: string[]): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "unreadable";
    problems.push(`${name}: cannot read the file (${code})`);
    return undefined;
  }
}

function urlHasPassword(url: string): boolean {
  try {
    return new URL(url).password !== "";
  } catch {
    return false;
  }
}

/** The sentence printed at start without App credentials. */
export function localModeMessage(): string {
  return `local mode: no GitHub App credentials, so deliveries are stored and audited but nothing is published to GitHub; set ${GITHUB_APP_VARIABLES.join(" and ")} to enforce change control`;
}
