import { createHash } from "node:crypto";
import type { Queryable } from "../db/database.ts";
import type { GitHubClient } from "./app.ts";
import { repoRef } from "./pull-request.ts";

export const CHECK_NAME = "sluice/change-control";
/** The hidden marker that identifies the service's one comment on a pull request. */
export const COMMENT_MARKER = "<!-- sluice:change-control -->";
/** GitHub rejects check-run summaries and comment bodies over 65,535 characters. */
const MAX_TEXT = 65_000;

export type Conclusion = "success" | "action_required" | "failure";

export function digestOf(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

export function clip(text: string, max = MAX_TEXT): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max)}\n\n…(cut: GitHub limits this text to 65,535 characters; the full decision is in the audit log)`;
}

export interface CheckOutput {
  readonly title: string;
  readonly summary: string;
  readonly text?: string;
}

/**
 * Finds the check run for (repository, head SHA): from the database, else by name on GitHub (another
 * replica's, or one whose row was lost), else creates it in_progress. Serialized per pull request by the
 * caller's lock, so two replicas never both create one.
 */
export async function ensureCheckRun(
  octokit: GitHubClient,
  db: Queryable,
  repository: string,
  headSha: string,
  output: CheckOutput,
  detailsUrl?: string,
): Promise<number> {
  const known = await db.query<{ check_run_id: string }>(
    "SELECT check_run_id FROM check_runs WHERE repository = $1 AND head_sha = $2",
    [repository, headSha],
  );
  const ref = repoRef(repository);
  let id = known.rows[0] ? Number(known.rows[0].check_run_id) : undefined;
  if (id === undefined) {
    const { data } = await octokit.rest.checks.listForRef({
      ...ref,
      ref: headSha,
      check_name: CHECK_NAME,
      filter: "latest",
    });
    const existing = data.check_runs.find((r) => r.name === CHECK_NAME && r.head_sha === headSha);
    id = existing?.id;
  }
  if (id === undefined) {
    const { data } = await octokit.rest.checks.create({
      ...ref,
      name: CHECK_NAME,
      head_sha: headSha,
      status: "in_progress",
      started_at: new Date().toISOString(),
      output: { title: output.title, summary: clip(output.summary) },
      ...(detailsUrl ? { details_url: detailsUrl } : {}),
    });
    id = data.id;
  } else {
    await octokit.rest.checks.update({
      ...ref,
      check_run_id: id,
      status: "in_progress",
      output: { title: output.title, summary: clip(output.summary) },
    });
  }
  await db.query(
    `INSERT INTO check_runs (repository, head_sha, check_run_id, output_digest) VALUES ($1, $2, $3, NULL)
     ON CONFLICT (repository, head_sha) DO UPDATE SET check_run_id = EXCLUDED.check_run_id, output_digest = NULL`,
    [repository, headSha, id],
  );
  return id;
}

/** Completes the check run with a conclusion and the decision's explanation. */
export async function completeCheckRun(
  octokit: GitHubClient,
  db: Queryable,
  repository: string,
  headSha: string,
  checkRunId: number,
  conclusion: Conclusion,
  output: CheckOutput,
  detailsUrl?: string,
): Promise<void> {
  await octokit.rest.checks.update({
    ...repoRef(repository),
    check_run_id: checkRunId,
    status: "completed",
    conclusion,
    completed_at: new Date().toISOString(),
    output: {
      title: output.title,
      summary: clip(output.summary),
      ...(output.text ? { text: clip(output.text) } : {}),
    },
    ...(detailsUrl ? { details_url: detailsUrl } : {}),
  });
  await db.query("UPDATE check_runs SET output_digest = $3 WHERE repository = $1 AND head_sha = $2", [
    repository,
    headSha,
    digestOf(`${conclusion}\n${output.title}\n${output.summary}\n${output.text ?? ""}`),
  ]);
}

export interface IssueComment {
  readonly id: number;
  readonly user: string;
  readonly body: string;
  readonly createdAt: string;
}

export async function listComments(
  octokit: GitHubClient,
  repository: string,
  number: number,
): Promise<IssueComment[]> {
  const comments = await octokit.paginate(octokit.rest.issues.listComments, {
    ...repoRef(repository),
    issue_number: number,
    per_page: 100,
  });
  return comments.map((c) => ({
    id: c.id,
    user: c.user?.login ?? "",
    body: c.body ?? "",
    createdAt: c.created_at,
  }));
}

/**
 * Writes the pull request's one comment: the marked comment found among `comments` (the oldest, if a
 * crash ever left two) is updated in place when its body changed; otherwise one is created.
 */
export async function upsertComment(
  octokit: GitHubClient,
  db: Queryable,
  repository: string,
  number: number,
  comments: readonly IssueComment[],
  body: string,
): Promise<{ id: number; written: boolean }> {
  const full = clip(`${COMMENT_MARKER}\n${body}`);
  const digest = digestOf(full);
  const ours = comments.filter((c) => c.body.includes(COMMENT_MARKER)).sort((a, b) => a.id - b.id)[0];
  const ref = repoRef(repository);
  let id: number;
  let written = true;
  if (ours) {
    id = ours.id;
    if (digestOf(ours.body) === digest) written = false;
    else await octokit.rest.issues.updateComment({ ...ref, comment_id: id, body: full });
  } else {
    const { data } = await octokit.rest.issues.createComment({ ...ref, issue_number: number, body: full });
    id = data.id;
  }
  await db.query(
    `INSERT INTO pull_request_outputs (repository, pull_number, comment_id, comment_digest) VALUES ($1, $2, $3, $4)
     ON CONFLICT (repository, pull_number) DO UPDATE SET comment_id = EXCLUDED.comment_id,
       comment_digest = EXCLUDED.comment_digest`,
    [repository, number, id, digest],
  );
  return { id, written };
}
