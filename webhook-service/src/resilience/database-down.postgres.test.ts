import { connect, createServer, type Server, type Socket } from "node:net";
import { afterAll, expect, it } from "vitest";
import { postgresOnly, schemaUrl } from "../../test/databases.ts";
import { type Harness, openedPullRequest, startHarness, waitFor } from "../../test/harness.ts";
import { logLines } from "../../test/log-lines.ts";
import { post, signedDelivery } from "../../test/sign.ts";
import { openPostgres } from "../db/postgres.ts";

/** A TCP proxy in front of PostgreSQL that a test can take down and bring back (the server itself is shared). */
class Outage {
  #server: Server | undefined;
  #sockets = new Set<Socket>();
  constructor(
    readonly port: number,
    private readonly target: { host: string; port: number },
  ) {}

  static async freePort(): Promise<number> {
    const s = createServer();
    await new Promise<void>((r) => s.listen(0, "127.0.0.1", () => r()));
    const port = (s.address() as { port: number }).port;
    await new Promise<void>((r) => s.close(() => r()));
    return port;
  }

  async up(): Promise<void> {
    if (this.#server) return;
    const server = createServer((client) => {
      const pg = connect(this.target.port, this.target.host);
      for (const s of [client, pg]) {
        this.#sockets.add(s);
        s.on("close", () => this.#sockets.delete(s));
        s.on("error", () => s.destroy());
      }
      client.pipe(pg).pipe(client);
    });
    await new Promise<void>((r) => server.listen(this.port, "127.0.0.1", () => r()));
    this.#server = server;
  }

  async down(): Promise<void> {
    for (const s of this.#sockets) s.destroy();
    const server = this.#server;
    this.#server = undefined;
    if (server) await new Promise<void>((r) => server.close(() => r()));
  }
}

postgresOnly("the database down at start and mid-run", (t) => {
  let h: Harness | undefined;
  let outage: Outage | undefined;
  afterAll(async () => {
    await outage?.up().catch(() => {});
    await h?.close();
    await outage?.down();
  });

  it("answers /healthz, refuses deliveries with 503 until the database is back, then loses nothing", {
    timeout: 300_000,
  }, async () => {
    const { url, schema } = t();
    if (!url || !schema) throw new Error("needs the PostgreSQL half");
    const lines = logLines();
    const target = new URL(url);
    outage = new Outage(await Outage.freePort(), {
      host: target.hostname,
      port: Number(target.port || 5432),
    });
    const proxied = new URL(schemaUrl(url, schema));
    proxied.hostname = "127.0.0.1";
    proxied.port = String(outage.port);

    // Down at start: the service starts anyway and says it is not ready.
    h = await startHarness({
      openDatabase: () => openPostgres({ connectionString: proxied.toString(), lazy: true }),
      env: { JOB_BACKOFF_MS: "100", LOG_LEVEL: "info" },
      start: { logDestination: lines },
      waitReady: false,
    });
    expect((await fetch(`${h.running.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${h.running.url}/readyz`)).status).toBe(503);
    const payload = openedPullRequest(h.gh);
    const repo = (payload.repository as { full_name: string }).full_name;
    const pr = payload.pull_request as { number: number; head: { sha: string } };
    const delivery = await signedDelivery("pull_request", payload);
    expect((await post(h.running.url, delivery)).status).toBe(503);
    // The refusal is logged with the delivery's id, so it can be found when GitHub's redelivery comes.
    expect(lines.entries.filter((l) => l.msg === "request failed").map((l) => l.delivery)).toEqual([
      delivery.id,
    ]);

    await outage.up();
    await waitFor("ready", async () => (await fetch(`${h?.running.url}/readyz`)).status === 200, 120_000);
    // GitHub redelivers the delivery that failed; now it is stored and evaluated.
    expect((await post(h.running.url, delivery)).status).toBe(202);
    await waitFor("the check", () => h?.gh.checkRuns(repo, pr.head.sha)[0]?.status === "completed", 60_000);

    // Down mid-run, while a job is working (GitHub is slow): the delivery is refused, the job survives.
    h.gh.setLatency(300);
    const again = await signedDelivery("pull_request", { ...payload, action: "synchronize" });
    expect((await post(h.running.url, again)).status).toBe(202);
    await waitFor("the next evaluation to start", () =>
      h?.gh
        .callsTo("PATCH", /\/check-runs\/\d+$/)
        .some((c) => (c.body as { status?: string }).status === "in_progress"),
    );
    await outage.down();
    const during = await signedDelivery("pull_request", { ...payload, action: "labeled" });
    expect((await post(h.running.url, during)).status).toBe(503);
    expect((await fetch(`${h.running.url}/readyz`)).status).toBe(503);
    await new Promise((r) => setTimeout(r, 1500));
    h.gh.setLatency(0);
    await outage.up();
    expect((await post(h.running.url, during)).status).toBe(202);
    await waitFor(
      "all work done",
      async () => {
        const r = await t().db.query<{ n: string }>(
          "SELECT count(*) AS n FROM jobs WHERE state IN ('queued', 'running')",
        );
        return Number(r.rows[0]?.n) === 0;
      },
      120_000,
    );
    expect(h.gh.checkRuns(repo, pr.head.sha)).toHaveLength(1);
    expect(h.gh.checkRuns(repo, pr.head.sha)[0]?.status).toBe("completed");
    expect(h.gh.comments(repo, pr.number)).toHaveLength(1);
    const stored = await t().db.query<{ n: string }>("SELECT count(*) AS n FROM deliveries");
    expect(Number(stored.rows[0]?.n)).toBe(3);
  });
});
