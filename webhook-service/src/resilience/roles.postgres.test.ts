import { afterAll, expect, it } from "vitest";
import { type ServiceProcess, spawnService, waitReady } from "../../test/child.ts";
import { postgresOnly, schemaUrl } from "../../test/databases.ts";
import { type GitHubStandIn, startGitHubStandIn } from "../../test/github-standin/index.ts";
import { openedPullRequest, serviceEnv, waitFor } from "../../test/harness.ts";
import { post, signedDelivery } from "../../test/sign.ts";

// SERVICE_ROLE=web and =worker share a PostgreSQL database (PGlite belongs to one process).
postgresOnly("a web process and a worker process on one database", (t) => {
  let gh: GitHubStandIn | undefined;
  const processes: ServiceProcess[] = [];
  afterAll(async () => {
    for (const p of processes) p.child.kill("SIGKILL");
    await gh?.close();
  });

  it("the web process acknowledges, the worker evaluates and publishes, the audit trail is written", {
    timeout: 300_000,
  }, async () => {
    const { url, schema, db } = t();
    if (!url || !schema) throw new Error("needs the PostgreSQL half");
    gh = await startGitHubStandIn();
    const env = serviceEnv(gh, { DATABASE_URL: schemaUrl(url, schema) });
    const [web, worker] = await Promise.all([
      spawnService({ ...env, SERVICE_ROLE: "web" }),
      spawnService({ ...env, SERVICE_ROLE: "worker" }),
    ]);
    if (!web || !worker) throw new Error("a process did not start");
    processes.push(web, worker);
    await Promise.all([waitReady(web.url), waitReady(worker.url)]);

    const payload = openedPullRequest(gh);
    const repo = (payload.repository as { full_name: string }).full_name;
    const head = (payload.pull_request as { head: { sha: string } }).head.sha;
    const delivery = await signedDelivery("pull_request", payload);
    // A worker takes no deliveries: they go to web processes.
    expect((await post(worker.url, delivery)).status).toBe(404);
    expect((await post(web.url, delivery)).status).toBe(202);

    await waitFor("the completed check run", () =>
      gh?.checkRuns(repo, head).some((r) => r.status === "completed"),
    );
    const jobs = async () =>
      (
        await db.query<{ locked_by: string; state: string }>(
          "SELECT locked_by, state FROM jobs WHERE kind = 'evaluate'",
        )
      ).rows;
    await waitFor("the evaluation jobs to finish", async () => {
      const rows = await jobs();
      return rows.length > 0 && rows.every((j) => j.state === "done");
    });
    for (const job of await jobs()) expect(job.locked_by).toContain(`:${worker.child.pid}:`);
    await waitFor("the delivery's audit event", async () => {
      const r = await db.query<{ n: string }>(
        "SELECT count(*) AS n FROM audit_log WHERE action = 'delivery.received' AND delivery_id = $1",
        [delivery.id],
      );
      return Number(r.rows[0]?.n) === 1;
    });
    const logLine = (p: ServiceProcess) => p.logs.find((l) => l.msg === "listening");
    expect(logLine(web)).toMatchObject({ role: "web", database: "postgres" });
    expect(logLine(worker)).toMatchObject({ role: "worker", database: "postgres" });
  });
});
