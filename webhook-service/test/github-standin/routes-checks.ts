import {
  error,
  type FieldError,
  invalidRequest,
  isRecord,
  json,
  notFound,
  paginate,
  validationFailed,
} from "./http.ts";
import { intParam, type Route, type RouteContext } from "./route.ts";
import type { CheckRun } from "./schemas.ts";
import type { CheckRunRecord, RepositoryRecord } from "./state.ts";

const DOCS_CREATE = "https://docs.github.com/rest/checks/runs#create-a-check-run";
const DOCS_UPDATE = "https://docs.github.com/rest/checks/runs#update-a-check-run";

const STATUSES = ["queued", "in_progress", "completed"] as const;
const CONCLUSIONS = [
  "action_required",
  "cancelled",
  "failure",
  "neutral",
  "success",
  "skipped",
  "timed_out",
] as const;
const ANNOTATION_LEVELS = ["notice", "warning", "failure"];
/** GitHub's limits on a check run's output. */
export const MAX_OUTPUT_CHARS = 65_535;
export const MAX_ANNOTATIONS_PER_REQUEST = 50;

interface ValidBody {
  name?: string;
  head_sha?: string;
  status?: CheckRun["status"];
  conclusion?: NonNullable<CheckRun["conclusion"]>;
  started_at?: string;
  completed_at?: string;
  external_id?: string;
  details_url?: string;
  output?: { title: string; summary: string; text?: string; annotations: unknown[] };
  actions?: unknown[];
}

function isoDate(value: unknown): boolean {
  return (
    typeof value === "string" &&
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/.test(value) &&
    !Number.isNaN(Date.parse(value))
  );
}

/** Validates a create/update body the way GitHub's schema and check-run rules do. */
function validate(
  body: unknown,
  creating: boolean,
  docs: string,
): ValidBody | ReturnType<typeof invalidRequest> {
  if (!isRecord(body)) return invalidRequest("Body must be a JSON object.", docs);
  const b = body;
  const out: ValidBody = {};
  for (const field of ["name", "head_sha"] as const) {
    const value = b[field];
    if (value === undefined) {
      if (creating) return invalidRequest(`"${field}" wasn't supplied.`, docs);
      continue;
    }
    if (typeof value !== "string" || value === "") {
      return invalidRequest(
        `Invalid property /${field}: ${JSON.stringify(value)} is not of type \`string\`.`,
        docs,
      );
    }
    out[field] = value;
  }
  if (!creating && b.head_sha !== undefined) delete out.head_sha;
  if (b.status !== undefined) {
    if (!STATUSES.includes(b.status as never)) {
      return invalidRequest(
        `Invalid property /status: ${JSON.stringify(b.status)} is not a possible value. Must be one of the following: ${STATUSES.join(", ")}.`,
        docs,
      );
    }
    out.status = b.status as CheckRun["status"];
  }
  if (b.conclusion !== undefined && b.conclusion !== null) {
    if (b.conclusion === "stale") {
      return validationFailed(
        [
          {
            resource: "CheckRun",
            field: "conclusion",
            code: "invalid",
            message: "Conclusion cannot be stale",
          },
        ],
        docs,
      );
    }
    if (!CONCLUSIONS.includes(b.conclusion as never)) {
      return invalidRequest(
        `Invalid property /conclusion: ${JSON.stringify(b.conclusion)} is not a possible value. Must be one of the following: ${CONCLUSIONS.join(", ")}.`,
        docs,
      );
    }
    out.conclusion = b.conclusion as ValidBody["conclusion"];
  }
  for (const field of ["started_at", "completed_at"] as const) {
    if (b[field] === undefined) continue;
    if (!isoDate(b[field])) {
      return invalidRequest(
        `Invalid property /${field}: ${JSON.stringify(b[field])} is not a valid date-time (ISO 8601).`,
        docs,
      );
    }
    out[field] = b[field] as string;
  }
  for (const field of ["external_id", "details_url"] as const) {
    if (b[field] === undefined) continue;
    if (typeof b[field] !== "string")
      return invalidRequest(`Invalid property /${field}: not of type \`string\`.`, docs);
    out[field] = b[field] as string;
  }
  if (b.output !== undefined) {
    const o = b.output;
    if (!isRecord(o)) return invalidRequest("Invalid property /output: not of type `object`.", docs);
    for (const field of ["title", "summary"] as const) {
      if (typeof o[field] !== "string") return invalidRequest(`"${field}" wasn't supplied.`, docs);
    }
    const errors: FieldError[] = [];
    for (const field of ["summary", "text"] as const) {
      const value = o[field];
      if (value !== undefined && typeof value !== "string") {
        return invalidRequest(`Invalid property /output/${field}: not of type \`string\`.`, docs);
      }
      if (typeof value === "string" && value.length > MAX_OUTPUT_CHARS) {
        errors.push({
          resource: "CheckRun",
          field: `output.${field}`,
          code: "custom",
          message: `Only ${MAX_OUTPUT_CHARS} characters are allowed; ${value.length} were supplied.`,
        });
      }
    }
    const annotations = o.annotations ?? [];
    if (!Array.isArray(annotations))
      return invalidRequest("Invalid property /output/annotations: not of type `array`.", docs);
    if (annotations.length > MAX_ANNOTATIONS_PER_REQUEST) {
      errors.push({
        resource: "CheckRun",
        field: "output.annotations",
        code: "custom",
        message: `Only ${MAX_ANNOTATIONS_PER_REQUEST} annotations are allowed per request.`,
      });
    }
    for (const [i, a] of annotations.entries()) {
      if (
        !isRecord(a) ||
        typeof a.path !== "string" ||
        typeof a.start_line !== "number" ||
        typeof a.end_line !== "number" ||
        !ANNOTATION_LEVELS.includes(String(a.annotation_level)) ||
        typeof a.message !== "string"
      ) {
        return invalidRequest(
          `Invalid property /output/annotations/${i}: path, start_line, end_line, annotation_level (notice, warning or failure) and message are required.`,
          docs,
        );
      }
    }
    if (errors.length > 0) return validationFailed(errors, docs);
    out.output = {
      title: o.title as string,
      summary: o.summary as string,
      ...(typeof o.text === "string" ? { text: o.text } : {}),
      annotations,
    };
  }
  if (b.actions !== undefined) {
    if (!Array.isArray(b.actions) || b.actions.length > 3) {
      return invalidRequest("Invalid property /actions: at most 3 actions are allowed.", docs);
    }
    for (const a of b.actions) {
      if (
        !isRecord(a) ||
        typeof a.label !== "string" ||
        a.label.length > 20 ||
        typeof a.description !== "string" ||
        a.description.length > 40 ||
        typeof a.identifier !== "string" ||
        a.identifier.length > 20
      ) {
        return invalidRequest(
          "Invalid property /actions: each needs label (≤ 20 characters), description (≤ 40) and identifier (≤ 20).",
          docs,
        );
      }
    }
    out.actions = b.actions;
  }
  // Providing a conclusion completes the run; a completed run (or a completion time) needs a conclusion.
  if (out.conclusion !== undefined) out.status = "completed";
  return out;
}

function isReply(value: unknown): value is ReturnType<typeof invalidRequest> {
  return isRecord(value) && typeof value.status === "number";
}

function record(ctx: RouteContext, repo: RepositoryRecord, id: number): CheckRunRecord | undefined {
  const found = ctx.state.checkRuns.get(id);
  return found && found.repo.toLowerCase() === repo.fullName.toLowerCase() ? found : undefined;
}

/** A check run lists the open pull requests whose head is its commit now, not when it was created. */
function withCurrentPulls(ctx: RouteContext, repo: RepositoryRecord, run: CheckRun): CheckRun {
  run.pull_requests = ctx.state
    .openPullsWithHead(repo.fullName, run.head_sha)
    .map((pr) => ctx.objects.pullRequestMinimal(pr));
  return run;
}

const missingConclusion = (docs: string) =>
  validationFailed(
    [
      {
        resource: "CheckRun",
        field: "conclusion",
        code: "missing_field",
        message: "conclusion is required when status is completed or completed_at is given",
      },
    ],
    docs,
  );

export const checkRoutes: readonly Route[] = [
  {
    method: "POST",
    pattern: "/repos/:owner/:repo/check-runs",
    auth: "installation",
    permissions: [["checks", "write"]],
    handler: (ctx) => {
      const repo = ctx.repo;
      if (!repo) return notFound();
      const body = validate(ctx.body, true, DOCS_CREATE);
      if (isReply(body)) return body;
      const headSha = body.head_sha as string;
      if (!repo.shas.has(headSha)) return error(422, `No commit found for SHA: ${headSha}`, DOCS_CREATE);
      const status = body.status ?? "queued";
      if ((status === "completed" || body.completed_at !== undefined) && body.conclusion === undefined) {
        return missingConclusion(DOCS_CREATE);
      }
      const now = ctx
        .now()
        .toISOString()
        .replace(/\.\d{3}Z$/, "Z");
      const id = ctx.state.newId();
      const annotations = body.output?.annotations ?? [];
      const run = ctx.objects.checkRun(repo, id, {
        name: body.name as string,
        head_sha: headSha,
        status,
        conclusion: body.conclusion ?? null,
        started_at: body.started_at ?? now,
        completed_at: status === "completed" ? (body.completed_at ?? now) : null,
        external_id: body.external_id ?? "",
        details_url: body.details_url ?? null,
        output: {
          title: body.output?.title ?? null,
          summary: body.output?.summary ?? null,
          text: body.output?.text ?? null,
          annotations_count: annotations.length,
        },
        check_suite_id: ctx.state.checkSuiteId(repo.fullName, headSha),
      });
      ctx.state.addCheckRun({
        repo: repo.fullName,
        run,
        annotations: [...annotations],
        actions: body.actions ?? [],
      });
      return json(201, run);
    },
  },
  {
    method: "PATCH",
    pattern: "/repos/:owner/:repo/check-runs/:check_run_id",
    auth: "installation",
    permissions: [["checks", "write"]],
    handler: (ctx) => {
      const repo = ctx.repo;
      const id = intParam(ctx, "check_run_id");
      const found = repo && id !== undefined ? record(ctx, repo, id) : undefined;
      if (!repo || !found) return notFound();
      const body = validate(ctx.body, false, DOCS_UPDATE);
      if (isReply(body)) return body;
      const run = found.run;
      const status = body.status ?? (body.conclusion !== undefined ? "completed" : run.status);
      const conclusion = body.conclusion ?? (status === "completed" ? run.conclusion : null);
      if ((status === "completed" || body.completed_at !== undefined) && conclusion === null) {
        return missingConclusion(DOCS_UPDATE);
      }
      const now = ctx
        .now()
        .toISOString()
        .replace(/\.\d{3}Z$/, "Z");
      if (body.name !== undefined) run.name = body.name;
      if (body.details_url !== undefined) run.details_url = body.details_url;
      if (body.external_id !== undefined) run.external_id = body.external_id;
      if (body.started_at !== undefined) run.started_at = body.started_at;
      run.status = status;
      run.conclusion = status === "completed" ? conclusion : null;
      run.completed_at = status === "completed" ? (body.completed_at ?? run.completed_at ?? now) : null;
      if (body.output) {
        found.annotations.push(...body.output.annotations);
        run.output = {
          ...run.output,
          title: body.output.title,
          summary: body.output.summary,
          text: body.output.text ?? run.output.text,
          annotations_count: found.annotations.length,
        };
      }
      if (body.actions !== undefined) found.actions = body.actions;
      withCurrentPulls(ctx, repo, run);
      return json(200, run);
    },
  },
  {
    method: "GET",
    pattern: "/repos/:owner/:repo/check-runs/:check_run_id",
    auth: "installation",
    permissions: [["checks", "read"]],
    handler: (ctx) => {
      const id = intParam(ctx, "check_run_id");
      const found = ctx.repo && id !== undefined ? record(ctx, ctx.repo, id) : undefined;
      return found && ctx.repo ? json(200, withCurrentPulls(ctx, ctx.repo, found.run)) : notFound();
    },
  },
  {
    method: "GET",
    pattern: "/repos/:owner/:repo/check-runs/:check_run_id/annotations",
    auth: "installation",
    permissions: [["checks", "read"]],
    handler: (ctx) => {
      const id = intParam(ctx, "check_run_id");
      const found = ctx.repo && id !== undefined ? record(ctx, ctx.repo, id) : undefined;
      if (!found) return notFound();
      const sha = found.run.head_sha;
      const all = found.annotations.filter(isRecord).map((a) => ({
        path: String(a.path),
        start_line: Number(a.start_line),
        end_line: Number(a.end_line),
        start_column: typeof a.start_column === "number" ? a.start_column : null,
        end_column: typeof a.end_column === "number" ? a.end_column : null,
        annotation_level: String(a.annotation_level),
        title: typeof a.title === "string" ? a.title : null,
        message: String(a.message),
        raw_details: typeof a.raw_details === "string" ? a.raw_details : null,
        blob_href: `${ctx.objects.html}/${found.repo}/blob/${sha}/${String(a.path)}`,
      }));
      const page = paginate(ctx.baseUrl, ctx.path, ctx.query, all);
      return json(200, page.items, page.headers);
    },
  },
  {
    method: "GET",
    pattern: "/repos/:owner/:repo/commits/:ref/check-runs",
    auth: "installation",
    permissions: [["checks", "read"]],
    handler: (ctx) => {
      const repo = ctx.repo;
      if (!repo) return notFound();
      const ref = ctx.params.ref ?? "";
      const sha = ctx.state.resolveRef(repo.fullName, ref);
      if (!sha) return error(422, `No commit found for SHA: ${ref}`);
      const name = ctx.query.get("check_name");
      const status = ctx.query.get("status");
      const filter = ctx.query.get("filter") ?? "latest";
      const appId = ctx.query.get("app_id");
      let runs = ctx.state
        .checkRunsOn(repo.fullName, sha)
        .map((r) => withCurrentPulls(ctx, repo, r.run))
        .filter((r) => name === null || r.name === name)
        .filter((r) => status === null || r.status === status)
        .filter((r) => appId === null || String(r.app?.id) === appId)
        .sort((a, b) => Number(b.id) - Number(a.id));
      if (filter === "latest") {
        const seen = new Set<string>();
        runs = runs.filter((r) => {
          if (seen.has(r.name)) return false;
          seen.add(r.name);
          return true;
        });
      }
      const page = paginate(ctx.baseUrl, ctx.path, ctx.query, runs);
      return json(200, { total_count: runs.length, check_runs: page.items }, page.headers);
    },
  },
];
