import type { Reply } from "./http.ts";
import type { AppInfo, Objects } from "./objects.ts";
import type { AppPermissions } from "./schemas.ts";
import type { GitHubState, InstallationRecord, RepositoryRecord } from "./state.ts";

export type PermissionName = keyof AppPermissions & string;

/** What a handler sees of one request. */
export interface RouteContext {
  readonly method: string;
  readonly path: string;
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  readonly body: unknown;
  readonly state: GitHubState;
  readonly objects: Objects;
  readonly app: AppInfo;
  readonly baseUrl: string;
  /** The installation whose token authenticated the request (installation routes). */
  readonly installation: InstallationRecord | undefined;
  /** The repository named by /repos/{owner}/{repo}, already checked against the token. */
  readonly repo: RepositoryRecord | undefined;
  /** The request's Accept header (media types such as application/vnd.github.raw+json). */
  readonly accept: string;
  /** Whether the request's installation token reaches a repository (its installation's, narrowed if scoped). */
  readonly canAccess: (repo: RepositoryRecord) => boolean;
  readonly now: () => Date;
  readonly tokenLifetimeSeconds: number;
  readonly issueToken: (
    installation: InstallationRecord,
    repositoryIds: ReadonlySet<number> | undefined,
  ) => {
    token: string;
    expiresAt: Date;
  };
}

export interface Route {
  readonly method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  /** e.g. "/repos/:owner/:repo/check-runs/:check_run_id"; a trailing "*" param takes the rest of the path. */
  readonly pattern: string;
  /** "jwt": the App's JWT (the /app endpoints); "installation": an installation access token. */
  readonly auth: "jwt" | "installation";
  /** Any one of these installation permissions lets the request through (GitHub: 403 otherwise). */
  readonly permissions?: readonly (readonly [PermissionName, "read" | "write"])[];
  readonly handler: (ctx: RouteContext) => Reply;
}

export interface CompiledRoute extends Route {
  readonly regex: RegExp;
  readonly names: readonly string[];
}

export function compile(route: Route): CompiledRoute {
  const names: string[] = [];
  const source = route.pattern
    .split("/")
    .map((segment) => {
      if (segment === "*path") {
        names.push("path");
        return "(.+)";
      }
      if (segment.startsWith(":")) {
        names.push(segment.slice(1));
        return "([^/]+)";
      }
      return segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    })
    .join("/");
  return { ...route, regex: new RegExp(`^${source}/?$`), names };
}

export function match(route: CompiledRoute, path: string): Record<string, string> | undefined {
  const m = route.regex.exec(path);
  if (!m) return undefined;
  const params: Record<string, string> = {};
  route.names.forEach((name, i) => {
    params[name] = decodeURIComponent(m[i + 1] ?? "");
  });
  return params;
}

export function intParam(ctx: RouteContext, name: string): number | undefined {
  const raw = ctx.params[name];
  if (raw === undefined || !/^\d+$/.test(raw)) return undefined;
  return Number(raw);
}
