import { createAppAuth } from "@octokit/auth-app";
import { retry } from "@octokit/plugin-retry";
import { throttling } from "@octokit/plugin-throttling";
import { Octokit } from "@octokit/rest";
import type { Logger } from "../logger.ts";
import type { Metrics } from "../metrics.ts";
import { githubFetch } from "./http.ts";
import { retryLimiter } from "./retry-limiter.ts";
import { concurrencyGroup, spacingGroup } from "./spacing.ts";
import { expiringTokenCache } from "./token-cache.ts";

export const SluiceOctokit = Octokit.plugin(retry, throttling);
export type GitHubClient = InstanceType<typeof SluiceOctokit>;

/** How @octokit/plugin-request-log words a call answered 404: "GET /path - 404 with id … in 3ms". */
const NOT_FOUND = / - 404 with id /;

export interface GitHubAppOptions {
  readonly appId: string;
  readonly privateKey: string;
  readonly baseUrl: string;
  readonly log: Logger;
  readonly metrics: Metrics;
  /** Retries of a 5xx before the request fails. @default 3 */
  readonly retries?: number;
  /** Base of the retry back-off (retry n waits n² × this). @default 1000 */
  readonly retryBaseMs?: number;
  /** Rate-limit waits longer than this are not waited out in-process: the job is retried later instead. @default 60000 */
  readonly maxRateLimitWaitMs?: number;
  /** Minimum time between two writes of one installation. @default 0 */
  readonly writeIntervalMs?: number;
  /**
   * Requests of one installation running at once in this process. GitHub allows 100 per token (a secondary
   * rate limit); two replicas at the default stay under it. @default 40
   */
  readonly maxConcurrentRequests?: number;
  /** An installation token is renewed once it has less than this left. @default 300000 (5 minutes) */
  readonly tokenRefreshMarginMs?: number;
  /** The clock the token cache reads (tests move it). @default Date.now */
  readonly now?: () => number;
}

export interface GitHubApp {
  /** An Octokit authenticated as the installation; its token is cached until shortly before its expires_at. */
  installation(installationId: number): GitHubClient;
}

/** GitHub through the App: one Octokit per installation (REST only), with retry, throttling and metrics. */
export function createGitHubApp(options: GitHubAppOptions): GitHubApp {
  const clients = new Map<number, GitHubClient>();
  const cache = expiringTokenCache(options.tokenRefreshMarginMs, options.now);
  const write = spacingGroup(options.writeIntervalMs ?? 0);
  const notifications = spacingGroup(options.writeIntervalMs ?? 0);
  const global = concurrencyGroup(options.maxConcurrentRequests ?? 40);
  const http = githubFetch();
  const maxWaitS = (options.maxRateLimitWaitMs ?? 60_000) / 1000;
  // One retry, and only for a wait the job can afford; the check run says so when it gives up.
  const waitOutLimit =
    (message: string) =>
    (retryAfter: number, request: { method: string; url: string }, _o: unknown, retryCount: number) => {
      options.log.warn({ retryAfter, route: `${request.method} ${request.url}`, retryCount }, message);
      return retryCount < 1 && retryAfter <= maxWaitS;
    };
  return {
    installation(installationId) {
      let client = clients.get(installationId);
      if (client) return client;
      client = new SluiceOctokit({
        baseUrl: options.baseUrl,
        authStrategy: createAppAuth,
        auth: { appId: options.appId, privateKey: options.privateKey, installationId, cache },
        userAgent: "sluice-change-control",
        request: { fetch: http.fetch },
        log: {
          debug: () => {},
          info: () => {},
          warn: (message: string) => options.log.warn({ github: true }, message),
          // Octokit's request log reports every failed call as an error; a 404 is how a file that is not there
          // (CODEOWNERS in two of its three places, an optional glossary) answers, so it is not one.
          error: (message: string) =>
            NOT_FOUND.test(message)
              ? options.log.debug({ github: true }, message)
              : options.log.error({ github: true }, message),
        },
        retry: {
          retries: options.retries ?? 3,
          retryAfterBaseValue: options.retryBaseMs ?? 1000,
          // The plugin's own list plus 429, which belongs to the throttling plugin: it waits the retry-after
          // GitHub asks for, or gives up. The retry plugin would try again after a second, and GitHub may ban an
          // integration that keeps calling through a secondary limit.
          doNotRetry: [400, 401, 403, 404, 410, 422, 429, 451],
        },
        throttle: {
          id: String(installationId),
          retryAfterBaseValue: 1000,
          // The plugin only calls key(id).schedule(...) on its groups; ours space writes per installation and
          // bound concurrent requests at what GitHub allows rather than the plugin's 10. No Bottleneck is left
          // in the plugin: its timer hops cost about 8 ms of idle time per call (retry-limiter.ts). `global`,
          // `retryLimiter`, `auth` and `search` are read by the plugin but missing from its option type.
          ...({
            global,
            retryLimiter: retryLimiter(),
            auth: concurrencyGroup(1),
            search: spacingGroup(2000),
          } as Record<string, unknown>),
          write: write as never,
          notifications: notifications as never,
          onRateLimit: waitOutLimit("GitHub rate limit"),
          onSecondaryRateLimit: waitOutLimit("GitHub secondary rate limit"),
        },
      });
      const { metrics } = options;
      const installation = String(installationId);
      client.hook.after("request", (response, request) => {
        metrics.githubCalls.inc({
          method: request.method,
          route: routeLabel(request.url),
          status: `${String(response.status)[0]}xx`,
        });
        const remaining = response.headers["x-ratelimit-remaining"];
        if (remaining !== undefined) metrics.rateLimitRemaining.set({ installation }, Number(remaining));
      });
      client.hook.error("request", (error, request) => {
        const status = (error as { status?: number }).status ?? 0;
        metrics.githubCalls.inc({
          method: request.method,
          route: routeLabel(request.url),
          status: `${String(status)[0]}xx`,
        });
        metrics.githubErrors.inc({ status: String(status) });
        const headers = (error as { response?: { headers?: Record<string, string> } }).response?.headers;
        const remaining = headers?.["x-ratelimit-remaining"];
        if (remaining !== undefined) metrics.rateLimitRemaining.set({ installation }, Number(remaining));
        throw error;
      });
      clients.set(installationId, client);
      return client;
    },
  };
}

/**
 * The route template of a request for the metrics label. Octokit gives the template ("/repos/{owner}/{repo}/
 * pulls/{pull_number}") for a first request, but pagination asks for each page by its full URL; labelled as
 * is, every pull request and page would be a new time series. Concrete owner, repo and numeric segments
 * become placeholders; the origin and the query are dropped.
 */
export function routeLabel(url: string): string {
  if (!/^https?:\/\//.test(url)) return url.split("?")[0] ?? url;
  const path = new URL(url).pathname;
  return path
    .replace(/^\/api\/v3(?=\/)/, "")
    .replace(/^\/repos\/[^/]+\/[^/]+/, "/repos/{owner}/{repo}")
    .replace(/\/\d+(?=\/|$)/g, "/{n}");
}
