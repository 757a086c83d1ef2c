import { JOBS_CHANNEL_SQL, type Queryable } from "../db/database.ts";

/**
 * The stored payload of a delivery whose job reads it (`Routed.keepBody`), with its installation; undefined
 * when no delivery has this id. Before migration 0009 a form-encoded delivery was stored as received
 * (`payload=…`); such a row is decoded here, so its job can still run after an upgrade.
 */
export async function storedPayload<T>(
  db: Queryable,
  deliveryId: string,
): Promise<{ payload: T; installationId: number | null } | undefined> {
  const found = await db.query<{ payload: string | null; installation_id: string | number | null }>(
    "SELECT payload, installation_id FROM deliveries WHERE id = $1",
    [deliveryId],
  );
  const row = found.rows[0];
  if (!row) return undefined;
  if (row.payload === null) throw new Error(`delivery ${deliveryId} has no stored body`);
  const json = row.payload.startsWith("payload=")
    ? (new URLSearchParams(row.payload).get("payload") ?? "")
    : row.payload;
  return {
    payload: JSON.parse(json) as T,
    installationId: row.installation_id === null ? null : Number(row.installation_id),
  };
}

export interface StoredDelivery {
  readonly id: string;
  readonly event: string;
  readonly action: string | null;
  readonly installationId: number | null;
  readonly repository: string | null;
  /** The JSON payload, kept only when the delivery's job reads it later (`Routed.keepBody`). */
  readonly body: string | null;
  /** SHA-256 (hex) of the body as received and signed. */
  readonly bodySha256: string;
  readonly outcome: "queued" | "ignored";
  readonly pullNumber: number | null;
  readonly headSha: string | null;
  readonly sender: string | null;
  /** The merge commit of a merged pull request's closed delivery. */
  readonly mergeCommitSha: string | null;
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

/** An input column: its name, its element type, and its value for one delivery (passed as one array). */
type Column = readonly [name: string, type: string, value: (d: StoredDelivery) => unknown];

/** The columns of `deliveries` the intake writes. */
const DELIVERY_COLUMNS: readonly Column[] = [
  ["id", "text", (d) => d.id],
  ["event", "text", (d) => d.event],
  ["action", "text", (d) => d.action],
  ["installation_id", "bigint", (d) => d.installationId],
  ["repository", "text", (d) => d.repository],
  ["payload", "text", (d) => d.body],
  ["body_sha256", "text", (d) => d.bodySha256],
  ["outcome", "text", (d) => d.outcome],
  ["pull_number", "int", (d) => d.pullNumber],
  ["head_sha", "text", (d) => d.headSha],
  ["sender", "text", (d) => d.sender],
  ["merge_commit_sha", "text", (d) => d.mergeCommitSha],
];

/** Each delivery's job, if it has one. */
const JOB_COLUMNS: readonly Column[] = [
  ["kind", "text", (d) => d.job?.kind ?? null],
  ["key", "text", (d) => d.job?.key ?? null],
  ["job_payload", "text", (d) => d.job?.payload ?? null],
  ["delay_ms", "float8", (d) => d.job?.delayMs ?? 0],
];

const COLUMNS = [...DELIVERY_COLUMNS, ...JOB_COLUMNS];
const DELIVERY_NAMES = DELIVERY_COLUMNS.map(([name]) => name).join(", ");

/**
 * One statement whatever the batch's size, so that PostgreSQL parses and plans it once per connection (a
 * prepared statement): planning a VALUES list per batch cost more than running it. Each field is one array
 * parameter, unnested into rows.
 */
const INSERT_DELIVERIES = `
  WITH input AS (
    SELECT * FROM unnest(${COLUMNS.map(([, type], i) => `$${i + 1}::${type}[]`).join(", ")})
      WITH ORDINALITY AS input (${COLUMNS.map(([name]) => name).join(", ")}, ord)),
  delivery AS (
    INSERT INTO deliveries (${DELIVERY_NAMES})
    SELECT ${DELIVERY_NAMES} FROM input ORDER BY ord
    ON CONFLICT (id) DO NOTHING
    RETURNING id),
  job AS (
    INSERT INTO jobs (kind, key, payload, run_at)
    SELECT i.kind, i.key, i.job_payload::jsonb, now() + make_interval(secs => i.delay_ms / 1000)
    FROM input i JOIN delivery d ON d.id = i.id
    WHERE i.kind IS NOT NULL
    -- In key order, so that two statements in flight wait on each other's queued jobs in one order, never
    -- in a cycle (a deadlock would refuse both batches).
    ORDER BY i.key, i.ord
    ON CONFLICT (key) WHERE state = 'queued' DO NOTHING
    RETURNING 1)
  -- New jobs are announced (at commit) for workers in other processes.
  SELECT id, (SELECT pg_notify(${JOBS_CHANNEL_SQL}, '') FROM job LIMIT 1) AS announced FROM delivery`;

async function insertDeliveries(db: Queryable, rows: readonly StoredDelivery[]): Promise<Set<string>> {
  const result = await db.query<{ id: string }>(
    INSERT_DELIVERIES,
    COLUMNS.map(([, , value]) => rows.map(value)),
    { prepare: "sluice_insert_deliveries" },
  );
  return new Set(result.rows.map((r) => r.id));
}
