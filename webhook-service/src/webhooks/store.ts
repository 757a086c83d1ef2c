import type { Queryable } from "../db/database.ts";

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
 * Group commit for the intake: deliveries that arrive while a write is in flight are stored together in one
 * statement (deliveries, and the jobs of the new ones), so a burst costs one commit, not one per delivery.
 * Each caller is answered only after the commit that holds its delivery: nothing is acknowledged unstored.
 */
export class DeliveryWriter {
  #pending: {
    delivery: StoredDelivery;
    resolve: (stored: boolean) => void;
    reject: (error: unknown) => void;
  }[] = [];
  #flushing = false;

  constructor(
    private readonly db: Queryable,
    private readonly maxBatch = 256,
  ) {}

  /** Resolves true when the delivery was stored now, false when its id was already stored (a redelivery). */
  write(delivery: StoredDelivery): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.#pending.push({ delivery, resolve, reject });
      if (!this.#flushing) void this.#flush();
    });
  }

  async #flush(): Promise<void> {
    this.#flushing = true;
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
      this.#flushing = false;
    }
  }
}

async function insertDeliveries(db: Queryable, rows: readonly StoredDelivery[]): Promise<Set<string>> {
  const col = <T>(f: (d: StoredDelivery) => T) => rows.map(f);
  const result = await db.query<{ id: string }>(
    `WITH input AS (
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::text[], $6::text[], $7::text[],
         $8::int[], $9::text[], $10::text[], $11::text[], $12::text[], $13::jsonb[], $14::float8[])
         WITH ORDINALITY AS t(id, event, action, installation_id, repository, payload, outcome, pull_number,
           head_sha, sender, kind, key, job_payload, delay_ms, ord)),
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
       ORDER BY i.ord
       ON CONFLICT (key) WHERE state = 'queued' DO NOTHING)
     SELECT id FROM delivery`,
    [
      col((d) => d.id),
      col((d) => d.event),
      col((d) => d.action),
      col((d) => d.installationId),
      col((d) => d.repository),
      col((d) => d.body),
      col((d) => d.outcome),
      col((d) => d.pullNumber),
      col((d) => d.headSha),
      col((d) => d.sender),
      col((d) => d.job?.kind ?? null),
      col((d) => d.job?.key ?? null),
      col((d) => d.job?.payload ?? null),
      col((d) => d.job?.delayMs ?? 0),
    ],
  );
  return new Set(result.rows.map((r) => r.id));
}
