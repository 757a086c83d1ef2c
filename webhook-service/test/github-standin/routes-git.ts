import { createHash } from "node:crypto";
import { error, invalidRequest, isRecord, json, notFound, type Reply, validationFailed } from "./http.ts";
import { gitBlobSha } from "./objects.ts";
import type { Route, RouteContext } from "./route.ts";
import type { FileCommit, GitRef } from "./schemas.ts";
import type { RepositoryRecord } from "./state.ts";

/**
 * The writes that open a pull request from a branch, as `sluice promote --pr` makes them: read a
 * branch's ref, create a branch, commit one file on it (the contents API), open the pull request.
 */

const DOCS = "https://docs.github.com/rest";
const write = (name: "contents" | "pull_requests") => [[name, "write"]] as const;

function gitRef(ctx: RouteContext, repo: RepositoryRecord, ref: string, sha: string): GitRef {
  const api = `${ctx.baseUrl}/repos/${repo.fullName}`;
  return {
    ref,
    node_id: ctx.objects.nodeId("Ref", `${repo.fullName}:${ref}`),
    url: `${api}/git/${ref}`,
    object: { type: "commit", sha, url: `${api}/git/commits/${sha}` },
  };
}

/** A commit sha for a new commit: derived from its parent, message and content, like git's. */
function commitSha(parent: string, message: string, path: string, bytes: Buffer): string {
  return createHash("sha1").update(`${parent}\n${message}\n${path}\n`).update(bytes).digest("hex");
}

function putContents(ctx: RouteContext, rawPath: string): Reply {
  const repo = ctx.repo;
  if (!repo) return notFound();
  const path = rawPath.replace(/^\/+|\/+$/g, "");
  const docs = `${DOCS}/repos/contents#create-or-update-file-contents`;
  const body = ctx.body;
  if (!isRecord(body)) return invalidRequest("Invalid request body.", docs);
  if (typeof body.message !== "string") return invalidRequest(`"message" wasn't supplied.`, docs);
  if (typeof body.content !== "string") return invalidRequest(`"content" wasn't supplied.`, docs);
  const branch = typeof body.branch === "string" ? body.branch : repo.defaultBranch;
  const parent = repo.branches.get(branch);
  if (!parent) return error(404, `Branch ${branch} not found`, docs);
  const files = ctx.state.contentsAt(repo.fullName, branch) ?? new Map<string, Buffer>();
  const existing = files.get(path);
  if (existing) {
    if (body.sha === undefined) return invalidRequest(`"sha" wasn't supplied.`, docs);
    if (body.sha !== gitBlobSha(existing))
      return error(409, `${path} does not match ${String(body.sha)}`, docs);
  }
  const bytes = Buffer.from(body.content, "base64");
  const sha = commitSha(parent, body.message, path, bytes);
  const next = new Map(files);
  next.set(path, bytes);
  repo.contents.set(sha, next);
  if (repo.contents.has(branch)) repo.contents.set(branch, next);
  ctx.state.setBranch(repo.fullName, branch, sha);
  const file = ctx.objects.contentFile(repo.fullName, branch, path, bytes);
  const links = { self: file._links.self, git: file._links.git ?? "", html: file._links.html ?? "" };
  const content = {
    name: file.name,
    path: file.path,
    sha: file.sha,
    size: file.size,
    url: file.url,
    html_url: file.html_url ?? "",
    git_url: file.git_url ?? "",
    download_url: file.download_url ?? "",
    type: "file",
    _links: links,
  };
  const api = `${ctx.baseUrl}/repos/${repo.fullName}`;
  const at = ctx.now().toISOString();
  const reply: FileCommit = {
    content,
    commit: {
      sha,
      node_id: ctx.objects.nodeId("Commit", sha),
      url: `${api}/git/commits/${sha}`,
      html_url: `${ctx.objects.html}/${repo.fullName}/commit/${sha}`,
      author: { date: at, name: ctx.objects.botLogin(), email: "bot@users.noreply.github.com" },
      committer: { date: at, name: "GitHub", email: "noreply@github.com" },
      message: body.message,
      parents: [
        {
          sha: parent,
          url: `${api}/git/commits/${parent}`,
          html_url: `${ctx.objects.html}/${repo.fullName}/commit/${parent}`,
        },
      ],
    },
  };
  return json(existing ? 200 : 201, reply);
}

/** A file's lines, a final newline ending the last line rather than starting an empty one. */
function lines(bytes: Buffer): string[] {
  const all = bytes.toString("utf8").split("\n");
  if (all.at(-1) === "") all.pop();
  return all;
}

export const gitRoutes: readonly Route[] = [
  {
    method: "GET",
    pattern: "/repos/:owner/:repo/git/ref/*path",
    auth: "installation",
    permissions: [["contents", "read"]],
    handler: (ctx) => {
      const repo = ctx.repo;
      const name = ctx.params.path ?? "";
      const sha = repo && name.startsWith("heads/") ? repo.branches.get(name.slice(6)) : undefined;
      return repo && sha ? json(200, gitRef(ctx, repo, `refs/${name}`, sha)) : notFound();
    },
  },
  {
    method: "POST",
    pattern: "/repos/:owner/:repo/git/refs",
    auth: "installation",
    permissions: write("contents"),
    handler: (ctx) => {
      const repo = ctx.repo;
      if (!repo) return notFound();
      const body = ctx.body;
      const docs = `${DOCS}/git/refs#create-a-reference`;
      if (!isRecord(body) || typeof body.ref !== "string")
        return invalidRequest(`"ref" wasn't supplied.`, docs);
      if (typeof body.sha !== "string") return invalidRequest(`"sha" wasn't supplied.`, docs);
      if (!/^refs\/[^/]+\/.+/.test(body.ref)) {
        return error(422, "Reference name must start with 'refs/' and have at least two slashes.", docs);
      }
      if (!body.ref.startsWith("refs/heads/")) return error(422, "Only branches are supported here", docs);
      const branch = body.ref.slice("refs/heads/".length);
      if (repo.branches.has(branch)) return error(422, "Reference already exists", docs);
      if (!repo.shas.has(body.sha)) return error(422, "Object does not exist", docs);
      ctx.state.setBranch(repo.fullName, branch, body.sha);
      return json(201, gitRef(ctx, repo, body.ref, body.sha));
    },
  },
  {
    method: "PUT",
    pattern: "/repos/:owner/:repo/contents/*path",
    auth: "installation",
    permissions: write("contents"),
    handler: (ctx) => putContents(ctx, ctx.params.path ?? ""),
  },
  {
    method: "POST",
    pattern: "/repos/:owner/:repo/pulls",
    auth: "installation",
    permissions: write("pull_requests"),
    handler: (ctx) => {
      const repo = ctx.repo;
      if (!repo) return notFound();
      const body = ctx.body;
      const docs = `${DOCS}/pulls/pulls#create-a-pull-request`;
      if (!isRecord(body) || typeof body.head !== "string")
        return invalidRequest(`"head" wasn't supplied.`, docs);
      if (typeof body.base !== "string") return invalidRequest(`"base" wasn't supplied.`, docs);
      if (typeof body.title !== "string") return invalidRequest(`"title" wasn't supplied.`, docs);
      const head = body.head.includes(":") ? (body.head.split(":")[1] ?? "") : body.head;
      const headSha = repo.branches.get(head);
      const baseSha = repo.branches.get(body.base);
      const invalid = [
        ...(headSha ? [] : [{ resource: "PullRequest", field: "head", code: "invalid" as const }]),
        ...(baseSha ? [] : [{ resource: "PullRequest", field: "base", code: "invalid" as const }]),
      ];
      if (!headSha || !baseSha) return validationFailed(invalid, docs);
      const open = [...ctx.state.pullRequests.values()].find(
        (pr) =>
          pr.repo === repo.fullName &&
          pr.state === "open" &&
          pr.head.ref === head &&
          pr.base.ref === body.base,
      );
      if (open) {
        return validationFailed(
          [
            {
              resource: "PullRequest",
              field: "",
              code: "custom",
              message: `A pull request already exists for ${repo.owner}:${head}.`,
            },
          ],
          docs,
        );
      }
      const before = ctx.state.contentsAt(repo.fullName, baseSha) ?? new Map<string, Buffer>();
      const after = ctx.state.contentsAt(repo.fullName, headSha) ?? new Map<string, Buffer>();
      const files = [...after].flatMap(([filename, bytes]) => {
        const old = before.get(filename);
        if (old?.equals(bytes)) return [];
        const a = old ? lines(old) : [];
        const b = lines(bytes);
        return [
          {
            filename,
            status: old ? ("modified" as const) : ("added" as const),
            additions: b.filter((line, i) => a[i] !== line).length,
            deletions: a.filter((line, i) => b[i] !== line).length,
          },
        ];
      });
      const number =
        Math.max(
          0,
          ...[...ctx.state.pullRequests.values()]
            .filter((pr) => pr.repo === repo.fullName)
            .map((pr) => pr.number),
        ) + 1;
      const pr = ctx.state.addPullRequest(repo.fullName, {
        number,
        title: body.title,
        body: typeof body.body === "string" ? body.body : null,
        user: ctx.objects.botLogin(),
        head: { sha: headSha, ref: head },
        base: { sha: baseSha, ref: body.base },
        draft: body.draft === true,
        files,
        createdAt: ctx.now().toISOString(),
      });
      return json(201, ctx.objects.pullRequest(pr));
    },
  },
];
