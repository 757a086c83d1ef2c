import { type NameUse, namesInResource } from "../../../core/glossary/index.ts";
import type { PlanFacts, PlanReview, RiskFinding } from "../../../core/plan/index.ts";
import type { Queryable } from "../db/database.ts";

/**
 * One uploaded plan review for a (repository, head SHA, stack): the masked review (sensitive values already
 * replaced by core/plan's masking), its digest and findings. Never raw plan values.
 */
export interface PlanReviewRecord {
  /** "owner/repo" */
  readonly repository: string;
  readonly headSha: string;
  /** Stack name, e.g. "prod-platform". */
  readonly stack: string;
  /** core/plan planDigest of the review. */
  readonly planDigest: string;
  /** core/plan planFacts of the review: what the policy engine reads. */
  readonly facts: PlanFacts;
  /** The masked review as core/plan renderJson prints it (parsed), for the comment and the dashboard. */
  readonly review: unknown;
  readonly findings: readonly RiskFinding[];
  /** core/plan renderMarkdown of the review, shown in the pull-request comment. */
  readonly summaryMarkdown?: string;
  /** Glossary name uses of the plan (`planNames`), checked by every evaluation of the pull request. */
  readonly names?: readonly NameUse[];
  /** Who uploaded it (the OIDC subject or login). */
  readonly uploadedBy?: string;
  /** ISO 8601; set by the store when omitted. */
  readonly uploadedAt?: string;
}

interface Row {
  repository: string;
  head_sha: string;
  stack: string;
  plan_digest: string;
  facts: PlanFacts | string;
  review: unknown;
  findings: RiskFinding[] | string;
  summary_markdown: string | null;
  names: NameUse[] | string | null;
  uploaded_by: string | null;
  uploaded_at: Date | string;
}

const json = <T>(v: T | string): T => (typeof v === "string" ? (JSON.parse(v) as T) : v);

/**
 * Saves (or replaces) the review of one stack at one SHA. A re-upload for the same stack and SHA replaces
 * the earlier one: the latest plan of a stack is the one that counts.
 */
export async function savePlanReview(db: Queryable, record: PlanReviewRecord): Promise<PlanReviewRecord> {
  const result = await db.query<Row>(
    `INSERT INTO plan_reviews (repository, head_sha, stack, plan_digest, facts, review, findings, summary_markdown,
       uploaded_by, uploaded_at, names)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, COALESCE($10::timestamptz, now()), $11)
     ON CONFLICT (repository, head_sha, stack) DO UPDATE SET
       plan_digest = EXCLUDED.plan_digest, facts = EXCLUDED.facts, review = EXCLUDED.review,
       findings = EXCLUDED.findings, summary_markdown = EXCLUDED.summary_markdown,
       uploaded_by = EXCLUDED.uploaded_by, uploaded_at = EXCLUDED.uploaded_at, names = EXCLUDED.names
     RETURNING *`,
    [
      record.repository,
      record.headSha,
      record.stack,
      record.planDigest,
      JSON.stringify(record.facts),
      JSON.stringify(record.review),
      JSON.stringify(record.findings),
      record.summaryMarkdown ?? null,
      record.uploadedBy ?? null,
      record.uploadedAt ?? null,
      JSON.stringify(record.names ?? []),
    ],
  );
  const row = result.rows[0];
  if (!row) throw new Error("savePlanReview: the insert returned no row");
  return fromRow(row);
}

/** Every stack's review for one SHA, by stack name. */
export async function listPlanReviews(
  db: Queryable,
  repository: string,
  headSha: string,
): Promise<PlanReviewRecord[]> {
  const result = await db.query<Row>(
    "SELECT * FROM plan_reviews WHERE repository = $1 AND head_sha = $2 ORDER BY stack",
    [repository, headSha],
  );
  return result.rows.map(fromRow);
}

function fromRow(r: Row): PlanReviewRecord {
  return {
    repository: r.repository,
    headSha: r.head_sha,
    stack: r.stack,
    planDigest: r.plan_digest,
    facts: json(r.facts),
    review: json(r.review),
    findings: json(r.findings),
    ...(r.summary_markdown !== null ? { summaryMarkdown: r.summary_markdown } : {}),
    names: r.names === null ? [] : json(r.names),
    ...(r.uploaded_by !== null ? { uploadedBy: r.uploaded_by } : {}),
    uploadedAt: (r.uploaded_at instanceof Date ? r.uploaded_at : new Date(r.uploaded_at)).toISOString(),
  };
}

/**
 * The names a plan sets (resource name attributes, Kubernetes metadata, name-bearing tags), read from the
 * masked review: a sensitive value is a mask, not a string, so it is never stored or checked as a name.
 */
export function planNames(review: PlanReview, stack: string): NameUse[] {
  const out: NameUse[] = [];
  for (const change of review.changes) {
    if (change.mode === "data") continue;
    const after = change.after;
    if (after === null || typeof after !== "object" || Array.isArray(after)) continue;
    out.push(
      ...namesInResource(change.type, change.address, after as Record<string, unknown>, `plan:${stack}`),
    );
  }
  return out;
}
