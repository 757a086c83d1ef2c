import { error, json, notFound, paginate } from "./http.ts";
import { MAX_INLINE_CONTENT_BYTES } from "./objects.ts";
import { intParam, type Route, type RouteContext } from "./route.ts";
import type { ContentDirectory } from "./schemas.ts";
import type { PullRequestRecord } from "./state.ts";

/** GitHub lists at most 3000 files of a pull request and 250 of its commits. */
export const MAX_PULL_FILES = 3000;
export const MAX_PULL_COMMITS = 250;
/** The contents API serves files up to 100 MB (over 1 MB only as raw or object media types). */
const MAX_CONTENT_BYTES = 100 * 1024 * 1024;

function repoPulls(ctx: RouteContext): PullRequestRecord[] {
  const name = ctx.repo?.fullName.toLowerCase();
  return [...ctx.state.pullRequests.values()].filter((pr) => pr.repo.toLowerCase() === name);
}

function pullOf(ctx: RouteContext): PullRequestRecord | undefined {
  const number = intParam(ctx, "pull_number");
  return number === undefined || !ctx.repo ? undefined : ctx.state.pullRequest(ctx.repo.fullName, number);
}

const read = (name: "pull_requests" | "contents" | "metadata") => [[name, "read"]] as const;

/** Repository, pull request and contents reads. */
export const repoRoutes: readonly Route[] = [
  {
    method: "GET",
    pattern: "/repos/:owner/:repo",
    auth: "installation",
    permissions: read("metadata"),
    handler: (ctx) => (ctx.repo ? json(200, ctx.objects.fullRepository(ctx.repo)) : notFound()),
  },
  {
    method: "GET",
    pattern: "/repos/:owner/:repo/pulls",
    auth: "installation",
    permissions: read("pull_requests"),
    handler: (ctx) => {
      const state = ctx.query.get("state") ?? "open";
      if (!["open", "closed", "all"].includes(state)) {
        return error(422, `Invalid request.\n\nstate must be one of open, closed, all; got ${state}`);
      }
      const head = ctx.query.get("head");
      const base = ctx.query.get("base");
      const direction = ctx.query.get("direction") ?? "desc";
      const pulls = repoPulls(ctx)
        .filter((pr) => state === "all" || pr.state === state)
        .filter((pr) => {
          if (!head) return true;
          const [owner, ref] = head.includes(":") ? head.split(":", 2) : [undefined, head];
          const headOwner = pr.head.repo.split("/")[0]?.toLowerCase();
          return pr.head.ref === ref && (owner === undefined || headOwner === owner?.toLowerCase());
        })
        .filter((pr) => !base || pr.base.ref === base)
        .sort((a, b) =>
          a.createdAt === b.createdAt ? a.number - b.number : a.createdAt < b.createdAt ? -1 : 1,
        );
      if (direction === "desc") pulls.reverse();
      const page = paginate(ctx.baseUrl, ctx.path, ctx.query, pulls);
      return json(
        200,
        page.items.map((pr) => ctx.objects.pullRequestSimple(pr)),
        page.headers,
      );
    },
  },
  {
    method: "GET",
    pattern: "/repos/:owner/:repo/pulls/:pull_number",
    auth: "installation",
    permissions: read("pull_requests"),
    handler: (ctx) => {
      const pr = pullOf(ctx);
      return pr ? json(200, ctx.objects.pullRequest(pr)) : notFound();
    },
  },
  {
    method: "GET",
    pattern: "/repos/:owner/:repo/pulls/:pull_number/files",
    auth: "installation",
    permissions: read("pull_requests"),
    handler: (ctx) => {
      const pr = pullOf(ctx);
      if (!pr) return notFound();
      const page = paginate(ctx.baseUrl, ctx.path, ctx.query, pr.files, MAX_PULL_FILES);
      return json(
        200,
        page.items.map((f) => ctx.objects.diffEntry(pr.head.repo, pr.head.sha, f)),
        page.headers,
      );
    },
  },
  {
    method: "GET",
    pattern: "/repos/:owner/:repo/pulls/:pull_number/commits",
    auth: "installation",
    permissions: read("pull_requests"),
    handler: (ctx) => {
      const pr = pullOf(ctx);
      if (!pr) return notFound();
      const page = paginate(ctx.baseUrl, ctx.path, ctx.query, pr.commits, MAX_PULL_COMMITS);
      return json(
        200,
        page.items.map((c) => ctx.objects.commit(pr.repo, c)),
        page.headers,
      );
    },
  },
  {
    method: "GET",
    pattern: "/repos/:owner/:repo/pulls/:pull_number/reviews",
    auth: "installation",
    permissions: read("pull_requests"),
    handler: (ctx) => {
      const pr = pullOf(ctx);
      if (!pr) return notFound();
      // A pending review is visible only to its author, never to an App.
      const visible = pr.reviews.filter((r) => r.state !== "PENDING");
      const page = paginate(ctx.baseUrl, ctx.path, ctx.query, visible);
      return json(
        200,
        page.items.map((r) => ctx.objects.review(pr, r)),
        page.headers,
      );
    },
  },
  {
    method: "GET",
    pattern: "/repos/:owner/:repo/commits/:commit_sha/pulls",
    auth: "installation",
    permissions: read("pull_requests"),
    handler: (ctx) => {
      const sha = ctx.params.commit_sha ?? "";
      const pulls = repoPulls(ctx)
        .filter((pr) => pr.head.sha === sha || pr.commits.some((c) => c.sha === sha))
        .sort((a, b) => (a.state === b.state ? b.number - a.number : a.state === "open" ? -1 : 1));
      const page = paginate(ctx.baseUrl, ctx.path, ctx.query, pulls);
      return json(
        200,
        page.items.map((pr) => ctx.objects.pullRequestSimple(pr)),
        page.headers,
      );
    },
  },
  {
    method: "GET",
    pattern: "/repos/:owner/:repo/contents",
    auth: "installation",
    permissions: read("contents"),
    handler: (ctx) => contents(ctx, ""),
  },
  {
    method: "GET",
    pattern: "/repos/:owner/:repo/contents/*path",
    auth: "installation",
    permissions: read("contents"),
    handler: (ctx) => contents(ctx, ctx.params.path ?? ""),
  },
];

function contents(ctx: RouteContext, rawPath: string) {
  const repo = ctx.repo;
  if (!repo) return notFound();
  const path = rawPath.replace(/^\/+|\/+$/g, "");
  const refParam = ctx.query.get("ref");
  const ref = refParam || repo.defaultBranch;
  const files = ctx.state.contentsAt(repo.fullName, ref);
  if (!files) {
    return refParam ? error(404, `No commit found for the ref ${refParam}`) : notFound();
  }
  const bytes = files.get(path);
  const media = /application\/vnd\.github(?:\.v3)?\.(raw|object)\b/.exec(ctx.accept)?.[1];
  if (bytes) {
    if (bytes.length > MAX_CONTENT_BYTES) return error(403, "This API returns blobs up to 100 MB in size.");
    // GitHub labels raw file bytes text/plain (which is why Octokit hands them back as a string).
    if (media === "raw") return { status: 200, raw: { bytes, contentType: "text/plain; charset=utf-8" } };
    if (media !== "object" && bytes.length > MAX_INLINE_CONTENT_BYTES) {
      return {
        status: 403,
        body: {
          message:
            "This API returns blobs up to 1 MB in size. The requested blob is too large to fetch via the API, but you can use the Git Data API to request blobs up to 100 MB in size.",
          errors: [{ resource: "Blob", field: "data", code: "too_large" }],
          documentation_url: "https://docs.github.com/rest/repos/contents#get-repository-content",
          status: "403",
        },
      };
    }
    return json(200, ctx.objects.contentFile(repo.fullName, ref, path, bytes));
  }
  const prefix = path === "" ? "" : `${path}/`;
  const entries = new Map<string, "file" | "dir">();
  for (const name of files.keys()) {
    if (!name.startsWith(prefix)) continue;
    const [first, ...rest] = name.slice(prefix.length).split("/");
    if (first) entries.set(first, rest.length > 0 ? "dir" : (entries.get(first) ?? "file"));
  }
  if (entries.size === 0) return notFound();
  const listing: ContentDirectory = [...entries.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, type]) => {
      const child = `${prefix}${name}`;
      if (type === "file") {
        const {
          content: _content,
          encoding: _encoding,
          ...entry
        } = ctx.objects.contentFile(repo.fullName, ref, child, files.get(child) ?? Buffer.alloc(0));
        return entry;
      }
      const self = `${ctx.baseUrl}/repos/${repo.fullName}/contents/${child}?ref=${ref}`;
      const html = `${ctx.objects.html}/${repo.fullName}/tree/${ref}/${child}`;
      return {
        type,
        size: 0,
        name,
        path: child,
        sha: "0000000000000000000000000000000000000000",
        url: self,
        git_url: null,
        html_url: html,
        download_url: null,
        _links: { self, git: null, html },
      };
    });
  if (media === "object") {
    const self = `${ctx.baseUrl}/repos/${repo.fullName}/contents/${path}?ref=${ref}`;
    const html = `${ctx.objects.html}/${repo.fullName}/tree/${ref}/${path}`;
    return json(200, {
      type: "dir",
      size: 0,
      name: path.split("/").at(-1) ?? "",
      path,
      sha: "0000000000000000000000000000000000000000",
      url: self,
      git_url: null,
      html_url: html,
      download_url: null,
      _links: { self, git: null, html },
      entries: listing,
    });
  }
  return json(200, listing);
}
