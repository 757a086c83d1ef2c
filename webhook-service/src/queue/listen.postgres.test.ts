import { afterAll, expect, it } from "vitest";
import { postgresOnly, schemaUrl } from "../../test/databases.ts";
import { waitFor } from "../../test/harness.ts";
import { type Database, JOBS_CHANNEL_SQL } from "../db/database.ts";
import { openPostgres } from "../db/postgres.ts";
import { createLogger } from "../logger.ts";
import { DeliveryWriter } from "../webhooks/store.ts";
import { enqueue } from "./queue.ts";
import { Worker } from "./worker.ts";

// Another process's enqueue reaches a worker through NOTIFY; PGlite belongs to one process, so PostgreSQL only.
postgresOnly("jobs announced to workers in other processes", (t) => {
  const opened: Database[] = [];
  const stops: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const stop of stops) await stop();
    for (const db of opened) await db.close();
  });

  it("a job enqueued on another connection starts at once, also after the listening connection was cut", {
    timeout: 120_000,
  }, async () => {
    const { db, url, schema } = t();
    if (!url || !schema) throw new Error("needs the PostgreSQL half");
    // The worker's own pool, as another process would have; it polls only every 10 minutes, so only an
    // announcement can start a job within the test's time.
    const other = await openPostgres({ connectionString: schemaUrl(url, schema) });
    opened.push(other);
    const ran: string[] = [];
    const worker = new Worker(
      other,
      { note: { run: async (job) => void ran.push(String(job.payload.name)) } },
      { concurrency: 2, leaseMs: 10_000, pollMs: 600_000 },
      createLogger("silent"),
    );
    worker.start();
    stops.push(() => worker.stop(1000));
    const channel = await db.query<{ c: string }>(`SELECT ${JOBS_CHANNEL_SQL} AS c`);
    const listening = async () =>
      (
        await db.query<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE query = $1", [
          `LISTEN "${channel.rows[0]?.c}"`,
        ])
      ).rows.map((r) => r.pid);
    const unlisten = other.listenForJobs ? await other.listenForJobs(() => worker.wake()) : undefined;
    if (!unlisten) throw new Error("PostgreSQL must listen for jobs");
    stops.unshift(unlisten);
    await waitFor("the worker's first, empty poll", async () => (await listening()).length === 1);

    await enqueue(db, "note", { key: "n1", payload: { name: "enqueued" } });
    await waitFor("the enqueued job", () => ran.includes("enqueued"), 15_000);

    const writer = new DeliveryWriter(db);
    await writer.write({
      id: "listen-1",
      event: "pull_request",
      action: "opened",
      installationId: 1,
      repository: "acme/infra",
      body: null,
      bodySha256: "0".repeat(64),
      outcome: "queued",
      pullNumber: 1,
      mergeCommitSha: null,
      headSha: "a".repeat(40),
      sender: "octocat",
      job: { kind: "note", key: "n2", payload: JSON.stringify({ name: "delivered" }), delayMs: 0 },
    });
    await waitFor("the delivery's job", () => ran.includes("delivered"), 15_000);

    const [cut] = await listening();
    await db.query("SELECT pg_terminate_backend($1)", [cut]);
    await waitFor("a new listening connection", async () => {
      const pids = await listening();
      return pids.length === 1 && pids[0] !== cut;
    });
    await enqueue(db, "note", { key: "n3", payload: { name: "after the cut" } });
    await waitFor("the job enqueued after the cut", () => ran.includes("after the cut"), 15_000);
    expect(ran).toEqual(["enqueued", "delivered", "after the cut"]);
  });
});
