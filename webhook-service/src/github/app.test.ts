import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { standInApp } from "../../test/github-app.ts";
import { type GitHubStandIn, startGitHubStandIn } from "../../test/github-standin/index.ts";

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
