import type { Database } from "../db/database.ts";
import { type AuditEvent, appendAuditManyIn } from "./log.ts";

/**
 * Writes the audit events of stored deliveries not audited yet, oldest first, in one transaction. Runs off
 * the acknowledgement path (GitHub waits at most 10 s), and a crash leaves them to the next run: a delivery
 * is stored and audited exactly once. Returns how many were audited.
 */
export async function auditDeliveries(db: Database, limit = 500): Promise<number> {
  return db.transaction(async (tx) => {
    // Claimed and marked in one statement (FOR UPDATE then UPDATE wrote each row twice).
    const { rows } = await tx.query<{
      id: string;
      event: string;
      action: string | null;
      installation_id: string | number | null;
      repository: string | null;
      outcome: string | null;
      received_at: Date | string;
      sender: string | null;
      pull_number: number | null;
      head_sha: string | null;
      body_sha256: string | null;
    }>(
      `WITH claimed AS (
         UPDATE deliveries SET audited = true
         WHERE id IN (SELECT id FROM deliveries WHERE NOT audited ORDER BY received_at, id LIMIT $1
                      FOR UPDATE SKIP LOCKED)
         RETURNING id, event, action, installation_id, repository, outcome, received_at, sender, pull_number,
           head_sha, body_sha256)
       SELECT * FROM claimed ORDER BY received_at, id`,
      [limit],
    );
    const events: AuditEvent[] = rows.map((d) => ({
      actor: d.sender ?? "github",
      action: "delivery.received",
      ...(d.repository ? { repository: d.repository } : {}),
      ...(d.pull_number ? { pullNumber: d.pull_number } : {}),
      ...(d.head_sha ? { headSha: d.head_sha } : {}),
      deliveryId: d.id,
      details: {
        event: d.event,
        action: d.action,
        installationId: d.installation_id === null ? null : Number(d.installation_id),
        outcome: d.outcome,
        receivedAt: (d.received_at instanceof Date ? d.received_at : new Date(d.received_at)).toISOString(),
        ...(d.body_sha256 ? { bodySha256: d.body_sha256 } : {}),
      },
    }));
    await appendAuditManyIn(tx, events);
    return rows.length;
  });
}
