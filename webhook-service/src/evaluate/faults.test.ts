import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, idle, openedPullRequest, startHarness, waitFor } from "../../test/harness.ts";

/** GitHub failing: retries back off, then give up visibly; the check is never success meanwhile. */
describe("GitHub faults", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { JOB_MAX_ATTEMPTS: "3", JOB_BACKOFF_MS: "50" } });
  });
  afterAll(async () => {
    await h?.close();
  });

  const open = async (number: number) => {
    const payload = openedPullRequest(h.gh, { number, headSha: `${number}`.padStart(40, "a") });
    const repo = (payload.repository as { full_name: string }).full_name;
    const sha = (payload.pull_request as { head: { sha: string } }).head.sha;
    return { payload, repo, sha };
  };

  it("a few 500s are retried and the evaluation completes", async () => {
    const { payload, repo, sha } = await open(101);
    const fault = h.gh.fail({ method: "GET", path: `/repos/${repo}/pulls/101/files`, status: 500, times: 2 });
    expect((await h.deliver("pull_request", payload)).status).toBe(202);
    const run = await waitFor("the check run", () =>
      h.gh.checkRuns(repo, sha).find((r) => r.status === "completed"),
    );
    await idle(h.running);
    expect(fault.hits).toBe(2);
    expect(run.conclusion).toBe("action_required");
    expect(h.gh.comments(repo, 101)).toHaveLength(1);
  });

  it("persistent 500s: the check stays in progress while retrying, then fails saying the service gave up", async () => {
    const { payload, repo, sha } = await open(102);
    h.gh.fail({ method: "GET", path: `/repos/${repo}/pulls/102/files`, status: 500, times: 1000 });
    await h.deliver("pull_request", payload);
    const run = await waitFor("the failed check run", () =>
      h.gh.checkRuns(repo, sha).find((r) => r.status === "completed"),
    );
    await idle(h.running);
    h.gh.clearFaults();
    expect(run.conclusion).toBe("failure");
    expect(run.output.summary).toMatch(/gave up evaluating this pull request after 3 attempts/);
    expect(run.output.summary).toMatch(/GitHub answered 500/);
    // Before giving up, no completed state was ever written: only in_progress updates.
    const completions = h.gh
      .callsTo("PATCH", /\/check-runs\/\d+$/)
      .filter(
        (c) => (c.body as { status?: string }).status === "completed" && c.url.includes(String(run.id)),
      );
    expect(completions.map((c) => (c.body as { conclusion?: string }).conclusion)).toEqual(["failure"]);
    const audit = await h.running.service.db.query<{ action: string }>(
      "SELECT action FROM audit_log WHERE pull_number = 102 AND action = 'evaluation.failed'",
    );
    expect(audit.rows).toHaveLength(1);
  });

  it("a 403 primary rate limit is waited out (reset) and the evaluation completes", async () => {
    const { payload, repo, sha } = await open(103);
    const fault = h.gh.fail({
      method: "GET",
      path: `/repos/${repo}/pulls/103`,
      status: 403,
      times: 1,
      resetInSeconds: 1,
    });
    await h.deliver("pull_request", payload);
    const run = await waitFor("the check run", () =>
      h.gh.checkRuns(repo, sha).find((r) => r.status === "completed"),
    );
    expect(fault.hits).toBe(1);
    expect(run.conclusion).toBe("action_required");
    const metrics = await (await fetch(`${h.running.url}/metrics`)).text();
    expect(metrics).toMatch(/sluice_github_rate_limit_remaining\{installation="1"\} \d+/);
    expect(metrics).toMatch(/sluice_github_errors_total\{status="500"\} [1-9]/);
  });

  it("a 429 secondary limit on a write is retried after retry-after", async () => {
    const { payload, repo, sha } = await open(104);
    const fault = h.gh.fail({
      method: "POST",
      path: `/repos/${repo}/check-runs`,
      status: 429,
      times: 1,
      retryAfterSeconds: 1,
    });
    await h.deliver("pull_request", payload);
    const run = await waitFor("the check run", () =>
      h.gh.checkRuns(repo, sha).find((r) => r.status === "completed"),
    );
    expect(fault.hits).toBe(1);
    expect(h.gh.checkRuns(repo, sha)).toHaveLength(1);
    expect(run.conclusion).toBe("action_required");
  });

  it("GitHub's 3,000-file cap is reported, never silently truncated: the check fails and says so", async () => {
    const files = Array.from({ length: 3001 }, (_, i) => ({
      filename: `src/f${i}.ts`,
      patch: "@@ -1 +1 @@\n-a\n+b",
    }));
    const payload = openedPullRequest(h.gh, { number: 105, headSha: "105".padStart(40, "a"), files });
    const repo = (payload.repository as { full_name: string }).full_name;
    const sha = (payload.pull_request as { head: { sha: string } }).head.sha;
    await h.deliver("pull_request", payload);
    const run = await waitFor("the check run", () =>
      h.gh.checkRuns(repo, sha).find((r) => r.status === "completed"),
    );
    expect(run.conclusion).toBe("failure");
    expect(run.output.summary).toContain("GitHub lists only 3000 of the 3001 changed files");
    expect(h.gh.callsTo("GET", `/repos/${repo}/pulls/105/files`).length).toBeGreaterThanOrEqual(30);
  });
});
