import { afterAll, expect, it } from "vitest";
import { type ServiceProcess, spawnService, waitReady } from "../../test/child.ts";
import { postgresOnly, schemaUrl } from "../../test/databases.ts";
import { type GitHubStandIn, startGitHubStandIn, webhookExample } from "../../test/github-standin/index.ts";
import { openedPullRequest, serviceEnv, waitFor } from "../../test/harness.ts";
import { post, signedDelivery } from "../../test/sign.ts";
import { COMMENT_MARKER } from "../github/outputs.ts";

// PGlite's data directory belongs to one process, so several replicas need a PostgreSQL server.
postgresOnly("two service processes on one database", (t) => {
  let gh: GitHubStandIn | undefined;
  const replicas: ServiceProcess[] = [];
  afterAll(async () => {
    for (const r of replicas) r.child.kill("SIGKILL");
    await gh?.close();
  });

  it("concurrent deliveries for one pull request: one comment, one final check, the newest head SHA wins", {
    timeout: 480_000,
  }, async () => {
    const { url, schema, db } = t();
    if (!url || !schema) throw new Error("needs the PostgreSQL half");
    gh = await startGitHubStandIn();
    const first = openedPullRequest(gh);
    const repo = (first.repository as { full_name: string }).full_name;
    const pr = first.pull_request as { number: number; head: { sha: string }; user: { login: string } };
    const oldHead = pr.head.sha;
    const env = serviceEnv(gh, { DATABASE_URL: schemaUrl(url, schema), WORKER_CONCURRENCY: "4" });
    replicas.push(...(await Promise.all([spawnService(env), spawnService(env)])));
    await Promise.all(replicas.map((r) => waitReady(r.url)));
    gh.setLatency(20);

    const burst = async (payloads: unknown[]) =>
      Promise.all(
        payloads.map(async (p, i) => {
          const d = await signedDelivery("pull_request", p);
          const target = replicas[i % replicas.length];
          if (!target) throw new Error("no replica");
          return post(target.url, d);
        }),
      );
    const labeled = () => {
      const p = webhookExample("pull_request", { action: "labeled" });
      (p.pull_request as { head: { sha: string } }).head.sha = oldHead;
      return p;
    };
    const first10 = await burst([first, ...Array.from({ length: 9 }, labeled)]);
    expect(first10.map((r) => r.status)).toEqual(Array(10).fill(202));

    // A push while the first evaluations run: the new head must win everywhere.
    const newHead = "b".repeat(40);
    gh.state.pushToPullRequest(repo, pr.number, [
      { sha: newHead, message: "Second commit", author: pr.user.login, committer: pr.user.login },
    ]);
    gh.state.setContent(repo, newHead, "docs/notes.md", "hello\nworld\nagain\n");
    const sync = () => {
      const p = webhookExample("pull_request", { action: "synchronize" });
      (p.pull_request as { head: { sha: string } }).head.sha = newHead;
      return p;
    };
    const next10 = await burst(Array.from({ length: 10 }, sync));
    expect(next10.map((r) => r.status)).toEqual(Array(10).fill(202));

    await waitFor(
      "both replicas to drain the queue",
      async () => {
        const r = await db.query<{ n: string }>(
          "SELECT count(*) AS n FROM jobs WHERE state IN ('queued', 'running')",
        );
        return Number(r.rows[0]?.n) === 0;
      },
      240_000,
    );
    await waitFor(
      "the new head's check to complete",
      () =>
        gh?.checkRuns(repo, newHead).every((r) => r.status === "completed") &&
        gh.checkRuns(repo, newHead).length > 0,
    );

    const comments = gh.comments(repo, pr.number);
    expect(comments).toHaveLength(1);
    expect(comments[0]?.body).toContain(COMMENT_MARKER);
    expect(comments[0]?.body).toContain(newHead);
    expect(gh.checkRuns(repo, newHead)).toHaveLength(1);
    expect(gh.checkRuns(repo, newHead)[0]).toMatchObject({
      status: "completed",
      conclusion: "action_required",
    });
    expect(gh.checkRuns(repo, oldHead).length).toBeLessThanOrEqual(1);
    const out = await db.query<{ published_head_sha: string }>(
      "SELECT published_head_sha FROM pull_request_outputs WHERE pull_number = $1",
      [pr.number],
    );
    expect(out.rows[0]?.published_head_sha).toBe(newHead);
    // Fewer evaluations than deliveries: bursts for one pull request were coalesced.
    const evaluations = await db.query<{ n: string }>(
      "SELECT count(*) AS n FROM jobs WHERE kind = 'evaluate'",
    );
    expect(Number(evaluations.rows[0]?.n)).toBeLessThan(20);
    expect(Number((await db.query<{ n: string }>("SELECT count(*) AS n FROM deliveries")).rows[0]?.n)).toBe(
      20,
    );
  });
});
