import {
  invalidRequest,
  isRecord,
  json,
  noContent,
  notFound,
  paginate,
  type Reply,
  validationFailed,
} from "./http.ts";
import { intParam, type Route, type RouteContext } from "./route.ts";
import type { CommentRecord } from "./state.ts";

/** GitHub refuses a comment body longer than this. */
export const MAX_COMMENT_CHARS = 65_536;
const DOCS = "https://docs.github.com/rest/issues/comments";

const canRead = [
  ["issues", "read"],
  ["pull_requests", "read"],
] as const;
const canWrite = [
  ["issues", "write"],
  ["pull_requests", "write"],
] as const;

function commentBody(body: unknown): string | Reply {
  if (!isRecord(body) || body.body === undefined) return invalidRequest(`"body" wasn't supplied.`, DOCS);
  if (typeof body.body !== "string")
    return invalidRequest("Invalid property /body: not of type `string`.", DOCS);
  if (body.body.length > MAX_COMMENT_CHARS) {
    return validationFailed(
      [
        {
          resource: "IssueComment",
          field: "body",
          code: "custom",
          message: `body is too long (maximum is ${MAX_COMMENT_CHARS} characters)`,
        },
      ],
      DOCS,
    );
  }
  return body.body;
}

function commentOf(ctx: RouteContext): CommentRecord | undefined {
  const id = intParam(ctx, "comment_id");
  const found = id === undefined ? undefined : ctx.state.comments.get(id);
  return found && ctx.repo && found.repo.toLowerCase() === ctx.repo.fullName.toLowerCase()
    ? found
    : undefined;
}

function stamp(ctx: RouteContext): string {
  return ctx
    .now()
    .toISOString()
    .replace(/\.\d{3}Z$/, "Z");
}

/** Issue (pull request conversation) comments. Only pull requests exist as issues in the stand-in. */
export const issueRoutes: readonly Route[] = [
  {
    method: "GET",
    pattern: "/repos/:owner/:repo/issues/:issue_number/comments",
    auth: "installation",
    permissions: canRead,
    handler: (ctx) => {
      const number = intParam(ctx, "issue_number");
      if (!ctx.repo || number === undefined || !ctx.state.pullRequest(ctx.repo.fullName, number))
        return notFound();
      const since = ctx.query.get("since");
      const all = ctx.state
        .commentsOn(ctx.repo.fullName, number)
        .map((c) => c.comment)
        .filter((c) => since === null || Date.parse(c.updated_at) >= Date.parse(since))
        .sort((a, b) => Number(a.id) - Number(b.id));
      const page = paginate(ctx.baseUrl, ctx.path, ctx.query, all);
      return json(200, page.items, page.headers);
    },
  },
  {
    method: "POST",
    pattern: "/repos/:owner/:repo/issues/:issue_number/comments",
    auth: "installation",
    permissions: canWrite,
    handler: (ctx) => {
      const number = intParam(ctx, "issue_number");
      if (!ctx.repo || number === undefined || !ctx.state.pullRequest(ctx.repo.fullName, number))
        return notFound();
      const body = commentBody(ctx.body);
      if (typeof body !== "string") return body;
      const id = ctx.state.newId();
      const comment = ctx.objects.issueComment(ctx.repo.fullName, number, id, body, stamp(ctx));
      ctx.state.addComment({ repo: ctx.repo.fullName, issueNumber: number, comment });
      return json(201, comment);
    },
  },
  {
    method: "GET",
    pattern: "/repos/:owner/:repo/issues/comments/:comment_id",
    auth: "installation",
    permissions: canRead,
    handler: (ctx) => {
      const found = commentOf(ctx);
      return found ? json(200, found.comment) : notFound();
    },
  },
  {
    method: "PATCH",
    pattern: "/repos/:owner/:repo/issues/comments/:comment_id",
    auth: "installation",
    permissions: canWrite,
    handler: (ctx) => {
      const found = commentOf(ctx);
      if (!found) return notFound();
      const body = commentBody(ctx.body);
      if (typeof body !== "string") return body;
      found.comment.body = body;
      found.comment.updated_at = stamp(ctx);
      return json(200, found.comment);
    },
  },
  {
    method: "DELETE",
    pattern: "/repos/:owner/:repo/issues/comments/:comment_id",
    auth: "installation",
    permissions: canWrite,
    handler: (ctx) => {
      const found = commentOf(ctx);
      if (!found) return notFound();
      ctx.state.deleteComment(Number(found.comment.id));
      return noContent();
    },
  },
];
