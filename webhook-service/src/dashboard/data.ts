import type { RiskFinding } from "../../../core/plan/findings.ts";
import { SEVERITIES } from "../../../core/plan/findings.ts";
import type { Decision } from "../../../core/policy/decision.ts";
import { type AuditRow, type VerifyResult, verifyAudit } from "../audit/log.ts";
import type { Queryable } from "../db/database.ts";

export const PAGE_SIZE = 50;

export interface ChangeFilter {
  readonly repository?: string;
  readonly environment?: string;
  /** Author, approver or applier. */
  readonly person?: string;
  readonly state?: string;
  /** 1-based. */
  readonly page: number;
}

export interface PlanRisk {
  readonly stacks: number;
  readonly counts: Readonly<Record<string, number>>;
  readonly highest?: { readonly severity: string; readonly rule: string; readonly address: string };
  readonly findings: number;
}

export interface ChangeRow {
  readonly repository: string;
  readonly number: number;
  readonly headSha: string;
  readonly state: string;
  readonly summary: string;
  readonly environments: readonly string[];
  readonly author: string;
  readonly approvers: readonly string[];
  readonly applier?: string;
  readonly firstSeen: Date;
  readonly evaluatedAt: Date;
  readonly risk?: PlanRisk;
}

/** Which repositories a user sees: every one ("*"), or those owned by the given installation accounts. */
export type Visibility = readonly string[] | "*";

const date = (v: Date | string) => (v instanceof Date ? v : new Date(v));
const json = <T>(v: T | string): T => (typeof v === "string" ? (JSON.parse(v) as T) : v);

/** Installation accounts the user may see that the App is (still) installed on, lowercased. */
async function visibleOwners(db: Queryable, visibility: Visibility): Promise<string[] | null> {
  if (visibility === "*") return null;
  const wanted = visibility.map((a) => a.toLowerCase());
  if (wanted.length === 0) return [];
  const found = await db.query<{ account: string }>(
    "SELECT lower(account) AS account FROM installations WHERE active AND lower(account) = ANY($1::text[])",
    [wanted],
  );
  return found.rows.map((r) => r.account);
}

/** Whether a repository is visible under the given visibility. */
export async function canSee(db: Queryable, visibility: Visibility, repository: string): Promise<boolean> {
  const owners = await visibleOwners(db, visibility);
  return owners === null || owners.includes((repository.split("/")[0] ?? "").toLowerCase());
}

const SEVERITY_RANK = new Map<string, number>(SEVERITIES.map((s, i) => [s, i]));

/** Sums counts over a head's stacks and picks the most severe finding. */
export function summarizeRisk(
  stacks: readonly { counts: Record<string, number>; findings: readonly RiskFinding[] }[],
): PlanRisk {
  const counts: Record<string, number> = {};
  let highest: RiskFinding | undefined;
  let findings = 0;
  for (const s of stacks) {
    for (const [kind, n] of Object.entries(s.counts ?? {})) if (n > 0) counts[kind] = (counts[kind] ?? 0) + n;
    findings += s.findings.length;
    for (const f of s.findings) {
      if (!highest || (SEVERITY_RANK.get(f.severity) ?? 9) < (SEVERITY_RANK.get(highest.severity) ?? 9))
        highest = f;
    }
  }
  return {
    stacks: stacks.length,
    counts,
    findings,
    ...(highest
      ? { highest: { severity: highest.severity, rule: highest.rule, address: highest.address } }
      : {}),
  };
}

interface ListRow {
  repository: string;
  pull_number: number;
  head_sha: string;
  state: string;
  summary: string;
  evaluated_at: Date | string;
  environments: { name: string }[] | string | null;
  approvers: string[] | string | null;
  author: string | null;
  first_seen: Date | string;
  applier: string | null;
}

/**
 * Change requests, newest first: the latest decision of each pull request, filtered, one page of PAGE_SIZE
 * (one row more is read to know whether a next page exists), with plan risk and the last permitted applier.
 */
export async function listChanges(
  db: Queryable,
  filter: ChangeFilter,
  visibility: Visibility,
): Promise<{ rows: ChangeRow[]; hasNext: boolean }> {
  const owners = await visibleOwners(db, visibility);
  const result = await db.query<ListRow>(
    `SELECT d.repository, d.pull_number, d.head_sha, d.state, d.summary, d.evaluated_at,
       d.decision->'environments' AS environments, d.decision->'approvers' AS approvers,
       d.decision->'pullRequest'->>'author' AS author,
       (SELECT min(f.evaluated_at) FROM decisions f
         WHERE f.repository = d.repository AND f.pull_number = d.pull_number) AS first_seen,
       (SELECT a.actor FROM audit_log a WHERE a.repository = d.repository AND a.pull_number = d.pull_number
         AND a.action = 'gate.allowed' ORDER BY a.seq DESC LIMIT 1) AS applier
     FROM decisions d
     WHERE NOT EXISTS (SELECT 1 FROM decisions n WHERE n.repository = d.repository
         AND n.pull_number = d.pull_number AND n.generation > d.generation)
       AND ($1::text IS NULL OR d.repository = $1)
       AND ($2::text IS NULL OR d.decision->'environments' @> jsonb_build_array(jsonb_build_object('name', $2::text)))
       AND ($3::text IS NULL OR d.decision->'pullRequest'->>'author' = $3 OR d.decision->'approvers' @> to_jsonb($3::text)
         OR EXISTS (SELECT 1 FROM audit_log g WHERE g.repository = d.repository AND g.pull_number = d.pull_number
           AND g.action = 'gate.allowed' AND g.actor = $3))
       AND ($4::text IS NULL OR d.state = $4)
       AND ($5::text[] IS NULL OR lower(split_part(d.repository, '/', 1)) = ANY($5::text[]))
     ORDER BY d.evaluated_at DESC, d.repository, d.pull_number DESC
     LIMIT $6 OFFSET $7`,
    [
      filter.repository ?? null,
      filter.environment ?? null,
      filter.person ?? null,
      filter.state ?? null,
      owners,
      PAGE_SIZE + 1,
      (filter.page - 1) * PAGE_SIZE,
    ],
  );
  const page = result.rows.slice(0, PAGE_SIZE);
  const risks = await planRisks(
    db,
    page.map((r) => ({ repository: r.repository, headSha: r.head_sha })),
  );
  return {
    hasNext: result.rows.length > PAGE_SIZE,
    rows: page.map((r) => {
      const risk = risks.get(`${r.repository}@${r.head_sha}`);
      return {
        repository: r.repository,
        number: r.pull_number,
        headSha: r.head_sha,
        state: r.state,
        summary: r.summary,
        environments: (json(r.environments ?? []) as { name: string }[]).map((e) => e.name),
        author: r.author ?? "",
        approvers: json(r.approvers ?? []) as string[],
        ...(r.applier ? { applier: r.applier } : {}),
        firstSeen: date(r.first_seen),
        evaluatedAt: date(r.evaluated_at),
        ...(risk ? { risk } : {}),
      };
    }),
  };
}

/** Plan risk per "repository@sha", from the uploaded reviews of those heads. */
async function planRisks(db: Queryable, heads: readonly { repository: string; headSha: string }[]) {
  const out = new Map<string, PlanRisk>();
  if (heads.length === 0) return out;
  const found = await db.query<{ repository: string; head_sha: string; counts: unknown; findings: unknown }>(
    `SELECT repository, head_sha, review->'counts' AS counts, findings FROM plan_reviews
     WHERE head_sha = ANY($1::text[]) AND repository = ANY($2::text[])`,
    [heads.map((h) => h.headSha), [...new Set(heads.map((h) => h.repository))]],
  );
  const byHead = new Map<string, { counts: Record<string, number>; findings: RiskFinding[] }[]>();
  for (const r of found.rows) {
    const key = `${r.repository}@${r.head_sha}`;
    const list = byHead.get(key) ?? [];
    list.push({
      counts: json(r.counts as Record<string, number>) ?? {},
      findings: json(r.findings as RiskFinding[]) ?? [],
    });
    byHead.set(key, list);
  }
  for (const [key, stacks] of byHead) out.set(key, summarizeRisk(stacks));
  return out;
}

export interface StackPlan {
  readonly stack: string;
  readonly digest: string;
  readonly counts: Readonly<Record<string, number>>;
  readonly findings: readonly RiskFinding[];
  readonly uploadedBy?: string;
  readonly uploadedAt: Date;
}

export interface PullRequestView {
  readonly repository: string;
  readonly number: number;
  readonly headSha: string;
  readonly decision: Decision;
  readonly evaluatedAt: Date;
  readonly plans: readonly StackPlan[];
  readonly timeline: readonly AuditRow[];
}

/** One pull request: its latest decision, the plans of its head, and every audit event about it. */
export async function pullRequestView(
  db: Queryable,
  repository: string,
  number: number,
): Promise<PullRequestView | undefined> {
  const found = await db.query<{
    head_sha: string;
    decision: Decision | string;
    evaluated_at: Date | string;
  }>(
    `SELECT head_sha, decision, evaluated_at FROM decisions WHERE repository = $1 AND pull_number = $2
     ORDER BY generation DESC LIMIT 1`,
    [repository, number],
  );
  const row = found.rows[0];
  if (!row) return undefined;
  const plans = await db.query<{
    stack: string;
    plan_digest: string;
    counts: unknown;
    findings: unknown;
    uploaded_by: string | null;
    uploaded_at: Date | string;
  }>(
    `SELECT stack, plan_digest, review->'counts' AS counts, findings, uploaded_by, uploaded_at FROM plan_reviews
     WHERE repository = $1 AND head_sha = $2 ORDER BY stack`,
    [repository, row.head_sha],
  );
  const events = await db.query<Record<string, unknown>>(
    `SELECT * FROM audit_log WHERE repository = $1 AND (pull_number = $2 OR head_sha IN
       (SELECT head_sha FROM decisions WHERE repository = $1 AND pull_number = $2))
     ORDER BY seq`,
    [repository, number],
  );
  return {
    repository,
    number,
    headSha: row.head_sha,
    decision: json(row.decision),
    evaluatedAt: date(row.evaluated_at),
    plans: plans.rows.map((p) => ({
      stack: p.stack,
      digest: p.plan_digest,
      counts: json(p.counts as Record<string, number>) ?? {},
      findings: json(p.findings as RiskFinding[]) ?? [],
      ...(p.uploaded_by ? { uploadedBy: p.uploaded_by } : {}),
      uploadedAt: date(p.uploaded_at as Date | string),
    })),
    timeline: events.rows.map((r) => ({
      seq: Number(r.seq),
      at: date(r.at as Date | string).toISOString(),
      actor: r.actor as string,
      action: r.action as string,
      ...(r.repository ? { repository: r.repository as string } : {}),
      ...(r.pull_number !== null ? { pullNumber: r.pull_number as number } : {}),
      ...(r.head_sha ? { headSha: r.head_sha as string } : {}),
      ...(r.plan_digest ? { planDigest: r.plan_digest as string } : {}),
      details: json((r.details ?? {}) as Record<string, unknown>),
      prevHash: r.prev_hash as string,
      hash: r.hash as string,
    })),
  };
}

/** Repositories with at least one decision that the user may see. */
export async function visibleRepositories(db: Queryable, visibility: Visibility): Promise<string[]> {
  const owners = await visibleOwners(db, visibility);
  const found = await db.query<{ repository: string }>(
    `SELECT DISTINCT repository FROM decisions
     WHERE ($1::text[] IS NULL OR lower(split_part(repository, '/', 1)) = ANY($1::text[])) ORDER BY repository`,
    [owners],
  );
  return found.rows.map((r) => r.repository);
}

/** Verifies the audit chain, at most once per `ttlMs` (the walk reads the whole log). */
export function cachedVerifier(
  db: Queryable,
  ttlMs = 15_000,
): () => Promise<VerifyResult & { checkedAt: Date }> {
  let last: { at: number; result: Promise<VerifyResult & { checkedAt: Date }> } | undefined;
  return () => {
    if (last && Date.now() - last.at < ttlMs) return last.result;
    const result = verifyAudit(db).then((r) => ({ ...r, checkedAt: new Date() }));
    last = { at: Date.now(), result };
    result.catch(() => {
      last = undefined;
    });
    return result;
  };
}
