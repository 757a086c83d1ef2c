import { beforeEach, expect, it } from "vitest";
import { eachDatabase } from "../../test/databases.ts";
import { auditDeliveries } from "./deliveries.ts";
import { readAudit, verifyAudit } from "./log.ts";

eachDatabase("delivery audit", (t) => {
  beforeEach(async () => {
    await t().db.query("TRUNCATE deliveries, audit_log");
  });

  const store = (id: string, at: string, sha: string | null = null) =>
    t().db.query(
      `INSERT INTO deliveries (id, event, action, repository, received_at, outcome, sender, body_sha256)
       VALUES ($1, 'pull_request', 'opened', 'acme/infra', $2, 'queued', 'octocat', $3)`,
      [id, at, sha],
    );

  it("audits each delivery once, oldest first, in batches, with the digest of its body", async () => {
    await store("c", "2026-12-01T10:00:00.000Z", "c".repeat(64));
    await store("a", "2026-12-01T10:00:02.000Z");
    await store("b", "2026-12-01T10:00:01.000Z");
    await store("a2", "2026-12-01T10:00:02.000Z");
    expect(await auditDeliveries(t().db, 3)).toBe(3);
    expect(await auditDeliveries(t().db, 3)).toBe(1);
    expect(await auditDeliveries(t().db, 3)).toBe(0);
    const rows = [];
    for await (const row of readAudit(t().db)) rows.push(row);
    expect(rows.map((r) => r.deliveryId)).toEqual(["c", "b", "a", "a2"]);
    expect(rows[0]?.details).toMatchObject({ bodySha256: "c".repeat(64), event: "pull_request" });
    expect(rows[1]?.details).not.toHaveProperty("bodySha256");
    expect((await verifyAudit(t().db)).ok).toBe(true);
    const left = await t().db.query<{ n: string }>("SELECT count(*) AS n FROM deliveries WHERE NOT audited");
    expect(Number(left.rows[0]?.n)).toBe(0);
  });

  it("two workers auditing at once audit every delivery exactly once", async () => {
    for (let i = 0; i < 40; i++)
      await store(`d${String(i).padStart(2, "0")}`, `2026-12-01T10:00:${String(i).padStart(2, "0")}.000Z`);
    const counts = await Promise.all([auditDeliveries(t().db, 7), auditDeliveries(t().db, 7)]);
    let more = 1;
    while (more > 0) more = await auditDeliveries(t().db, 7);
    expect(counts.every((n) => n > 0)).toBe(true);
    const audited = await t().db.query<{ delivery_id: string; n: string }>(
      "SELECT delivery_id, count(*) AS n FROM audit_log GROUP BY delivery_id HAVING count(*) > 1",
    );
    expect(audited.rows).toEqual([]);
    const total = await t().db.query<{ n: string }>("SELECT count(*) AS n FROM audit_log");
    expect(Number(total.rows[0]?.n)).toBe(40);
    expect((await verifyAudit(t().db)).ok).toBe(true);
  });
});
