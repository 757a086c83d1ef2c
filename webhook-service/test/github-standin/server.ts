import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  randomBytes,
} from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { JWT_MESSAGES, verifyAppJwt } from "./app-jwt.ts";
import {
  type Fault,
  type FaultRule,
  faultReply,
  type LimitWindow,
  matches,
  primaryLimitReply,
  rateLimitHeaders,
  requestId,
} from "./faults.ts";
import { error, notFound, type Reply } from "./http.ts";
import { type AppInfo, Objects } from "./objects.ts";
import { compile, match, type Route, type RouteContext } from "./route.ts";
import { actionRoutes } from "./routes-actions.ts";
import { appRoutes } from "./routes-app.ts";
import { checkRoutes } from "./routes-checks.ts";
import { gitRoutes } from "./routes-git.ts";
import { issueRoutes } from "./routes-issues.ts";
import { orgRoutes } from "./routes-orgs.ts";
import { repoRoutes } from "./routes-repos.ts";
import type { CheckRun, IssueComment } from "./schemas.ts";
import {
  type DeploymentProtectionReview,
  GitHubState,
  type InstallationRecord,
  type RepositoryRecord,
} from "./state.ts";

export interface GitHubStandInOptions {
  /** @default 424242 */
  readonly appId?: number;
  /** @default "sluice-change-control" */
  readonly appSlug?: string;
  /** The App's private key (PKCS#1 or PKCS#8 PEM); a fresh 2048-bit RSA key when absent. */
  readonly privateKeyPem?: string;
  /** How long an installation token lives; GitHub's is an hour. @default 3600 */
  readonly tokenLifetimeSeconds?: number;
  /** Requests per hour per installation (GitHub: 5000 at least); past it, a real 403 primary limit. @default 5000 */
  readonly rateLimit?: number;
  /** Delay before every answer, in milliseconds. @default 0 */
  readonly latencyMs?: number;
  /** The stand-in's clock (JWT checks, token expiry, timestamps). @default () => new Date() */
  readonly now?: () => Date;
  /** Keep a record of every call (`calls`); a long benchmark may turn it off to save memory. @default true */
  readonly record?: boolean;
}

export interface RecordedCall {
  readonly method: string;
  /** Path without the query string, e.g. "/repos/o/r/check-runs". */
  readonly path: string;
  /** Path with the query string, as requested. */
  readonly url: string;
  readonly query: Readonly<Record<string, string>>;
  /** Parsed JSON body, or undefined. */
  readonly body: unknown;
  readonly status: number;
  readonly at: Date;
  /** How the request authenticated (credentials themselves are never recorded). */
  readonly auth: "jwt" | "installation" | "none" | "invalid";
  readonly installationId?: number;
}

export interface GitHubStandIn {
  /** Base URL to give Octokit (`baseUrl`) or the service (GITHUB_API_URL), e.g. http://127.0.0.1:41234 */
  readonly url: string;
  readonly appId: number;
  readonly clientId: string;
  readonly appSlug: string;
  /** PKCS#8 PEM of the App's private key. */
  readonly privateKeyPem: string;
  readonly state: GitHubState;
  /** Every request, in arrival order. */
  readonly calls: RecordedCall[];
  /** Injects a fault; returns it so a test can read `hits`/`remaining`. */
  fail(rule: FaultRule): Fault;
  clearFaults(): void;
  setLatency(ms: number): void;
  /** The most requests that were being answered at once since the last reset (latency included). */
  peakInFlight(): number;
  resetPeakInFlight(): void;
  /** Makes every issued installation token expire now (the next use answers 401). */
  expireTokens(): void;
  /** Calls matching a method and a path (exact, or a pattern). */
  callsTo(method: string, path: string | RegExp): RecordedCall[];
  /** Current check runs on a repository ("owner/name"), optionally on one commit, oldest first. */
  checkRuns(repo: string, sha?: string): CheckRun[];
  /** Current comments on a pull request, oldest first. */
  comments(repo: string, number: number): IssueComment[];
  /** Reviews posted to the deployment protection rule callback. */
  protectionReviews(repo?: string, runId?: number): DeploymentProtectionReview[];
  /** The callback URL GitHub puts in a deployment_protection_rule delivery. */
  deploymentCallbackUrl(repo: string, runId: number): string;
  /** Stops the server; in-flight requests are closed. */
  close(): Promise<void>;
}

interface TokenRecord {
  readonly installationId: number;
  expiresAt: Date;
  readonly repositoryIds: ReadonlySet<number> | undefined;
}

const rateLimitRoute: Route = {
  method: "GET",
  pattern: "/rate_limit",
  auth: "installation",
  handler: () => notFound(), // answered in serve(), which owns the budget
};

const ROUTES = [
  rateLimitRoute,
  ...appRoutes,
  ...repoRoutes,
  ...gitRoutes,
  ...checkRoutes,
  ...issueRoutes,
  ...orgRoutes,
  ...actionRoutes,
].map(compile);
const MAX_BODY_BYTES = 25 * 1024 * 1024;

function keyPair(pem: string | undefined): { privateKeyPem: string; publicKey: KeyObject } {
  if (pem) {
    const privateKey = createPrivateKey(pem);
    return { privateKeyPem: pem, publicKey: createPublicKey(privateKey) };
  }
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return { privateKeyPem: privateKey.export({ type: "pkcs8", format: "pem" }).toString(), publicKey };
}

/** Starts the GitHub stand-in on 127.0.0.1 on a free port. Seed `state`, point Octokit's `baseUrl` at `url`. */
export async function startGitHubStandIn(options: GitHubStandInOptions = {}): Promise<GitHubStandIn> {
  const appId = options.appId ?? 424242;
  const appSlug = options.appSlug ?? "sluice-change-control";
  const now = options.now ?? (() => new Date());
  const tokenLifetimeSeconds = options.tokenLifetimeSeconds ?? 3600;
  const hourlyLimit = options.rateLimit ?? 5000;
  let latencyMs = options.latencyMs ?? 0;
  const record = options.record ?? true;
  const { privateKeyPem, publicKey } = keyPair(options.privateKeyPem);
  const state = new GitHubState();
  const app: AppInfo = {
    id: appId,
    slug: appSlug,
    name: "Sluice change control",
    clientId: `Iv23${randomBytes(8).toString("hex")}`,
    owner: "sluice-platform",
    createdAt: "2026-01-05T10:00:00Z",
  };
  state.addUser({ login: app.owner, type: "Organization" });
  state.addUser({ login: `${appSlug}[bot]`, type: "Bot" });
  const calls: RecordedCall[] = [];
  const faults: Fault[] = [];
  const tokens = new Map<string, TokenRecord>();
  const windows = new Map<string, LimitWindow>();
  let objects: Objects | undefined;
  let baseUrl = "";

  const issueToken = (inst: InstallationRecord, repositoryIds: ReadonlySet<number> | undefined) => {
    const token = `ghs_${randomBytes(27).toString("base64url").replace(/[-_]/g, "x")}`;
    const expiresAt = new Date(now().getTime() + tokenLifetimeSeconds * 1000);
    tokens.set(token, { installationId: inst.id, expiresAt, repositoryIds });
    return { token, expiresAt };
  };

  const windowFor = (who: string, limit = hourlyLimit): LimitWindow => {
    const nowSeconds = Math.floor(now().getTime() / 1000);
    let window = windows.get(who);
    if (!window || window.reset <= nowSeconds) {
      window = { limit, used: 0, reset: nowSeconds + 3600 };
      windows.set(who, window);
    }
    return window;
  };

  /**
   * GitHub reports a rate limit on every answer: answers made before authentication (401s, faults) show the
   * token's installation budget when the token is known, else the unauthenticated one (60 an hour, not enforced).
   */
  const withRateLimitHeaders = (reply: Reply, installationId: number | undefined): Reply => {
    if (reply.headers?.["x-ratelimit-limit"] !== undefined) return reply;
    let window: LimitWindow;
    if (installationId !== undefined) {
      window = windowFor(`installation:${installationId}`);
    } else {
      window = windowFor("anonymous", 60);
      window.used = Math.min(window.used + 1, window.limit);
    }
    return { ...reply, headers: { ...rateLimitHeaders(window), ...reply.headers } };
  };

  const canAccess = (token: TokenRecord, repo: RepositoryRecord) =>
    repo.installationId === token.installationId &&
    (!token.repositoryIds || token.repositoryIds.has(repo.id));

  async function serve(
    req: IncomingMessage,
    raw: Buffer,
    id: string,
  ): Promise<{ reply: Reply; call: Omit<RecordedCall, "status" | "at"> }> {
    const method = (req.method ?? "GET").toUpperCase();
    const url = new URL(req.url ?? "/", baseUrl);
    const path = url.pathname.replace(/\/{2,}/g, "/");
    const query = url.searchParams;
    const call = {
      method,
      path,
      url: req.url ?? path,
      query: Object.fromEntries(query),
      body: undefined as unknown,
      auth: "none" as RecordedCall["auth"],
      installationId: undefined as number | undefined,
    };
    if (raw.length > 0) {
      try {
        call.body = JSON.parse(raw.toString("utf8"));
      } catch {
        return { reply: error(400, "Problems parsing JSON"), call };
      }
    }
    const nowSeconds = Math.floor(now().getTime() / 1000);
    const header = req.headers.authorization ?? "";
    const credentials = /^(?:token|bearer)\s+(\S+)$/i.exec(header)?.[1];
    const looksLikeJwt = credentials !== undefined && credentials.split(".").length === 3;
    const token = credentials && !looksLikeJwt ? tokens.get(credentials) : undefined;
    if (token) call.installationId = token.installationId;

    const fault = faults.find((f) => matches(f, method, path));
    if (fault) {
      fault.remaining -= 1;
      fault.hits += 1;
      const who = token ? `installation ID ${token.installationId}` : "this App";
      return { reply: faultReply(fault, id, nowSeconds, who, hourlyLimit), call };
    }

    let route: (typeof ROUTES)[number] | undefined;
    let params: Record<string, string> | undefined;
    for (const candidate of ROUTES) {
      if (candidate.method !== method) continue;
      params = match(candidate, path);
      if (params) {
        route = candidate;
        break;
      }
    }
    if (!route || !params) {
      if (credentials && !looksLikeJwt && !token) return { reply: error(401, "Bad credentials"), call };
      return { reply: notFound(), call };
    }

    let installation: InstallationRecord | undefined;
    let who: string;
    if (route.auth === "jwt") {
      if (!credentials) return { reply: error(401, JWT_MESSAGES.undecodable), call };
      const check = looksLikeJwt
        ? verifyAppJwt(credentials, publicKey, app, nowSeconds)
        : ({ ok: false, message: JWT_MESSAGES.undecodable } as const);
      if (!check.ok) {
        call.auth = "invalid";
        return { reply: error(401, check.message), call };
      }
      call.auth = "jwt";
      who = `app:${appId}`;
    } else {
      if (!credentials) return { reply: error(401, "Requires authentication"), call };
      if (!token || token.expiresAt.getTime() <= now().getTime()) {
        call.auth = "invalid";
        return { reply: error(401, "Bad credentials"), call };
      }
      call.auth = "installation";
      installation = state.installations.get(token.installationId);
      if (!installation) return { reply: error(401, "Bad credentials"), call };
      if (installation.suspended) return { reply: error(403, "This installation has been suspended"), call };
      who = `installation:${installation.id}`;
    }

    const window = windowFor(who);
    if (route.pattern === "/rate_limit") {
      // GitHub does not count this call against the limit it reports.
      const core = {
        limit: window.limit,
        used: window.used,
        remaining: Math.max(0, window.limit - window.used),
        reset: window.reset,
      };
      return {
        reply: { status: 200, body: { resources: { core }, rate: core }, headers: rateLimitHeaders(window) },
        call,
      };
    }
    if (window.used >= window.limit) {
      const label = installation ? `installation ID ${installation.id}` : `app ID ${appId}`;
      return { reply: primaryLimitReply(403, label, window.limit, window.reset), call };
    }
    window.used += 1;
    const limitHeaders = rateLimitHeaders(window);
    const withLimits = (reply: Reply): Reply => ({
      ...reply,
      headers: { ...limitHeaders, ...reply.headers },
    });

    let repo: RepositoryRecord | undefined;
    if (route.auth === "installation" && params.owner !== undefined && params.repo !== undefined) {
      repo = state.repository(`${params.owner}/${params.repo}`);
      if (!repo || !token || !canAccess(token, repo)) return { reply: withLimits(notFound()), call };
    }
    if (installation && route.permissions) {
      const granted = installation.permissions as Record<string, string | undefined>;
      const allowed = route.permissions.some(([name, level]) => {
        const has = granted[name];
        return has === "write" || has === "admin" || (level === "read" && has === "read");
      });
      if (!allowed) {
        const denied = error(403, "Resource not accessible by integration");
        // GitHub names the permissions that would have let the request through.
        const accepted = route.permissions.map(([name, level]) => `${name}=${level}`).join(", ");
        return {
          reply: withLimits({ ...denied, headers: { "x-accepted-github-permissions": accepted } }),
          call,
        };
      }
    }
    objects ??= new Objects(baseUrl, state, app);
    const ctx: RouteContext = {
      method,
      path,
      params,
      query,
      body: call.body,
      state,
      objects,
      app,
      baseUrl,
      installation,
      repo,
      accept: req.headers.accept ?? "",
      canAccess: (r) => token !== undefined && canAccess(token, r),
      now,
      tokenLifetimeSeconds,
      issueToken,
    };
    return { reply: withLimits(route.handler(ctx)), call };
  }

  let inFlight = 0;
  let peak = 0;
  const server = createServer((req, res) => {
    inFlight++;
    peak = Math.max(peak, inFlight);
    res.once("close", () => inFlight--);
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on("end", () => {
      const id = requestId();
      const respond = (reply: Reply, call: Omit<RecordedCall, "status" | "at">) => {
        if (record) calls.push({ ...call, status: reply.status, at: now() });
        send(res, reply, id);
      };
      const run = async () => {
        if (latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, latencyMs));
        if (size > MAX_BODY_BYTES) {
          const url = new URL(req.url ?? "/", baseUrl);
          respond(error(413, "Request body too large"), {
            method: req.method ?? "GET",
            path: url.pathname,
            url: req.url ?? url.pathname,
            query: Object.fromEntries(url.searchParams),
            body: undefined,
            auth: "none",
          });
          return;
        }
        const { reply, call } = await serve(req, Buffer.concat(chunks), id);
        respond(withRateLimitHeaders(reply, call.installationId), call);
      };
      run().catch((err: unknown) => {
        const url = new URL(req.url ?? "/", baseUrl);
        respond(error(500, `stand-in failure: ${err instanceof Error ? err.message : String(err)}`), {
          method: req.method ?? "GET",
          path: url.pathname,
          url: req.url ?? url.pathname,
          query: Object.fromEntries(url.searchParams),
          body: undefined,
          auth: "none",
        });
      });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  baseUrl = `http://127.0.0.1:${port}`;
  objects = new Objects(baseUrl, state, app);

  const sameRepo = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
  return {
    url: baseUrl,
    appId,
    clientId: app.clientId,
    appSlug,
    privateKeyPem,
    state,
    calls,
    fail(rule) {
      const fault: Fault = { rule, remaining: rule.times ?? 1, hits: 0 };
      faults.push(fault);
      return fault;
    },
    clearFaults() {
      faults.length = 0;
    },
    setLatency(ms) {
      latencyMs = ms;
    },
    peakInFlight: () => peak,
    resetPeakInFlight() {
      peak = inFlight;
    },
    expireTokens() {
      const at = now();
      for (const token of tokens.values()) token.expiresAt = at;
    },
    callsTo(method, path) {
      return calls.filter(
        (c) =>
          c.method === method.toUpperCase() &&
          (typeof path === "string" ? c.path === path : path.test(c.path)),
      );
    },
    checkRuns(repo, sha) {
      if (sha !== undefined) return state.checkRunsOn(repo, sha).map((r) => r.run);
      return [...state.checkRuns.values()].filter((r) => sameRepo(r.repo, repo)).map((r) => r.run);
    },
    comments(repo, number) {
      return state.commentsOn(repo, number).map((c) => c.comment);
    },
    protectionReviews(repo, runId) {
      return state.deploymentProtectionReviews.filter(
        (r) => (repo === undefined || sameRepo(r.repo, repo)) && (runId === undefined || r.runId === runId),
      );
    },
    deploymentCallbackUrl(repo, runId) {
      return `${baseUrl}/repos/${repo}/actions/runs/${runId}/deployment_protection_rule`;
    },
    close() {
      return new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      });
    },
  };
}

function send(res: ServerResponse, reply: Reply, id: string): void {
  const headers: Record<string, string> = {
    "x-github-request-id": id,
    "x-github-api-version-selected": "2022-11-28",
    "x-github-media-type": "github.v3; format=json",
    ...reply.headers,
  };
  if (reply.raw) {
    res.writeHead(reply.status, {
      ...headers,
      "x-github-media-type": "github.v3; param=raw",
      "content-type": reply.raw.contentType,
      "content-length": String(reply.raw.bytes.length),
    });
    res.end(reply.raw.bytes);
    return;
  }
  if (reply.status === 204 || reply.body === undefined) {
    res.writeHead(reply.status, headers);
    res.end();
    return;
  }
  const text = JSON.stringify(reply.body, (_key, value: unknown) =>
    typeof value === "bigint" ? Number(value) : value,
  );
  res.writeHead(reply.status, {
    ...headers,
    "content-type": "application/json; charset=utf-8",
    "content-length": String(Buffer.byteLength(text)),
  });
  res.end(text);
}

/** The name CORE's NEEDS.md asked for. */
export const startStandin = startGitHubStandIn;
