import { JOBS_CHANNEL_SQL, type Queryable } from "../db/database.ts";

export interface StoredDelivery {
  readonly id: string;
  readonly event: string;
  readonly action: string | null;
  readonly installationId: number | null;
  readonly repository: string | null;
  readonly body: string;
  readonly outcome: "queued" | "ignored";
  readonly pullNumber: number | null;
  readonly headSha: string | null;
  readonly sender: string | null;
  readonly job: {
    readonly kind: string;
    readonly key: string;
    readonly payload: string;
    readonly delayMs: number;
  } | null;
}

/**
 * Group commit for the intake: deliveries that arrive while the writes in flight are busy are stored together in
 * one statement (deliveries, and the jobs of the new ones), so a burst costs one commit, not one per delivery.
 * Each caller is answered only after the commit that holds its delivery: nothing is acknowledged unstored.
 */
export class DeliveryWriter {
  #pending: {
    delivery: StoredDelivery;
    resolve: (stored: boolean) => void;
    reject: (error: unknown) => void;
  }[] = [];
  #inFlight = 0;

  /**
   * @param maxInFlight statements in flight at once. On PostgreSQL several overlap (a delivery does not wait for
   *   the commit before it; the server shares WAL flushes between them); PGlite runs one statement at a time, so
   *   there one in flight makes the largest batches.
   */
  constructor(
    private readonly db: Queryable,
    private readonly maxBatch = 256,
    private readonly maxInFlight = 1,
  ) {}

  /** Resolves true when the delivery was stored now, false when its id was already stored (a redelivery). */
  write(delivery: StoredDelivery): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.#pending.push({ delivery, resolve, reject });
      if (this.#inFlight < this.maxInFlight) void this.#flush();
    });
  }

  async #flush(): Promise<void> {
    this.#inFlight++;
    try {
      while (this.#pending.length > 0) {
        const batch = this.#pending.splice(0, this.maxBatch);
        try {
          const stored = await insertDeliveries(
            this.db,
            batch.map((b) => b.delivery),
          );
          const first = new Set<string>();
          for (const b of batch) {
            // Two copies of one id in a batch: the first is the one stored, the second a redelivery.
            const isNew = stored.has(b.delivery.id) && !first.has(b.delivery.id);
            first.add(b.delivery.id);
            b.resolve(isNew);
          }
        } catch (error) {
          for (const b of batch) b.reject(error);
        }
      }
    } finally {
      this.#inFlight--;
    }
  }
}

/** Column casts of one input row, in the order `insertDeliveries` passes its parameters. */
const INPUT_TYPES = [
  "text",
  "text",
  "text",
  "bigint",
  "text",
  "text",
  "text",
  "int",
  "text",
  "text",
  "text",
  "text",
  "jsonb",
  "float8",
] as const;

/**
 * One multi-row VALUES list with a parameter per field: each ~24 KB body travels as its own text parameter.
 * (Passing the bodies as one text[] array took about twice as long on PGlite: the array literal quotes and
 * escapes every JSON quote, and PostgreSQL parses it back.)
 */
async function insertDeliveries(db: Queryable, rows: readonly StoredDelivery[]): Promise<Set<string>> {
  const params: unknown[] = [];
  const values = rows.map((d, row) => {
    params.push(
      d.id,
      d.event,
      d.action,
      d.installationId,
      d.repository,
      d.body,
      d.outcome,
      d.pullNumber,
      d.headSha,
      d.sender,
      d.job?.kind ?? null,
      d.job?.key ?? null,
      d.job?.payload ?? null,
      d.job?.delayMs ?? 0,
    );
    const base = row * INPUT_TYPES.length;
    return `(${INPUT_TYPES.map((type, i) => `$${base + i + 1}::${type}`).join(", ")}, ${row + 1})`;
  });
  const result = await db.query<{ id: string }>(
    `WITH input (id, event, action, installation_id, repository, payload, outcome, pull_number, head_sha, sender,
         kind, key, job_payload, delay_ms, ord) AS (VALUES ${values.join(", ")}),
     delivery AS (
       INSERT INTO deliveries (id, event, action, installation_id, repository, payload, outcome, pull_number,
         head_sha, sender)
       SELECT id, event, action, installation_id, repository, payload, outcome, pull_number, head_sha, sender
       FROM input ORDER BY ord
       ON CONFLICT (id) DO NOTHING
       RETURNING id),
     job AS (
       INSERT INTO jobs (kind, key, payload, run_at)
       SELECT i.kind, i.key, i.job_payload, now() + make_interval(secs => i.delay_ms / 1000)
       FROM input i JOIN delivery d ON d.id = i.id
       WHERE i.kind IS NOT NULL
       -- In key order, so that two statements in flight wait on each other's queued jobs in one order, never
       -- in a cycle (a deadlock would refuse both batches).
       ORDER BY i.key, i.ord
       ON CONFLICT (key) WHERE state = 'queued' DO NOTHING
       RETURNING 1)
     -- New jobs are announced (at commit) for workers in other processes.
     SELECT id, (SELECT pg_notify(${JOBS_CHANNEL_SQL}, '') FROM job LIMIT 1) AS announced FROM delivery`,
    params,
  );
  return new Set(result.rows.map((r) => r.id));
}
