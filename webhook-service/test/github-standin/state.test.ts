import { createAppAuth } from "@octokit/auth-app";
import { Octokit } from "@octokit/rest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type GitHubStandIn, GitHubState, startGitHubStandIn } from "./index.ts";

const quiet = { debug() {}, info() {}, warn() {}, error() {} };
const REPO = "acme/infra";
const sha = (c: string) => c.repeat(40);

describe("GitHubState seeding", () => {
  it("refuses a malformed repository name or an unknown pull request, naming it", () => {
    const state = new GitHubState();
    expect(() => state.addRepository({ fullName: "no-slash", installationId: 1 })).toThrow(
      /"owner\/name".*no-slash/,
    );
    expect(() => state.setPullRequestFiles("acme/none", 1, [])).toThrow(/acme\/none/);
  });

  it("resolves refs as GitHub does: a branch to its head, a known or unambiguous short sha to itself", () => {
    const state = new GitHubState();
    state.addRepository({ fullName: REPO, installationId: 1 });
    state.setBranch(REPO, "main", sha("a"));
    state.addCommitShas(REPO, `${"b".repeat(7)}${"c".repeat(33)}`);
    expect(state.resolveRef(REPO, "main")).toBe(sha("a"));
    expect(state.resolveRef(REPO, sha("a"))).toBe(sha("a"));
    expect(state.resolveRef(REPO, "bbbbbbb")).toBe(`${"b".repeat(7)}${"c".repeat(33)}`);
    expect(state.resolveRef(REPO, "dddddddd")).toBeUndefined();
    expect(state.resolveRef("acme/none", "main")).toBeUndefined();
  });
});

describe("pushing to a pull request", () => {
  let gh: GitHubStandIn;
  let octokit: Octokit;

  beforeAll(async () => {
    gh = await startGitHubStandIn();
    gh.state.addInstallation({ id: 2, account: "acme" });
    gh.state.addRepository({ fullName: REPO, installationId: 2 });
    gh.state.addPullRequest(REPO, {
      number: 1,
      user: "alice",
      head: { sha: sha("1"), ref: "f" },
      base: { sha: sha("0"), ref: "main" },
      commits: [{ sha: sha("1"), message: "first", author: "alice" }],
    });
    octokit = new Octokit({
      baseUrl: gh.url,
      log: quiet,
      authStrategy: createAppAuth,
      auth: { appId: gh.appId, privateKey: gh.privateKeyPem, installationId: 2 },
    });
  });

  afterAll(async () => {
    await gh.close();
  });

  it("moves the head: the pull request, its branch and new check runs follow; old runs stay on the old commit", async () => {
    const old = await octokit.checks.create({ owner: "acme", repo: "infra", name: "c", head_sha: sha("1") });
    gh.state.pushToPullRequest(REPO, 1, [
      { sha: sha("2"), message: "second", author: "mallory", committer: "mallory" },
    ]);
    const { data: pr } = await octokit.pulls.get({ owner: "acme", repo: "infra", pull_number: 1 });
    expect(pr.head.sha).toBe(sha("2"));
    expect(pr.commits).toBe(2);
    const fresh = await octokit.checks.create({
      owner: "acme",
      repo: "infra",
      name: "c",
      head_sha: sha("2"),
    });
    expect(fresh.data.pull_requests.map((p) => p.number)).toEqual([1]);
    const { data: stale } = await octokit.checks.get({
      owner: "acme",
      repo: "infra",
      check_run_id: old.data.id,
    });
    expect(stale.pull_requests).toEqual([]);
    const onBranch = await octokit.checks.listForRef({ owner: "acme", repo: "infra", ref: "f" });
    expect(onBranch.data.check_runs.map((r) => r.id)).toEqual([fresh.data.id]);
    const { data: commits } = await octokit.pulls.listCommits({
      owner: "acme",
      repo: "infra",
      pull_number: 1,
    });
    expect(commits.map((c) => (c.committer && "login" in c.committer ? c.committer.login : null))).toEqual([
      "alice",
      "mallory",
    ]);
  });

  it("finds a head a test set by assignment rather than by a push", async () => {
    const pr = gh.state.pullRequest(REPO, 1);
    if (!pr) throw new Error("seeded pull request missing");
    pr.head = { ...pr.head, sha: sha("3") };
    gh.state.addCommitShas(REPO, sha("3"));
    const run = await octokit.checks.create({ owner: "acme", repo: "infra", name: "c", head_sha: sha("3") });
    expect(run.data.pull_requests.map((p) => p.number)).toEqual([1]);
  });
});
