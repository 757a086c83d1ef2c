import { beforeEach, expect, it } from "vitest";
import { eachDatabase } from "../../test/databases.ts";
import { claim, complete, enqueue, queueStats, release } from "./queue.ts";

eachDatabase("job queue", (t) => {
  beforeEach(async () => {
    await t().db.query("TRUNCATE jobs");
  });

  it("coalesces: one queued job per key, and a new one once the first is running", async () => {
    const { db } = t();
    expect(await enqueue(db, "evaluate", { key: "evaluate:o/r#1", payload: { n: 1 } })).toBe(true);
    expect(await enqueue(db, "evaluate", { key: "evaluate:o/r#1", payload: { n: 2 } })).toBe(false);
    const [job] = await claim(db, "w1", 10, 10_000);
    expect(job).toMatchObject({ kind: "evaluate", key: "evaluate:o/r#1", payload: { n: 1 }, attempts: 1 });
    expect(await enqueue(db, "evaluate", { key: "evaluate:o/r#1", payload: { n: 3 } })).toBe(true);
    // The queued twin is not claimed while the first runs with a live lease.
    expect(await claim(db, "w2", 10, 10_000)).toEqual([]);
    if (job) await complete(db, job, "w1");
    expect((await claim(db, "w2", 10, 10_000)).map((j) => j.payload)).toEqual([{ n: 3 }]);
  });

  it("two workers claiming at once never get the same job", async () => {
    const { db } = t();
    for (let i = 0; i < 40; i++) await enqueue(db, "evaluate", { key: `k${i}` });
    const [a, b] = await Promise.all([claim(db, "a", 25, 10_000), claim(db, "b", 25, 10_000)]);
    const ids = [...a, ...b].map((j) => j.id);
    expect(new Set(ids).size).toBe(40);
    expect(ids).toHaveLength(40);
  });

  it("a job whose worker died (lease ran out) is claimed again; the dead worker can no longer complete it", async () => {
    const { db } = t();
    await enqueue(db, "evaluate", { key: "k" });
    const [job] = await claim(db, "dead", 1, 200);
    expect(await claim(db, "alive", 1, 10_000)).toEqual([]);
    await new Promise((r) => setTimeout(r, 300));
    const [again] = await claim(db, "alive", 1, 10_000);
    expect(again).toMatchObject({ id: job?.id, attempts: 2 });
    if (job) await complete(db, job, "dead");
    const state = await db.query<{ state: string }>("SELECT state FROM jobs WHERE id = $1", [job?.id]);
    expect(state.rows[0]?.state).toBe("running");
  });

  it("release delays a retry and fail ends it; stats count waiting work", async () => {
    const { db } = t();
    await enqueue(db, "evaluate", { key: "k1" });
    await enqueue(db, "evaluate", { key: "k2", delayMs: 60_000 });
    expect(await queueStats(db)).toMatchObject({ depth: 2 });
    const [job] = await claim(db, "w", 5, 10_000);
    expect(job?.key).toBe("k1");
    if (!job) return;
    await release(db, job, "w", { delayMs: 60_000, error: "boom" });
    expect(await claim(db, "w", 5, 10_000)).toEqual([]);
    await db.query("UPDATE jobs SET run_at = now()");
    const [retry] = await claim(db, "w", 1, 10_000);
    if (!retry) throw new Error("no retry");
    await release(db, retry, "w", { delayMs: 0, error: "boom again", fail: true });
    const row = await db.query<{ state: string; last_error: string }>(
      "SELECT state, last_error FROM jobs WHERE id = $1",
      [retry.id],
    );
    expect(row.rows[0]).toEqual({ state: "failed", last_error: "boom again" });
  });

  it("holds a key's next job until the interval after its last job ended, and no other key's", async () => {
    const { db } = t();
    await enqueue(db, "evaluate", { key: "pr:1" });
    const [first] = await claim(db, "w", 5, 10_000, 60_000);
    if (!first) throw new Error("the first job of a quiet key is claimed at once");
    await complete(db, first, "w");
    await enqueue(db, "evaluate", { key: "pr:1", payload: { n: 2 } });
    await enqueue(db, "evaluate", { key: "pr:2" });
    // pr:1 ended just now: within a minute its next job waits; pr:2 is claimed.
    expect((await claim(db, "w", 5, 10_000, 60_000)).map((j) => j.key)).toEqual(["pr:2"]);
    // With no interval (or once it has passed) the waiting job is claimed.
    expect((await claim(db, "w", 5, 10_000, 0)).map((j) => j.payload)).toEqual([{ n: 2 }]);
  });
});
