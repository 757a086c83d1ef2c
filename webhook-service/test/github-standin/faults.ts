import { randomBytes } from "node:crypto";
import type { Reply } from "./http.ts";

/** A fault to inject: the next `times` matching requests answer with `status` instead of being served. */
export interface FaultRule {
  /** @default any method */
  readonly method?: string;
  /** The request path (no query string) exactly, or a pattern tested against it. */
  readonly path: string | RegExp;
  /** @default 1 */
  readonly times?: number;
  readonly status: 500 | 502 | 503 | 403 | 429;
  /**
   * For 403/429: "primary" (x-ratelimit-remaining: 0 and x-ratelimit-reset) or "secondary" (retry-after).
   * @default "primary" for 403, "secondary" for 429
   */
  readonly rateLimit?: "primary" | "secondary";
  /** Seconds in retry-after (secondary limit). @default 1 */
  readonly retryAfterSeconds?: number;
  /** Seconds until x-ratelimit-reset (primary limit). @default 1 */
  readonly resetInSeconds?: number;
}

export interface Fault {
  readonly rule: FaultRule;
  /** How many more requests this fault will catch. */
  remaining: number;
  /** How many requests it caught so far. */
  hits: number;
}

const RATE_LIMIT_DOCS = "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api";

export function matches(fault: Fault, method: string, path: string): boolean {
  if (fault.remaining <= 0) return false;
  if (fault.rule.method && fault.rule.method.toUpperCase() !== method) return false;
  return typeof fault.rule.path === "string" ? fault.rule.path === path : fault.rule.path.test(path);
}

export function requestId(): string {
  const hex = (n: number) => randomBytes(n).toString("hex").toUpperCase();
  return `${hex(2)}:${hex(2)}:${hex(3)}:${hex(3)}:${hex(4)}`;
}

export interface LimitWindow {
  readonly limit: number;
  used: number;
  /** epoch seconds */
  reset: number;
}

export function rateLimitHeaders(window: LimitWindow, resource = "core"): Record<string, string> {
  return {
    "x-ratelimit-limit": String(window.limit),
    "x-ratelimit-remaining": String(Math.max(0, window.limit - window.used)),
    "x-ratelimit-reset": String(window.reset),
    "x-ratelimit-used": String(window.used),
    "x-ratelimit-resource": resource,
  };
}

/** GitHub's answer when the primary (hourly) rate limit is spent. */
export function primaryLimitReply(
  status: 403 | 429,
  who: string,
  limit: number,
  resetEpochSeconds: number,
): Reply {
  return {
    status,
    body: {
      message: `API rate limit exceeded for ${who}.`,
      documentation_url: `${RATE_LIMIT_DOCS}#about-the-primary-rate-limit`,
      status: String(status),
    },
    headers: rateLimitHeaders({ limit, used: limit, reset: resetEpochSeconds }),
  };
}

export function faultReply(fault: Fault, id: string, nowSeconds: number, who: string, limit: number): Reply {
  const { status } = fault.rule;
  if (status === 403 || status === 429) {
    const kind = fault.rule.rateLimit ?? (status === 403 ? "primary" : "secondary");
    if (kind === "primary")
      return primaryLimitReply(status, who, limit, nowSeconds + (fault.rule.resetInSeconds ?? 1));
    return {
      status,
      body: {
        message: `You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID ${id}.`,
        documentation_url: `${RATE_LIMIT_DOCS}#about-secondary-rate-limits`,
        status: String(status),
      },
      headers: { "retry-after": String(fault.rule.retryAfterSeconds ?? 1) },
    };
  }
  return {
    status,
    body: { message: status === 500 ? "Server Error" : "Bad Gateway", status: String(status) },
  };
}
