import { randomBytes } from "node:crypto";
import { z } from "zod";
import { GITHUB_ACTIONS_ISSUER } from "../oidc/verify.ts";
import { DEFAULT_PLAN_MAX_BYTES } from "../plans/upload.ts";

const optional = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === "" ? undefined : v.trim()));

const schema = z.object({
  /** Issuer of the CI tokens that upload plans and call the gate. */
  OIDC_ISSUER: z.url({ error: "must be the token issuer's URL" }).default(GITHUB_ACTIONS_ISSUER),
  /** The audience CI asks its token for (`sluice plan upload --audience`). */
  OIDC_AUDIENCE: z.string().min(1).default("sluice"),
  PLAN_MAX_BYTES: z.coerce.number().int().min(1024).default(DEFAULT_PLAN_MAX_BYTES),
  /** Dashboard login through OpenID Connect (Cognito or any provider); unset: local mode (one-time token). */
  DASHBOARD_OIDC_ISSUER: optional.pipe(z.url({ error: "must be the provider's issuer URL" }).optional()),
  DASHBOARD_OIDC_CLIENT_ID: optional,
  DASHBOARD_OIDC_CLIENT_SECRET: optional,
  /** The dashboard's public base URL, for the OIDC redirect (e.g. https://sluice.example.com). */
  DASHBOARD_URL: optional.pipe(z.url({ error: "must be the dashboard's public URL" }).optional()),
  /** Signs session cookies; at least 32 characters. Required with OIDC login; random per process otherwise. */
  DASHBOARD_SESSION_SECRET: optional.pipe(
    z.string().min(32, { error: "must be at least 32 characters" }).optional(),
  ),
  /** The ID-token claim shown as the user's name. */
  DASHBOARD_LOGIN_CLAIM: z.string().min(1).default("preferred_username"),
  /** The ID-token claim listing the GitHub accounts (installation owners) whose repositories the user sees. */
  DASHBOARD_ACCOUNTS_CLAIM: z.string().min(1).default("cognito:groups"),
  DASHBOARD_SESSION_HOURS: z.coerce
    .number()
    .min(0.1)
    .max(24 * 7)
    .default(8),
});

export interface DashboardOidc {
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret?: string;
  readonly redirectUri: string;
}

export interface GateConfig {
  readonly oidcIssuer: string;
  readonly oidcAudience: string;
  readonly planMaxBytes: number;
  readonly dashboard: {
    /** Undefined: local mode, logged in with a one-time token printed at start. */
    readonly oidc?: DashboardOidc;
    readonly sessionSecret: string;
    readonly loginClaim: string;
    readonly accountsClaim: string;
    readonly sessionSeconds: number;
    /** Cookies get `Secure` when the dashboard is served over https. */
    readonly secureCookies: boolean;
  };
}

/** Reads GATE's variables; errors name the variable and never echo a value. */
export function loadGateConfig(env: Record<string, string | undefined> = process.env): GateConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (i) => `${String(i.path[0])}: ${i.message.replace(/^Invalid.*?: /, "")}`,
    );
    throw new Error(`invalid configuration:\n${problems.map((p) => `  ${p}`).join("\n")}`);
  }
  const raw = parsed.data;
  const problems: string[] = [];
  let oidc: DashboardOidc | undefined;
  if (raw.DASHBOARD_OIDC_ISSUER) {
    if (!raw.DASHBOARD_OIDC_CLIENT_ID)
      problems.push("DASHBOARD_OIDC_CLIENT_ID: required with DASHBOARD_OIDC_ISSUER");
    if (!raw.DASHBOARD_URL)
      problems.push("DASHBOARD_URL: required with DASHBOARD_OIDC_ISSUER (the redirect URI's base)");
    if (!raw.DASHBOARD_SESSION_SECRET) {
      problems.push(
        "DASHBOARD_SESSION_SECRET: required with DASHBOARD_OIDC_ISSUER (sessions must survive restarts)",
      );
    }
    if (raw.DASHBOARD_OIDC_CLIENT_ID && raw.DASHBOARD_URL) {
      oidc = {
        issuer: raw.DASHBOARD_OIDC_ISSUER.replace(/\/+$/, ""),
        clientId: raw.DASHBOARD_OIDC_CLIENT_ID,
        ...(raw.DASHBOARD_OIDC_CLIENT_SECRET ? { clientSecret: raw.DASHBOARD_OIDC_CLIENT_SECRET } : {}),
        redirectUri: `${raw.DASHBOARD_URL.replace(/\/+$/, "")}/auth/callback`,
      };
    }
  }
  if (problems.length > 0)
    throw new Error(`invalid configuration:\n${problems.map((p) => `  ${p}`).join("\n")}`);
  return {
    oidcIssuer: raw.OIDC_ISSUER.replace(/\/+$/, ""),
    oidcAudience: raw.OIDC_AUDIENCE,
    planMaxBytes: raw.PLAN_MAX_BYTES,
    dashboard: {
      ...(oidc ? { oidc } : {}),
      sessionSecret: raw.DASHBOARD_SESSION_SECRET ?? randomBytes(32).toString("hex"),
      loginClaim: raw.DASHBOARD_LOGIN_CLAIM,
      accountsClaim: raw.DASHBOARD_ACCOUNTS_CLAIM,
      sessionSeconds: Math.round(raw.DASHBOARD_SESSION_HOURS * 3600),
      secureCookies: (raw.DASHBOARD_URL ?? "").startsWith("https://"),
    },
  };
}
