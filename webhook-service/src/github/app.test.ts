import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { standInApp } from "../../test/github-app.ts";
import { type GitHubStandIn, startGitHubStandIn } from "../../test/github-standin/index.ts";
import { logLines } from "../../test/log-lines.ts";
import { createLogger } from "../logger.ts";
import { createMetrics } from "../metrics.ts";
import { routeLabel } from "./app.ts";

describe("the App's Octokit: concurrent requests per installation", () => {
  let gh: GitHubStandIn;
  beforeAll(async () => {
    gh = await startGitHubStandIn();
    gh.state.addInstallation({ id: 3, account: "acme" });
    gh.state.addRepository({ fullName: "acme/wide", installationId: 3 });
  });
  afterAll(async () => {
    await gh?.close();
  });

  const burst = async (maxConcurrentRequests: number) => {
    const app = standInApp(gh, { maxConcurrentRequests });
    const octokit = app.installation(3);
    await octokit.rest.repos.get({ owner: "acme", repo: "wide" }); // the token, outside the burst
    gh.resetPeakInFlight();
    gh.setLatency(400);
    try {
      await Promise.all(
        Array.from({ length: 24 }, () => octokit.rest.repos.get({ owner: "acme", repo: "wide" })),
      );
    } finally {
      gh.setLatency(0);
    }
    // GitHub holds each request 400 ms, so those let through together are in flight together.
    return gh.peakInFlight();
  };

  it("lets up to maxConcurrentRequests run at once (the throttling plugin alone allows 10)", async () => {
    expect(await burst(40)).toBe(24);
    expect(await burst(8)).toBe(8);
  });
});

describe("the App's Octokit: retries and rate limits within one call", () => {
  let gh: GitHubStandIn;
  beforeAll(async () => {
    gh = await startGitHubStandIn();
    gh.state.addInstallation({ id: 5, account: "acme" });
    gh.state.addRepository({ fullName: "acme/limits", installationId: 5 });
  });
  afterAll(async () => {
    await gh?.close();
  });
  const get = (octokit: ReturnType<ReturnType<typeof standInApp>["installation"]>) =>
    octokit.rest.repos.get({ owner: "acme", repo: "limits" });

  it("waits out a secondary rate limit's retry-after and answers the one call", async () => {
    const octokit = standInApp(gh).installation(5);
    await get(octokit); // the token, before the fault
    const fault = gh.fail({ method: "GET", path: "/repos/acme/limits", status: 429, retryAfterSeconds: 1 });
    const started = Date.now();
    const { data } = await get(octokit);
    expect(data.full_name).toBe("acme/limits");
    expect(fault.hits).toBe(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it("waits out a primary rate limit until its reset", async () => {
    const octokit = standInApp(gh).installation(5);
    await get(octokit);
    const fault = gh.fail({ method: "GET", path: "/repos/acme/limits", status: 403, resetInSeconds: 1 });
    await expect(get(octokit)).resolves.toMatchObject({ status: 200 });
    expect(fault.hits).toBe(1);
  });

  it("does not wait a rate limit longer than maxRateLimitWaitMs: the call fails (the job retries later)", async () => {
    const octokit = standInApp(gh, { maxRateLimitWaitMs: 500 }).installation(5);
    await get(octokit);
    const fault = gh.fail({ method: "GET", path: "/repos/acme/limits", status: 429, retryAfterSeconds: 30 });
    await expect(get(octokit)).rejects.toMatchObject({ status: 429 });
    expect(fault.hits).toBe(1);
  });

  it("retries 5xx answers (the retry plugin) and gives up after `retries`", async () => {
    const octokit = standInApp(gh, { retries: 2, retryBaseMs: 5 }).installation(5);
    await get(octokit);
    const passing = gh.fail({ method: "GET", path: "/repos/acme/limits", status: 502, times: 2 });
    await expect(get(octokit)).resolves.toMatchObject({ status: 200 });
    expect(passing.hits).toBe(2);
    const lasting = gh.fail({ method: "GET", path: "/repos/acme/limits", status: 500, times: 10 });
    await expect(get(octokit)).rejects.toMatchObject({ status: 500 });
    expect(lasting.hits).toBe(3);
    gh.clearFaults();
  });
});

describe("the App's Octokit: what it logs of failed calls", () => {
  it("logs a 404 (a file that is not there) at debug, and a 5xx it gave up on as an error", async () => {
    const gh = await startGitHubStandIn();
    try {
      gh.state.addInstallation({ id: 6, account: "acme" });
      gh.state.addRepository({ fullName: "acme/logs", installationId: 6 });
      const lines = logLines();
      const octokit = standInApp(gh, {
        log: createLogger("debug", lines),
        retries: 0,
      }).installation(6);
      const owner = "acme";
      const repo = "logs";
      await expect(octokit.rest.repos.getContent({ owner, repo, path: "CODEOWNERS" })).rejects.toMatchObject({
        status: 404,
      });
      const notFound = lines.entries.filter((e) => String(e.msg).includes("CODEOWNERS - 404"));
      expect(notFound.map((e) => e.level)).toEqual([20]);
      gh.fail({ method: "GET", path: "/repos/acme/logs", status: 500 });
      await expect(octokit.rest.repos.get({ owner, repo })).rejects.toMatchObject({ status: 500 });
      const failed = lines.entries.filter((e) => String(e.msg).includes("/repos/acme/logs - 500"));
      expect(failed.map((e) => e.level)).toEqual([50]);
    } finally {
      await gh.close();
    }
  });
});

describe("the GitHub request metric's route label", () => {
  it("keeps Octokit's route template, and turns a page's full URL into one", () => {
    expect(routeLabel("/repos/{owner}/{repo}/pulls/{pull_number}")).toBe(
      "/repos/{owner}/{repo}/pulls/{pull_number}",
    );
    expect(routeLabel("https://api.github.com/repos/acme/infra/pulls/1006/files?per_page=100&page=3")).toBe(
      "/repos/{owner}/{repo}/pulls/{n}/files",
    );
    expect(routeLabel("https://ghe.example.com/api/v3/repos/acme/infra/issues/7/comments?page=2")).toBe(
      "/repos/{owner}/{repo}/issues/{n}/comments",
    );
    expect(routeLabel("https://api.github.com/orgs/acme/teams/platform/members?page=2")).toBe(
      "/orgs/acme/teams/platform/members",
    );
  });

  it("counts paginated reads of many pull requests under one series per route", async () => {
    const gh = await startGitHubStandIn();
    try {
      gh.state.addInstallation({ id: 4, account: "acme" });
      gh.state.addRepository({ fullName: "acme/infra", installationId: 4 });
      const files = Array.from({ length: 150 }, (_, i) => ({
        filename: `f${i}.tf`,
        status: "modified" as const,
        additions: 1,
        deletions: 0,
        patch: "@@ -1 +1 @@",
      }));
      for (const number of [11, 12]) {
        gh.state.addPullRequest("acme/infra", {
          number,
          user: "alice",
          head: { sha: "a".repeat(40), ref: "f" },
          base: { sha: "b".repeat(40), ref: "main" },
          files,
        });
      }
      const metrics = createMetrics();
      const octokit = standInApp(gh, { metrics }).installation(4);
      for (const pull_number of [11, 12]) {
        const listed = await octokit.paginate(octokit.rest.pulls.listFiles, {
          owner: "acme",
          repo: "infra",
          pull_number,
          per_page: 100,
        });
        expect(listed).toHaveLength(150);
      }
      const series = (await metrics.githubCalls.get()).values.filter((v) => v.labels.method === "GET");
      expect(series.map((v) => [v.labels.route, v.value])).toEqual([
        ["/repos/{owner}/{repo}/pulls/{n}/files", 4],
      ]);
    } finally {
      await gh.close();
    }
  });
});
