import type { BasicError, ValidationError } from "./schemas.ts";

/** What a route handler answers; the server adds GitHub's common headers. */
export interface Reply {
  readonly status: number;
  /** Sent as JSON. */
  readonly body?: unknown;
  /** Sent as is, instead of `body` (the raw media type). */
  readonly raw?: { readonly bytes: Buffer; readonly contentType: string };
  readonly headers?: Readonly<Record<string, string>>;
}

export const DOCS = "https://docs.github.com/rest";

export function json(status: number, body: unknown, headers?: Record<string, string>): Reply {
  return headers ? { status, body, headers } : { status, body };
}

export function noContent(): Reply {
  return { status: 204 };
}

export function error(status: number, message: string, documentationUrl = DOCS): Reply {
  const body: BasicError = { message, documentation_url: documentationUrl, status: String(status) };
  return { status, body };
}

export function notFound(): Reply {
  return error(404, "Not Found");
}

export interface FieldError {
  readonly resource: string;
  readonly field: string;
  readonly code: "missing_field" | "invalid" | "missing" | "already_exists" | "unprocessable" | "custom";
  readonly message?: string;
}

/** GitHub's 422 for a body that parsed but does not validate. */
export function validationFailed(errors: readonly FieldError[], documentationUrl = DOCS): Reply {
  const body: ValidationError & { status: string } = {
    message: "Validation Failed",
    errors: errors.map((e) => ({ ...e })),
    documentation_url: documentationUrl,
    status: "422",
  };
  return { status: 422, body };
}

/** GitHub's 422 for a body missing a required parameter or of the wrong type (schema validation). */
export function invalidRequest(detail: string, documentationUrl = DOCS): Reply {
  return error(422, `Invalid request.\n\n${detail}`, documentationUrl);
}

export interface Page<T> {
  readonly items: T[];
  readonly headers: Record<string, string>;
}

/**
 * GitHub's page-number pagination: `per_page` (default 30, at most 100) and `page`, with a `Link` header
 * naming the next, last, first and previous pages, absent when everything fits on one page.
 * `cap` is the most items GitHub will ever list (e.g. 3000 pull request files).
 */
export function paginate<T>(
  baseUrl: string,
  path: string,
  query: URLSearchParams,
  all: readonly T[],
  cap = Number.POSITIVE_INFINITY,
): Page<T> {
  const listed = all.length > cap ? all.slice(0, cap) : all;
  const perPage = clamp(Number.parseInt(query.get("per_page") ?? "", 10), 30, 1, 100);
  const page = clamp(Number.parseInt(query.get("page") ?? "", 10), 1, 1, Number.MAX_SAFE_INTEGER);
  const lastPage = Math.max(1, Math.ceil(listed.length / perPage));
  const items = listed.slice((page - 1) * perPage, page * perPage);
  const headers: Record<string, string> = {};
  if (lastPage > 1) {
    const href = (n: number) => {
      const q = new URLSearchParams(query);
      q.set("page", String(n));
      if (query.has("per_page")) q.set("per_page", String(perPage));
      return `<${baseUrl}${path}?${q.toString()}>`;
    };
    const links: string[] = [];
    if (page > 1) links.push(`${href(Math.min(page - 1, lastPage))}; rel="prev"`);
    if (page < lastPage) links.push(`${href(page + 1)}; rel="next"`, `${href(lastPage)}; rel="last"`);
    if (page > 1) links.push(`${href(1)}; rel="first"`);
    if (links.length > 0) headers.link = links.join(", ");
  }
  return { items, headers };
}

function clamp(value: number, fallback: number, min: number, max: number): number {
  if (!Number.isFinite(value) || value < min) return fallback;
  return Math.min(value, max);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
