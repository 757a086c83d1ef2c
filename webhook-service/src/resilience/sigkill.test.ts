import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type ServiceProcess, spawnService, waitReady } from "../../test/child.ts";
import { type GitHubStandIn, startGitHubStandIn } from "../../test/github-standin/index.ts";
import { openedPullRequest, serviceEnv, waitFor } from "../../test/harness.ts";
import { post, signedDelivery } from "../../test/sign.ts";
import { verifyAudit } from "../audit/log.ts";
import { openPglite } from "../db/pglite.ts";

describe("the process killed with SIGKILL mid-job (embedded database in DATA_DIR)", () => {
  const dir = mkdtempSync(join(tmpdir(), "sluice-sigkill-"));
  let gh: GitHubStandIn | undefined;
  const spawned: ServiceProcess[] = [];
  afterAll(async () => {
    // A failed run must not leave a service behind.
    for (const s of spawned)
      if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill("SIGKILL");
    await gh?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("the job completes after restart: one check run, one comment, nothing lost or doubled", {
    timeout: 240_000,
  }, async () => {
    gh = await startGitHubStandIn();
    const payload = openedPullRequest(gh);
    const repo = (payload.repository as { full_name: string }).full_name;
    const pr = payload.pull_request as { number: number; head: { sha: string } };
    const env = serviceEnv(gh, { DATA_DIR: dir, JOB_LEASE_MS: "1500" });

    const first = await spawnService(env);
    spawned.push(first);
    await waitReady(first.url);
    gh.setLatency(400); // every GitHub call is slow, so the evaluation is surely mid-way when killed
    const delivery = await signedDelivery("pull_request", payload);
    expect((await post(first.url, delivery)).status).toBe(202);
    await waitFor(
      "the check run in progress",
      () => gh?.checkRuns(repo, pr.head.sha)[0]?.status === "in_progress",
    );
    first.child.kill("SIGKILL");
    expect(await first.exited).toMatchObject({ signal: "SIGKILL" });
    // A request already sent (the check run's completion goes out right after it is marked in progress)
    // is still carried out by GitHub; let it land. The comment, published last, was never sent.
    await new Promise((r) => setTimeout(r, 1000));
    expect(gh.checkRuns(repo, pr.head.sha)).toHaveLength(1);
    expect(gh.comments(repo, pr.number)).toHaveLength(0);

    gh.setLatency(0);
    const second = await spawnService(env);
    spawned.push(second);
    try {
      await waitReady(second.url);
      // GitHub redelivers a delivery that was not acknowledged; this one was, so a redelivery is a no-op.
      expect((await post(second.url, delivery)).status).toBe(200);
      await waitFor(
        "the check run completed after restart",
        () => gh?.checkRuns(repo, pr.head.sha)[0]?.status === "completed",
        120_000,
      );
      await waitFor("the comment", () => gh?.comments(repo, pr.number).length === 1);
      // Publishing comes before the job is marked done; a SIGTERM in between would (rightly) hand the job
      // back to the queue, so wait until the worker has counted it done.
      await waitFor("the job marked done", async () =>
        /sluice_jobs_total\{[^}]*outcome="done"[^}]*\} [1-9]/.test(
          await (await fetch(`${second.url}/metrics`)).text(),
        ),
      );
      second.child.kill("SIGTERM");
      expect(await second.exited).toMatchObject({ code: 0 });
    } finally {
      second.child.kill("SIGKILL");
    }
    expect(gh.checkRuns(repo, pr.head.sha)).toHaveLength(1);
    expect(gh.checkRuns(repo, pr.head.sha)[0]?.conclusion).toBe("action_required");
    expect(gh.comments(repo, pr.number)).toHaveLength(1);

    const db = await openPglite(dir);
    try {
      const count = async (sql: string) => Number((await db.query<{ n: string }>(sql)).rows[0]?.n);
      expect(await count("SELECT count(*) AS n FROM deliveries")).toBe(1);
      expect(await count("SELECT count(*) AS n FROM jobs WHERE state = 'done'")).toBe(1);
      expect(await count("SELECT count(*) AS n FROM jobs WHERE state <> 'done'")).toBe(0);
      expect(await count("SELECT count(*) AS n FROM decisions")).toBe(1);
      expect(await count("SELECT count(*) AS n FROM audit_log WHERE action = 'delivery.received'")).toBe(1);
      expect(await count("SELECT count(*) AS n FROM audit_log WHERE action = 'decision.published'")).toBe(1);
      expect(await verifyAudit(db)).toMatchObject({ ok: true });
    } finally {
      await db.close();
    }
  });
});
