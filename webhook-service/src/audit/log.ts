import { createHash } from "node:crypto";
import type { Database, Queryable } from "../db/database.ts";
import { canonicalJson } from "./canonical.ts";

/** Who did what, when, for which SHA and plan digest. */
export interface AuditEvent {
  /** A GitHub login, "github" for deliveries, "sluice" for the service's own decisions. */
  readonly actor: string;
  /** e.g. "delivery.received", "decision.published", "override.recorded", "apply.allowed". */
  readonly action: string;
  readonly repository?: string;
  readonly pullNumber?: number;
  readonly headSha?: string;
  readonly planDigest?: string;
  readonly deliveryId?: string;
  /** Plain data; never secrets or raw plan values. */
  readonly details?: Record<string, unknown>;
}

export interface AuditRow extends AuditEvent {
  readonly seq: number;
  /** ISO 8601, millisecond precision. */
  readonly at: string;
  readonly prevHash: string;
  readonly hash: string;
}

/** The previous-hash of the first row. */
export const GENESIS_HASH = "0".repeat(64);

/** The hash of one row: SHA-256 over its canonical JSON content and the previous row's hash. */
export function auditHash(row: Omit<AuditRow, "hash">): string {
  const content = canonicalJson({
    seq: row.seq,
    at: row.at,
    actor: row.actor,
    action: row.action,
    repository: row.repository ?? null,
    pullNumber: row.pullNumber ?? null,
    headSha: row.headSha ?? null,
    planDigest: row.planDigest ?? null,
    deliveryId: row.deliveryId ?? null,
    details: row.details ?? {},
    prevHash: row.prevHash,
  });
  return createHash("sha256").update(content).digest("hex");
}

/**
 * Appends one event inside the caller's transaction. A transaction-scoped advisory lock serializes
 * appenders across replicas, so each row links to exactly one predecessor.
 */
export async function appendAuditIn(
  tx: Queryable,
  event: AuditEvent,
  now: Date = new Date(),
): Promise<AuditRow> {
  const [row] = await appendAuditManyIn(tx, [event], now);
  return row as AuditRow;
}

/**
 * Appends many events inside the caller's transaction with one multi-row INSERT (the delivery batches):
 * the same chain as appending them one by one, at a fraction of the round trips.
 */
export async function appendAuditManyIn(
  tx: Queryable,
  events: readonly AuditEvent[],
  now: Date = new Date(),
): Promise<AuditRow[]> {
  if (events.length === 0) return [];
  await tx.query("SELECT pg_advisory_xact_lock(hashtextextended('sluice:audit', 0))");
  const last = await tx.query<{ seq: string; hash: string }>(
    "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1",
  );
  let seq = last.rows[0] ? Number(last.rows[0].seq) : 0;
  let prevHash = last.rows[0]?.hash ?? GENESIS_HASH;
  const cols: unknown[][] = Array.from({ length: 12 }, () => []);
  const at = now.toISOString();
  const rows: AuditRow[] = [];
  for (const event of events) {
    seq++;
    const row: Omit<AuditRow, "hash"> = { ...event, seq, at, prevHash };
    const hash = auditHash(row);
    const values = [
      seq,
      at,
      row.actor,
      row.action,
      row.repository ?? null,
      row.pullNumber ?? null,
      row.headSha ?? null,
      row.planDigest ?? null,
      row.deliveryId ?? null,
      JSON.stringify(row.details ?? {}),
      prevHash,
      hash,
    ];
    for (const [i, v] of values.entries()) cols[i]?.push(v);
    rows.push({ ...row, hash });
    prevHash = hash;
  }
  await tx.query(
    `INSERT INTO audit_log (seq, at, actor, action, repository, pull_number, head_sha, plan_digest, delivery_id,
       details, prev_hash, hash)
     SELECT * FROM unnest($1::bigint[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::int[], $7::text[],
       $8::text[], $9::text[], $10::jsonb[], $11::text[], $12::text[])`,
    cols,
  );
  return rows;
}

/** Appends one event in its own transaction. */
export function appendAudit(db: Database, event: AuditEvent, now?: Date): Promise<AuditRow> {
  return db.transaction((tx) => appendAuditIn(tx, event, now));
}

interface AuditDbRow {
  seq: string | number;
  at: Date | string;
  actor: string;
  action: string;
  repository: string | null;
  pull_number: number | null;
  head_sha: string | null;
  plan_digest: string | null;
  delivery_id: string | null;
  details: Record<string, unknown> | string;
  prev_hash: string;
  hash: string;
}

function fromDb(r: AuditDbRow): AuditRow {
  return {
    seq: Number(r.seq),
    at: (r.at instanceof Date ? r.at : new Date(r.at)).toISOString(),
    actor: r.actor,
    action: r.action,
    ...(r.repository !== null ? { repository: r.repository } : {}),
    ...(r.pull_number !== null ? { pullNumber: r.pull_number } : {}),
    ...(r.head_sha !== null ? { headSha: r.head_sha } : {}),
    ...(r.plan_digest !== null ? { planDigest: r.plan_digest } : {}),
    ...(r.delivery_id !== null ? { deliveryId: r.delivery_id } : {}),
    details: typeof r.details === "string" ? JSON.parse(r.details) : r.details,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

/** Reads the log in order, in pages, so a long log is never held in memory at once. */
export async function* readAudit(db: Queryable, pageSize = 1000): AsyncGenerator<AuditRow> {
  let after = 0;
  for (;;) {
    const page = await db.query<AuditDbRow>("SELECT * FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2", [
      after,
      pageSize,
    ]);
    for (const r of page.rows) yield fromDb(r);
    if (page.rows.length < pageSize) return;
    after = Number(page.rows[page.rows.length - 1]?.seq);
  }
}

export type VerifyResult =
  | { readonly ok: true; readonly rows: number; readonly lastHash: string }
  | {
      readonly ok: false;
      readonly rows: number;
      readonly seq: number;
      readonly problem: "edited" | "inserted" | "deleted";
      readonly message: string;
    };

/**
 * Walks the chain and names the first row that breaks it:
 * - edited: the row's content no longer gives its stored hash;
 * - deleted: a sequence number is missing, or the row links to a hash that is not its predecessor's
 *   while its own hash is intact (the rows between were removed);
 * - inserted: a row with a sequence number out of place or linking to a row that is not its predecessor.
 */
export async function verifyAudit(db: Queryable): Promise<VerifyResult> {
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  let rows = 0;
  for await (const row of readAudit(db)) {
    rows++;
    if (auditHash(row) !== row.hash) {
      return {
        ok: false,
        rows,
        seq: row.seq,
        problem: "edited",
        message: `audit row ${row.seq} was edited: its content does not match its hash`,
      };
    }
    if (row.seq > expectedSeq) {
      const missing = row.seq - 1 === expectedSeq ? `${expectedSeq}` : `${expectedSeq}–${row.seq - 1}`;
      return {
        ok: false,
        rows,
        seq: expectedSeq,
        problem: "deleted",
        message: `audit row ${missing} was deleted: the chain jumps from ${expectedSeq - 1} to ${row.seq}`,
      };
    }
    if (row.prevHash !== prevHash) {
      return {
        ok: false,
        rows,
        seq: row.seq,
        problem: "inserted",
        message: `audit row ${row.seq} was inserted or replaced: it does not link to row ${row.seq - 1}`,
      };
    }
    prevHash = row.hash;
    expectedSeq = row.seq + 1;
  }
  return { ok: true, rows, lastHash: prevHash };
}
