import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { standInApp } from "../../test/github-app.ts";
import { type GitHubStandIn, startGitHubStandIn } from "../../test/github-standin/index.ts";
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
