import { randomBytes } from "node:crypto";
import { type Context, Hono, type MiddlewareHandler } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { Policy } from "../../../core/policy/policy.ts";
import type { Database } from "../db/database.ts";
import type { GateConfig } from "../gate/config.ts";
import {
  type ChangeFilter,
  cachedVerifier,
  canSee,
  listChanges,
  pullRequestView,
  visibleRepositories,
} from "./data.ts";
import { oidcLogin, type PendingLogin } from "./login-oidc.ts";
import {
  newSession,
  readSession,
  SESSION_COOKIE,
  type Session,
  sameSecret,
  signValue,
  verifyValue,
} from "./session.ts";
import { DASHBOARD_CSS } from "./styles.ts";
import { ChangesPage, LoginPage, MessagePage, PullRequestPage, page, RulesPage } from "./views.tsx";

export interface DashboardDeps {
  readonly db: Database;
  readonly config: GateConfig["dashboard"];
  readonly loadPolicy: (repository: string) => Promise<Policy | undefined>;
  /** Local mode: receives each one-time login token (at start, and a fresh one after each use). */
  readonly onLocalToken?: (token: string) => void;
  readonly now?: () => Date;
}

type Env = { Variables: { session: Session } };

export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

const LOGIN_CSRF_COOKIE = "sluice_login_csrf";
const PENDING_COOKIE = "sluice_oidc";
const STATES = new Set(["approved", "pending", "blocked"]);

function text(value: string | undefined): string | undefined {
  const v = value?.trim();
  return v ? v.slice(0, 200) : undefined;
}

export function parseFilter(query: (key: string) => string | undefined): ChangeFilter {
  const page = Number.parseInt(query("page") ?? "1", 10);
  const state = text(query("state"));
  return {
    ...(text(query("repository")) ? { repository: text(query("repository")) } : {}),
    ...(text(query("environment")) ? { environment: text(query("environment")) } : {}),
    ...(text(query("person")) ? { person: text(query("person"))?.replace(/^@/, "") } : {}),
    ...(state && STATES.has(state) ? { state } : {}),
    page: Number.isFinite(page) && page >= 1 ? Math.min(page, 10_000) : 1,
  };
}

/**
 * The dashboard: server-rendered pages (change requests, one pull request, rules) behind a login (OIDC with
 * PKCE, or a one-time token in local mode), signed HTTP-only SameSite=Lax session cookies, a CSRF token on
 * every state-changing form, and a strict Content-Security-Policy (no scripts, styles from /assets only).
 */
export function dashboardRoutes(deps: DashboardDeps): Hono<Env> {
  const app = new Hono<Env>();
  const { config } = deps;
  const now = () => deps.now?.() ?? new Date();
  const oidc = config.oidc ? oidcLogin(config.oidc) : undefined;
  const verifyChain = cachedVerifier(deps.db);
  let localToken: string | undefined;
  const rotateLocalToken = () => {
    if (oidc) return;
    localToken = randomBytes(24).toString("base64url");
    deps.onLocalToken?.(localToken);
  };
  rotateLocalToken();

  const cookieOptions = { httpOnly: true, sameSite: "Lax" as const, secure: config.secureCookies, path: "/" };

  const headers: MiddlewareHandler = async (c, next) => {
    await next();
    c.header("content-security-policy", CONTENT_SECURITY_POLICY);
    c.header("x-content-type-options", "nosniff");
    c.header("referrer-policy", "no-referrer");
    c.header("x-frame-options", "DENY");
    if (!c.res.headers.has("cache-control")) c.header("cache-control", "no-store");
  };
  for (const path of [
    "/",
    "/login",
    "/login/*",
    "/logout",
    "/auth/*",
    "/changes",
    "/changes/*",
    "/rules",
    "/assets/*",
  ]) {
    app.use(path, headers);
  }

  const requireSession: MiddlewareHandler<Env> = async (c, next) => {
    const session = readSession(config.sessionSecret, getCookie(c, SESSION_COOKIE));
    if (!session) return c.redirect("/login", 303);
    c.set("session", session);
    await next();
  };

  const startSession = (c: Context, user: string, accounts: Session["accounts"]) => {
    const session = newSession(user, accounts, config.sessionSeconds);
    setCookie(c, SESSION_COOKIE, signValue(config.sessionSecret, session), {
      ...cookieOptions,
      maxAge: config.sessionSeconds,
    });
  };

  app.get("/assets/dashboard.css", (c) =>
    c.body(DASHBOARD_CSS, 200, {
      "content-type": "text/css; charset=utf-8",
      "cache-control": "public, max-age=3600",
    }),
  );
  app.get("/", (c) => c.redirect("/changes", 303));

  app.get("/login", (c) => {
    if (readSession(config.sessionSecret, getCookie(c, SESSION_COOKIE))) return c.redirect("/changes", 303);
    const csrf = randomBytes(18).toString("base64url");
    setCookie(c, LOGIN_CSRF_COOKIE, signValue(config.sessionSecret, csrf), { ...cookieOptions, maxAge: 600 });
    const error = c.req.query("error");
    return c.html(
      page(
        <LoginPage
          mode={oidc ? "oidc" : "local"}
          csrf={csrf}
          {...(error ? { error: "Login failed; try again." } : {})}
        />,
      ),
    );
  });

  app.post("/login", async (c) => {
    if (oidc) return c.text("local login is disabled: log in through the identity provider", 404);
    const form = await c.req.parseBody();
    const expected = verifyValue<string>(config.sessionSecret, getCookie(c, LOGIN_CSRF_COOKIE));
    if (!expected || typeof form._csrf !== "string" || !sameSecret(form._csrf, expected)) {
      return c.text("invalid or missing CSRF token", 403);
    }
    const token = typeof form.token === "string" ? form.token.trim() : "";
    if (!localToken || !sameSecret(token, localToken)) return c.redirect("/login?error=1", 303);
    rotateLocalToken();
    deleteCookie(c, LOGIN_CSRF_COOKIE, { path: "/" });
    startSession(c, "local operator", "*");
    return c.redirect("/changes", 303);
  });

  app.get("/login/start", async (c) => {
    if (!oidc) return c.redirect("/login", 303);
    const { url, pending } = await oidc.start();
    setCookie(c, PENDING_COOKIE, signValue(config.sessionSecret, pending), { ...cookieOptions, maxAge: 600 });
    return c.redirect(url, 302);
  });

  app.get("/auth/callback", async (c) => {
    if (!oidc) return c.redirect("/login", 303);
    const pending = verifyValue<PendingLogin>(config.sessionSecret, getCookie(c, PENDING_COOKIE));
    deleteCookie(c, PENDING_COOKIE, { path: "/" });
    const code = c.req.query("code");
    const state = c.req.query("state") ?? "";
    if (!pending || pending.exp * 1000 < Date.now() || !code || !sameSecret(state, pending.state)) {
      return c.redirect("/login?error=1", 303);
    }
    try {
      const claims = await oidc.finish(code, pending);
      const login = claims[config.loginClaim] ?? claims.email ?? claims.sub;
      const raw = claims[config.accountsClaim];
      const accounts = (Array.isArray(raw) ? raw : typeof raw === "string" ? raw.split(/[\s,]+/) : []).filter(
        (a): a is string => typeof a === "string" && a !== "" && a !== "*",
      );
      startSession(c, String(login ?? "unknown"), accounts);
      return c.redirect("/changes", 303);
    } catch {
      return c.redirect("/login?error=1", 303);
    }
  });

  app.post("/logout", requireSession, async (c) => {
    const form = await c.req.parseBody();
    if (typeof form._csrf !== "string" || !sameSecret(form._csrf, c.get("session").csrf)) {
      return c.text("invalid or missing CSRF token", 403);
    }
    deleteCookie(c, SESSION_COOKIE, { path: "/" });
    return c.redirect("/login", 303);
  });

  app.get("/changes", requireSession, async (c) => {
    const session = c.get("session");
    const filter = parseFilter((k) => c.req.query(k));
    const { rows, hasNext } = await listChanges(deps.db, filter, session.accounts);
    return c.html(
      page(<ChangesPage user={session} filter={filter} rows={rows} hasNext={hasNext} now={now()} />),
    );
  });

  app.get("/changes/:owner/:repo/:number", requireSession, async (c) => {
    const session = c.get("session");
    const repository = `${c.req.param("owner")}/${c.req.param("repo")}`;
    const number = Number.parseInt(c.req.param("number"), 10);
    const notFound = () =>
      c.html(
        page(
          <MessagePage
            title="Not found"
            message={`No pull request ${repository}#${c.req.param("number")} that you may see.`}
            user={session}
          />,
        ),
        404,
      );
    if (!Number.isInteger(number) || number <= 0 || !(await canSee(deps.db, session.accounts, repository)))
      return notFound();
    const view = await pullRequestView(deps.db, repository, number);
    if (!view) return notFound();
    return c.html(page(<PullRequestPage user={session} view={view} chain={await verifyChain()} />));
  });

  app.get("/rules", requireSession, async (c) => {
    const session = c.get("session");
    const repositories = await visibleRepositories(deps.db, session.accounts);
    const policies = await Promise.all(
      repositories.map(async (repository) => ({
        repository,
        policy: await deps.loadPolicy(repository).catch(() => undefined),
      })),
    );
    return c.html(page(<RulesPage user={session} policies={policies} />));
  });

  return app;
}
