import { createHash } from "node:crypto";
import { beforeEach, expect, it } from "vitest";
import { eachDatabase } from "../../test/databases.ts";
import { DeliveryWriter, type StoredDelivery } from "./store.ts";

const delivery = (id: string, pr: number | null): StoredDelivery => ({
  id,
  event: "pull_request",
  action: "synchronize",
  installationId: 1,
  repository: "acme/infra",
  // As the intake stores them: the body only where the job reads it (here, the ignored deliveries).
  body: pr === null ? JSON.stringify({ id }) : null,
  bodySha256: createHash("sha256").update(JSON.stringify({ id })).digest("hex"),
  outcome: pr === null ? "ignored" : "queued",
  pullNumber: pr,
  headSha: "a".repeat(40),
  sender: "octocat",
  mergeCommitSha: null,
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
    const row = await t().db.query<{
      id: string;
      pull_number: number | null;
      payload: string | null;
      body_sha256: string;
    }>("SELECT id, pull_number, payload, body_sha256 FROM deliveries WHERE id IN ('d0', 'd1') ORDER BY id");
    const digest = (id: string) => createHash("sha256").update(JSON.stringify({ id })).digest("hex");
    expect(row.rows).toEqual([
      { id: "d0", pull_number: null, payload: '{"id":"d0"}', body_sha256: digest("d0") },
      { id: "d1", pull_number: 101, payload: null, body_sha256: digest("d1") },
    ]);
  });
});

eachDatabase("delivery group commit, several statements in flight", (t) => {
  beforeEach(async () => {
    await t().db.query("TRUNCATE deliveries, jobs");
  });

  it("overlapping batches over the same pull requests store each delivery once, one queued job per pull request", async () => {
    let inFlight = 0;
    let peak = 0;
    const counting = {
      async query<T>(sql: string, params?: readonly unknown[]) {
        inFlight++;
        peak = Math.max(peak, inFlight);
        try {
          return await t().db.query<T>(sql, params);
        } finally {
          inFlight--;
        }
      },
    };
    const writer = new DeliveryWriter(counting, 6, 3);
    // Two batches in a row name the same four new pull requests, in opposite orders (the statement inserts
    // jobs in key order, so that two in flight never wait on each other in a cycle).
    const writes = Array.from({ length: 240 }, (_, i) => {
      const round = Math.floor(i / 6);
      const pr = 100 + Math.floor(round / 2) * 4 + (round % 2 === 0 ? i % 4 : 3 - (i % 4));
      return writer.write(delivery(`o${i}`, pr));
    });
    // A redelivery while the first copy's batch may still be in flight: exactly one of the two is new.
    const again = Array.from({ length: 12 }, (_, i) => writer.write(delivery(`o${i * 20}`, 100)));
    const results = await Promise.all(writes);
    const repeats = await Promise.all(again);
    expect(results.filter((stored, i) => i % 20 !== 0 && !stored)).toEqual([]);
    expect(repeats.map((stored, k) => stored !== results[k * 20])).toEqual(repeats.map(() => true));
    const count = async (sql: string) => Number((await t().db.query<{ n: string }>(sql)).rows[0]?.n);
    expect(await count("SELECT count(*) AS n FROM deliveries")).toBe(240);
    expect(await count("SELECT count(*) AS n FROM jobs WHERE state = 'queued'")).toBe(80);
    expect(peak).toBe(3);
  });
});
