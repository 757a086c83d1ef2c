import type { Decision } from "../../../core/policy/decision.ts";
import type { Queryable } from "../db/database.ts";
import type { GateChange } from "./decide.ts";

interface DecisionRow {
  pull_number: number;
  head_sha: string;
  decision: Decision | string;
}

/**
 * The change request whose evaluated head is `sha`: its latest decision, author and last pusher. The last
 * pusher is the sender of the latest `pull_request` opened/synchronize/reopened delivery for that head, as
 * recorded in the audit log. A merge commit (an apply after merge) is judged as the head of the pull request
 * it merged, found through the stored pull_request.closed delivery.
 */
export async function findChange(
  db: Queryable,
  repository: string,
  sha: string,
): Promise<GateChange | undefined> {
  const change = await findChangeAtHead(db, repository, sha);
  if (change) return change;
  // An apply after merge runs on the merge commit: find the pull request it merged and judge its head.
  const merged = await db.query<{ head_sha: string | null }>(
    `SELECT head_sha FROM deliveries WHERE repository = $1 AND merge_commit_sha = $2
     ORDER BY received_at DESC LIMIT 1`,
    [repository, sha],
  );
  const head = merged.rows[0]?.head_sha;
  if (!head) return undefined;
  const atHead = await findChangeAtHead(db, repository, head);
  return atHead ? { ...atHead, mergeCommitSha: sha } : undefined;
}

async function findChangeAtHead(
  db: Queryable,
  repository: string,
  sha: string,
): Promise<GateChange | undefined> {
  const found = await db.query<DecisionRow>(
    `SELECT pull_number, head_sha, decision FROM decisions WHERE repository = $1 AND head_sha = $2
     ORDER BY generation DESC LIMIT 1`,
    [repository, sha],
  );
  const row = found.rows[0];
  if (!row) return undefined;
  const decision = typeof row.decision === "string" ? (JSON.parse(row.decision) as Decision) : row.decision;
  const pusher = await db.query<{ actor: string }>(
    `SELECT actor FROM audit_log WHERE repository = $1 AND head_sha = $2 AND action = 'delivery.received'
       AND details->>'event' = 'pull_request' AND details->>'action' IN ('opened', 'synchronize', 'reopened')
     ORDER BY seq DESC LIMIT 1`,
    [repository, sha],
  );
  const lastPusher = pusher.rows[0]?.actor;
  return {
    number: row.pull_number,
    headSha: row.head_sha,
    author: decision.pullRequest.author,
    ...(lastPusher ? { lastPusher } : {}),
    decision,
  };
}

/** The digest of the plan uploaded for (repository, sha, stack), if any. */
export async function uploadedDigest(
  db: Queryable,
  repository: string,
  sha: string,
  stack: string,
): Promise<string | undefined> {
  const found = await db.query<{ plan_digest: string }>(
    "SELECT plan_digest FROM plan_reviews WHERE repository = $1 AND head_sha = $2 AND stack = $3",
    [repository, sha, stack],
  );
  return found.rows[0]?.plan_digest;
}
