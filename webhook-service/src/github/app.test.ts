import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type GitHubStandIn, startGitHubStandIn } from "../../test/github-standin/index.ts";
import { createLogger } from "../logger.ts";
import { createMetrics } from "../metrics.ts";
import { createGitHubApp } from "./app.ts";

/** Groups sorted times into waves: a new wave starts after a gap of more than `gapMs`. */
function waves(times: number[], gapMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  return sorted.filter((t, i) => i === 0 || t - (sorted[i - 1] ?? t) > gapMs).length;
}

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
    const app = createGitHubApp({
      appId: String(gh.appId),
      privateKey: gh.privateKeyPem,
      baseUrl: gh.url,
      log: createLogger("silent"),
      metrics: createMetrics(),
      maxConcurrentRequests,
    });
    const octokit = app.installation(3);
    await octokit.rest.repos.get({ owner: "acme", repo: "wide" }); // the token, outside the burst
    const before = gh.calls.length;
    gh.setLatency(400);
    try {
      await Promise.all(
        Array.from({ length: 24 }, () => octokit.rest.repos.get({ owner: "acme", repo: "wide" })),
      );
    } finally {
      gh.setLatency(0);
    }
    // GitHub answers each request 400 ms after it arrives: requests let through together finish together.
    return waves(
      gh.calls.slice(before).map((c) => c.at.getTime()),
      200,
    );
  };

  it("lets up to maxConcurrentRequests run at once (the throttling plugin alone allows 10)", async () => {
    expect(await burst(40)).toBe(1);
    expect(await burst(8)).toBe(3);
  });
});
