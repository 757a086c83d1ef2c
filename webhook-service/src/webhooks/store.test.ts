import { beforeEach, expect, it } from "vitest";
import { eachDatabase } from "../../test/databases.ts";
import { DeliveryWriter, type StoredDelivery } from "./store.ts";

const delivery = (id: string, pr: number | null): StoredDelivery => ({
  id,
  event: "pull_request",
  action: "synchronize",
  installationId: 1,
  repository: "acme/infra",
  body: JSON.stringify({ id }),
  outcome: pr === null ? "ignored" : "queued",
  pullNumber: pr,
  headSha: "a".repeat(40),
  sender: "octocat",
  job:
    pr === null
      ? null
      : { kind: "evaluate", key: `evaluate:acme/infra#${pr}`, payload: JSON.stringify({ pr }), delayMs: 0 },
});

eachDatabase("delivery group commit", (t) => {
  beforeEach(async () => {
    await t().db.query("TRUNCATE deliveries, jobs");
  });

  it("stores a burst in few commits; each delivery once, duplicates reported, one queued job per pull request", async () => {
    const writer = new DeliveryWriter(t().db, 16);
    const ids = Array.from({ length: 60 }, (_, i) => `d${i}`);
    const results = await Promise.all([
      ...ids.map((id, i) => writer.write(delivery(id, i % 3 === 0 ? null : 100 + (i % 4)))),
      writer.write(delivery("d5", 101)),
    ]);
    expect(results.slice(0, 60).every(Boolean)).toBe(true);
    expect(results[60]).toBe(false);
    expect(await writer.write(delivery("d7", 102))).toBe(false);
    const count = async (sql: string) => Number((await t().db.query<{ n: string }>(sql)).rows[0]?.n);
    expect(await count("SELECT count(*) AS n FROM deliveries")).toBe(60);
    expect(await count("SELECT count(*) AS n FROM jobs WHERE state = 'queued'")).toBe(4);
    const row = await t().db.query<{ pull_number: number; sender: string; payload: string }>(
      "SELECT pull_number, sender, payload FROM deliveries WHERE id = 'd1'",
    );
    expect(row.rows[0]).toEqual({ pull_number: 101, sender: "octocat", payload: '{"id":"d1"}' });
  });
});
