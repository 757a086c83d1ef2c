import { createAppAuth } from "@octokit/auth-app";
import { Octokit } from "@octokit/rest";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  type GitHubStandIn,
  GitHubState,
  seedFromPullRequestEvent,
  seedFromPullRequestReviewEvent,
  startGitHubStandIn,
  webhookExample,
  webhookExamples,
} from "./index.ts";

const quiet = { debug() {}, info() {}, warn() {}, error() {} };

describe("seeding the stand-in from real @octokit/webhooks-examples deliveries", () => {
  let gh: GitHubStandIn;

  beforeEach(async () => {
    gh = await startGitHubStandIn();
  });

  afterEach(async () => {
    await gh.close();
  });

  function octokitFor(installationId: number) {
    return new Octokit({
      baseUrl: gh.url,
      log: quiet,
      authStrategy: createAppAuth,
      auth: { appId: gh.appId, privateKey: gh.privateKeyPem, installationId },
    });
  }

  it("knows the installation, repository and pull request a pull_request.opened delivery names", async () => {
    const delivery = webhookExample("pull_request", { action: "opened" });
    const payload = delivery as {
      installation: { id: number };
      repository: { id: number; full_name: string; owner: { login: string } };
      pull_request: { id: number; number: number; head: { sha: string }; base: { sha: string; ref: string } };
    };
    seedFromPullRequestEvent(gh.state, delivery);
    const [owner = "", repo = ""] = payload.repository.full_name.split("/");
    const octokit = octokitFor(payload.installation.id);
    const { data: pr } = await octokit.pulls.get({ owner, repo, pull_number: payload.pull_request.number });
    expect(pr).toMatchObject({
      id: payload.pull_request.id,
      head: { sha: payload.pull_request.head.sha },
      base: { sha: payload.pull_request.base.sha, ref: payload.pull_request.base.ref },
    });
    const { data: r } = await octokit.repos.get({ owner, repo });
    expect(r.id).toBe(payload.repository.id);
    // The service can report on the delivery's head commit.
    const check = await octokit.checks.create({
      owner,
      repo,
      name: "sluice/change-control",
      head_sha: pr.head.sha,
    });
    expect(check.data.pull_requests.map((p) => p.number)).toEqual([payload.pull_request.number]);
  });

  it("adds the review of a pull_request_review delivery with REST's upper-case state", async () => {
    const delivery = webhookExample("pull_request_review", { action: "submitted" });
    const { pullRequest, review } = seedFromPullRequestReviewEvent(gh.state, delivery);
    const payload = delivery as { installation: { id: number }; review: { id: number; state: string } };
    const [owner = "", repo = ""] = pullRequest.repo.split("/");
    const reviews = await octokitFor(payload.installation.id).pulls.listReviews({
      owner,
      repo,
      pull_number: pullRequest.number,
    });
    expect(reviews.data.map((r) => [r.id, r.state])).toEqual([
      [payload.review.id, payload.review.state.toUpperCase()],
    ]);
    expect(review.state).toBe(payload.review.state.toUpperCase());
    // A second delivery about the same review does not duplicate it.
    seedFromPullRequestReviewEvent(gh.state, delivery);
    expect(gh.state.pullRequest(pullRequest.repo, pullRequest.number)?.reviews).toHaveLength(1);
  });

  it("keeps files and commits the test added when a later delivery refers to the same pull request", () => {
    const opened = webhookExample("pull_request", { action: "opened" });
    const record = seedFromPullRequestEvent(gh.state, opened);
    gh.state.setPullRequestFiles(record.repo, record.number, [{ filename: "infra/main.ts", additions: 3 }]);
    const synchronize = webhookExample("pull_request", { action: "synchronize" });
    const again = seedFromPullRequestEvent(gh.state, synchronize);
    expect(again.files.map((f) => f.filename)).toEqual(["infra/main.ts"]);
  });

  it("seeds every pull_request example an App receives, organization-owned or not", () => {
    const examples = webhookExamples("pull_request");
    expect(examples.length).toBeGreaterThan(10);
    for (const delivery of examples) {
      const record = seedFromPullRequestEvent(gh.state, delivery);
      const installationId = (delivery as { installation: { id: number } }).installation.id;
      expect(gh.state.repository(record.repo)?.installationId).toBe(installationId);
    }
    const withOrg = webhookExample("pull_request", { action: "opened", organization: true });
    const org = (withOrg as { organization: { login: string } }).organization.login;
    const fresh = new GitHubState();
    seedFromPullRequestEvent(fresh, withOrg);
    expect([...fresh.installations.values()][0]).toMatchObject({ account: org, accountType: "Organization" });
  });

  it("says which field is missing from a payload that is not a pull_request delivery", () => {
    const push = webhookExample("push");
    expect(() => seedFromPullRequestEvent(gh.state, push)).toThrow(/pull_request\.number should be a number/);
    expect(() => webhookExample("pull_request", { action: "no-such-action" })).toThrow(/no-such-action/);
  });
});
