import { JOBS_CHANNEL_SQL, type Queryable } from "../db/database.ts";

export interface Job {
  readonly id: number;
  readonly kind: string;
  readonly key: string;
  readonly payload: Record<string, unknown>;
  readonly attempts: number;
  readonly createdAt: string;
}

export interface EnqueueOptions {
  /** Coalescing key: while a job with this key is queued (not yet running), enqueueing another adds nothing. */
  readonly key: string;
  readonly payload?: Record<string, unknown>;
  /** Earliest start; @default now */
  readonly delayMs?: number;
}

/**
 * Adds a job unless one with the same key is already waiting. Returns whether a row was added.
 * A job that is already running does not absorb the new one: the new state must be evaluated after it.
 * A new job is announced (at commit, JOBS_CHANNEL_SQL), for workers in other processes.
 */
export async function enqueue(db: Queryable, kind: string, options: EnqueueOptions): Promise<boolean> {
  const result = await db.query(
    `WITH added AS (
       INSERT INTO jobs (kind, key, payload, run_at)
       VALUES ($1, $2, $3, now() + make_interval(secs => $4::double precision / 1000))
       ON CONFLICT (key) WHERE state = 'queued' DO NOTHING
       RETURNING id)
     SELECT id, pg_notify(${JOBS_CHANNEL_SQL}, '') FROM added`,
    [kind, options.key, JSON.stringify(options.payload ?? {}), options.delayMs ?? 0],
  );
  return result.rows.length > 0;
}

interface JobRow {
  id: string | number;
  kind: string;
  key: string;
  payload: Record<string, unknown> | string;
  attempts: number;
  created_at: Date | string;
}

/**
 * Claims up to `limit` runnable jobs for `worker` with a lease of `leaseMs`: queued jobs due now, and running
 * jobs whose lease ran out (their worker died). FOR UPDATE SKIP LOCKED lets replicas claim side by side.
 * A queued job waits while its key runs, and until `keyIntervalMs` after its key's last job ended, so a burst
 * of deliveries for one pull request is evaluated at most once per interval (the first one at once).
 */
export async function claim(
  db: Queryable,
  worker: string,
  limit: number,
  leaseMs: number,
  keyIntervalMs = 0,
): Promise<Job[]> {
  const result = await db.query<JobRow>(
    `UPDATE jobs SET state = 'running', attempts = attempts + 1, locked_by = $1,
       locked_until = now() + make_interval(secs => $3::double precision / 1000), updated_at = now()
     WHERE id IN (
       SELECT id FROM jobs
       WHERE ((state = 'queued' AND run_at <= now()) OR (state = 'running' AND locked_until < now()))
         -- One job per key at a time: a queued twin waits while its key runs under a live lease.
         AND NOT (state = 'queued' AND EXISTS (
           SELECT 1 FROM jobs r WHERE r.key = jobs.key AND r.state = 'running' AND r.locked_until >= now()))
         AND NOT (state = 'queued' AND $4::double precision > 0 AND EXISTS (
           SELECT 1 FROM jobs d WHERE d.key = jobs.key AND d.state IN ('done', 'failed')
             AND d.updated_at > now() - make_interval(secs => $4::double precision / 1000)))
       ORDER BY run_at, id
       LIMIT $2
       FOR UPDATE SKIP LOCKED)
     RETURNING id, kind, key, payload, attempts, created_at`,
    [worker, limit, leaseMs, keyIntervalMs],
  );
  return result.rows.map((r) => ({
    id: Number(r.id),
    kind: r.kind,
    key: r.key,
    payload: typeof r.payload === "string" ? JSON.parse(r.payload) : r.payload,
    attempts: r.attempts,
    createdAt: (r.created_at instanceof Date ? r.created_at : new Date(r.created_at)).toISOString(),
  }));
}

/** Extends the lease of a job this worker still holds; false when it lost the job to another worker. */
export async function heartbeat(db: Queryable, job: Job, worker: string, leaseMs: number): Promise<boolean> {
  const result = await db.query(
    `UPDATE jobs SET locked_until = now() + make_interval(secs => $3::double precision / 1000)
     WHERE id = $1 AND locked_by = $2 AND state = 'running'`,
    [job.id, worker, leaseMs],
  );
  return result.rowCount > 0;
}

export async function complete(db: Queryable, job: Job, worker: string): Promise<void> {
  await db.query(
    "UPDATE jobs SET state = 'done', locked_until = NULL, updated_at = now() WHERE id = $1 AND locked_by = $2",
    [job.id, worker],
  );
}

/** Puts a job back to run after `delayMs` (a retry, or a shutdown returning it), or fails it for good. */
export async function release(
  db: Queryable,
  job: Job,
  worker: string,
  options: { delayMs: number; error?: string; fail?: boolean; refundAttempt?: boolean },
): Promise<void> {
  // A job returned at shutdown goes back as 'queued' unless a queued twin already holds its key; then the twin
  // (which will read the newer state anyway) absorbs it.
  const state = options.fail ? "failed" : "queued";
  await db.query(
    `UPDATE jobs SET state = CASE WHEN $3 = 'queued' AND EXISTS (
         SELECT 1 FROM jobs q WHERE q.key = jobs.key AND q.state = 'queued' AND q.id <> jobs.id) THEN 'done' ELSE $3 END,
       run_at = now() + make_interval(secs => $4::double precision / 1000), locked_by = NULL, locked_until = NULL,
       last_error = $5, attempts = attempts - $6, updated_at = now()
     WHERE id = $1 AND locked_by = $2`,
    [job.id, worker, state, options.delayMs, options.error ?? null, options.refundAttempt ? 1 : 0],
  );
}

/** Waiting jobs and the age of the oldest, for /metrics. */
export async function queueStats(db: Queryable): Promise<{ depth: number; oldestAgeSeconds: number }> {
  const result = await db.query<{ depth: string | number; oldest: string | number | null }>(
    `SELECT count(*) AS depth, EXTRACT(EPOCH FROM now() - min(created_at)) AS oldest
     FROM jobs WHERE state = 'queued' OR state = 'running'`,
  );
  const row = result.rows[0];
  return { depth: Number(row?.depth ?? 0), oldestAgeSeconds: Number(row?.oldest ?? 0) };
}
