import { createAppAuth } from "@octokit/auth-app";
import { Octokit } from "@octokit/rest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type GitHubStandIn,
  MAX_COMMENT_CHARS,
  MAX_INLINE_CONTENT_BYTES,
  MAX_PULL_COMMITS,
  startGitHubStandIn,
} from "./index.ts";

const quiet = { debug() {}, info() {}, warn() {}, error() {} };
const REPO = "acme/infra";
const BASE = "b".repeat(40);
const HEAD = "c".repeat(40);
const POLICY = "version: 1\nrequire:\n  approvals: 2\n";

describe("GitHub stand-in endpoints, as @octokit/rest calls them", () => {
  let gh: GitHubStandIn;
  let octokit: Octokit;
  const repo = { owner: "acme", repo: "infra" };

  beforeAll(async () => {
    gh = await startGitHubStandIn();
    const s = gh.state;
    s.addInstallation({ id: 1, account: "acme" });
    s.addRepository({ fullName: REPO, installationId: 1, defaultBranch: "main" });
    s.setBranch(REPO, "main", BASE);
    s.setContent(REPO, "main", "change-control.yaml", POLICY);
    s.setContent(REPO, "main", ".github/CODEOWNERS", "* @acme/platform\n");
    s.setContent(REPO, HEAD, "change-control.yaml", "version: 1\nrequire:\n  approvals: 0\n");
    s.addPullRequest(REPO, {
      number: 7,
      user: "alice",
      title: "VPC endpoints",
      head: { sha: HEAD, ref: "alice/vpc" },
      base: { sha: BASE, ref: "main" },
      labels: ["infra", "prod"],
      draft: true,
      commits: Array.from({ length: 260 }, (_, i) => ({
        sha: i === 259 ? HEAD : i.toString(16).padStart(40, "0"),
        message: `step ${i}\n\nCo-authored-by: Bob <bob@acme.test>`,
        author: "alice",
        committer: i === 259 ? "carol" : "alice",
        authorEmail: "alice@acme.test",
      })),
      reviews: [
        { user: "bob", state: "APPROVED", commitId: HEAD, submittedAt: "2026-12-01T10:00:00Z" },
        { user: "dave", state: "PENDING", commitId: HEAD },
        { user: "erin", state: "CHANGES_REQUESTED", commitId: BASE, submittedAt: "2026-12-01T09:00:00Z" },
      ],
    });
    s.addPullRequest(REPO, {
      number: 8,
      user: "bob",
      head: { sha: "d".repeat(40), ref: "bob/old" },
      base: { sha: BASE, ref: "main" },
      state: "closed",
    });
    s.addOrgMember("acme", "alice", "bob", "carol");
    s.addTeam("acme", "platform", [
      "bob",
      { login: "erin", role: "maintainer" },
      { login: "zed", state: "pending" },
    ]);
    octokit = new Octokit({
      baseUrl: gh.url,
      log: quiet,
      authStrategy: createAppAuth,
      auth: { appId: gh.appId, privateKey: gh.privateKeyPem, installationId: 1 },
    });
  });

  afterAll(async () => {
    await gh.close();
  });

  it("serves file contents at a ref in base64, as GitHub does, and 404 when absent", async () => {
    const { data } = await octokit.repos.getContent({ ...repo, path: "change-control.yaml", ref: "main" });
    if (Array.isArray(data) || data.type !== "file") throw new Error("expected a file");
    expect(data.encoding).toBe("base64");
    expect(Buffer.from(data.content, "base64").toString("utf8")).toBe(POLICY);
    expect(data.size).toBe(Buffer.byteLength(POLICY));
    expect(data.sha).toMatch(/^[0-9a-f]{40}$/);
    // The base branch's sha names the same tree as the branch; the head has its own copy.
    const bySha = await octokit.repos.getContent({ ...repo, path: "change-control.yaml", ref: BASE });
    expect(bySha.data).toMatchObject({ sha: data.sha });
    const atHead = await octokit.repos.getContent({ ...repo, path: "change-control.yaml", ref: HEAD });
    expect(atHead.data).not.toMatchObject({ sha: data.sha });
    const byDefault = await octokit.repos.getContent({ ...repo, path: ".github/CODEOWNERS" });
    expect(byDefault.data).toMatchObject({ path: ".github/CODEOWNERS", name: "CODEOWNERS" });
    await expect(
      octokit.repos.getContent({ ...repo, path: "glossary.md", ref: "main" }),
    ).rejects.toMatchObject({
      status: 404,
    });
    await expect(
      octokit.repos.getContent({ ...repo, path: "change-control.yaml", ref: "nope" }),
    ).rejects.toMatchObject({
      status: 404,
    });
    gh.state.setContent(REPO, "main", "big.json", Buffer.alloc(MAX_INLINE_CONTENT_BYTES + 1, 32));
    // Over 1 MB: 403 too_large in the default media type, no content in the object one, the bytes in raw.
    await expect(octokit.repos.getContent({ ...repo, path: "big.json", ref: "main" })).rejects.toMatchObject({
      status: 403,
      response: { data: { errors: [{ code: "too_large" }] } },
    });
    const big = await octokit.repos.getContent({
      ...repo,
      path: "big.json",
      ref: "main",
      mediaType: { format: "object" },
    });
    expect(big.data).toMatchObject({ encoding: "none", content: "", size: MAX_INLINE_CONTENT_BYTES + 1 });
    const raw = await octokit.repos.getContent({
      ...repo,
      path: "change-control.yaml",
      ref: "main",
      mediaType: { format: "raw" },
    });
    expect(raw.data).toBe(POLICY);
    const { data: dir } = await octokit.repos.getContent({ ...repo, path: ".github", ref: "main" });
    expect(Array.isArray(dir) && dir.map((e) => [e.name, e.type])).toEqual([["CODEOWNERS", "file"]]);
    const { data: root } = await octokit.repos.getContent({ ...repo, path: "", ref: "main" });
    expect(Array.isArray(root) && root.map((e) => [e.name, e.type])).toEqual([
      [".github", "dir"],
      ["big.json", "file"],
      ["change-control.yaml", "file"],
    ]);
  });

  it("serves the full pull request, its commits (250 at most) and its reviews (no one else's pending review)", async () => {
    const { data: pr } = await octokit.pulls.get({ ...repo, pull_number: 7 });
    expect(pr).toMatchObject({
      number: 7,
      title: "VPC endpoints",
      draft: true,
      state: "open",
      head: { sha: HEAD, ref: "alice/vpc", repo: { full_name: REPO } },
      base: { sha: BASE, ref: "main", repo: { full_name: REPO, default_branch: "main" } },
      user: { login: "alice", type: "User" },
    });
    expect(pr.commits).toBe(260);
    const commits = await octokit.paginate(octokit.pulls.listCommits, {
      ...repo,
      pull_number: 7,
      per_page: 100,
    });
    expect(commits).toHaveLength(MAX_PULL_COMMITS);
    expect(commits[0]).toMatchObject({
      author: { login: "alice" },
      committer: { login: "alice" },
      commit: {
        author: { email: "alice@acme.test" },
        message: expect.stringContaining("Co-authored-by: Bob"),
      },
    });
    const reviews = await octokit.paginate(octokit.pulls.listReviews, { ...repo, pull_number: 7 });
    expect(reviews.map((r) => [r.user?.login, r.state, r.commit_id])).toEqual([
      ["bob", "APPROVED", HEAD],
      ["erin", "CHANGES_REQUESTED", BASE],
    ]);
    await expect(octokit.pulls.get({ ...repo, pull_number: 99 })).rejects.toMatchObject({ status: 404 });
  });

  it("lists pull requests by state and head, and the pull requests of a commit", async () => {
    const open = await octokit.pulls.list({ ...repo });
    expect(open.data.map((p) => p.number)).toEqual([7]);
    const all = await octokit.pulls.list({ ...repo, state: "all" });
    expect(all.data.map((p) => p.number).sort()).toEqual([7, 8]);
    const byHead = await octokit.pulls.list({ ...repo, state: "all", head: "acme:bob/old" });
    expect(byHead.data.map((p) => p.number)).toEqual([8]);
    const byOtherOwner = await octokit.pulls.list({ ...repo, state: "all", head: "someone:bob/old" });
    expect(byOtherOwner.data).toEqual([]);
    const ofCommit = await octokit.repos.listPullRequestsAssociatedWithCommit({ ...repo, commit_sha: HEAD });
    expect(ofCommit.data.map((p) => p.number)).toEqual([7]);
  });

  it("answers organization and team membership as GitHub does (204/404, active/pending)", async () => {
    const member = await octokit.orgs.checkMembershipForUser({ org: "acme", username: "carol" });
    expect(member.status).toBe(204);
    await expect(
      octokit.orgs.checkMembershipForUser({ org: "acme", username: "mallory" }),
    ).rejects.toMatchObject({
      status: 404,
    });
    const erin = await octokit.teams.getMembershipForUserInOrg({
      org: "acme",
      team_slug: "platform",
      username: "erin",
    });
    expect(erin.data).toMatchObject({ state: "active", role: "maintainer" });
    const zed = await octokit.teams.getMembershipForUserInOrg({
      org: "acme",
      team_slug: "platform",
      username: "zed",
    });
    expect(zed.data).toMatchObject({ state: "pending" });
    await expect(
      octokit.teams.getMembershipForUserInOrg({ org: "acme", team_slug: "platform", username: "alice" }),
    ).rejects.toMatchObject({ status: 404 });
    const members = await octokit.paginate(octokit.teams.listMembersInOrg, {
      org: "acme",
      team_slug: "platform",
    });
    expect(members.map((m) => m.login).sort()).toEqual(["bob", "erin"]);
    const orgMembers = await octokit.paginate(octokit.orgs.listMembers, { org: "acme", per_page: 2 });
    expect(orgMembers.map((m) => m.login)).toEqual(["alice", "bob", "carol", "erin"]);
    await expect(
      octokit.orgs.checkMembershipForUser({ org: "other", username: "alice" }),
    ).rejects.toMatchObject({
      status: 404,
    });
  });

  it("keeps only the latest check run of each name unless filter=all, and 422 for an unknown ref", async () => {
    const first = await octokit.checks.create({ ...repo, name: "sluice/change-control", head_sha: HEAD });
    const second = await octokit.checks.create({
      ...repo,
      name: "sluice/change-control",
      head_sha: HEAD,
      conclusion: "success",
      output: { title: "ok", summary: "approved" },
    });
    await octokit.checks.create({ ...repo, name: "other", head_sha: HEAD, status: "in_progress" });
    expect(first.data.status).toBe("queued");
    expect(second.data).toMatchObject({ status: "completed", conclusion: "success" });
    const latest = await octokit.checks.listForRef({
      ...repo,
      ref: "alice/vpc",
      check_name: "sluice/change-control",
    });
    expect(latest.data.check_runs.map((r) => r.id)).toEqual([second.data.id]);
    const all = await octokit.checks.listForRef({ ...repo, ref: HEAD, filter: "all" });
    expect(all.data.total_count).toBe(3);
    await expect(octokit.checks.listForRef({ ...repo, ref: "e".repeat(40) })).rejects.toMatchObject({
      status: 422,
    });
    await expect(
      octokit.checks.update({ ...repo, check_run_id: first.data.id, status: "completed" }),
    ).rejects.toMatchObject({ status: 422 });
    await expect(
      octokit.checks.create({
        ...repo,
        name: "x",
        head_sha: HEAD,
        output: { title: "t", summary: "s".repeat(65_536) },
      }),
    ).rejects.toMatchObject({ status: 422 });
    await expect(
      octokit.checks.update({ ...repo, check_run_id: 1, conclusion: "success" }),
    ).rejects.toMatchObject({
      status: 404,
    });
  });

  it("refuses a comment longer than GitHub's limit and 404s a comment on an unknown pull request", async () => {
    await expect(
      octokit.issues.createComment({ ...repo, issue_number: 7, body: "x".repeat(MAX_COMMENT_CHARS + 1) }),
    ).rejects.toMatchObject({ status: 422 });
    await expect(
      octokit.issues.createComment({ ...repo, issue_number: 404, body: "hi" }),
    ).rejects.toMatchObject({
      status: 404,
    });
    const { data } = await octokit.issues.createComment({
      ...repo,
      issue_number: 7,
      body: "x".repeat(MAX_COMMENT_CHARS),
    });
    await octokit.issues.deleteComment({ ...repo, comment_id: data.id });
    expect(gh.comments(REPO, 7)).toEqual([]);
  });

  it("paginates comments with Link headers naming next, last, prev and first", async () => {
    for (let i = 0; i < 5; i++)
      await octokit.issues.createComment({ ...repo, issue_number: 8, body: `c${i}` });
    const page2 = await octokit.issues.listComments({ ...repo, issue_number: 8, per_page: 2, page: 2 });
    expect(page2.data.map((c) => c.body)).toEqual(["c2", "c3"]);
    const links = Object.fromEntries(
      (page2.headers.link ?? "").split(", ").map((part) => {
        const [, url, rel] = /^<([^>]+)>; rel="(\w+)"$/.exec(part) ?? [];
        return [rel, new URL(url ?? "").searchParams.get("page")];
      }),
    );
    expect(links).toEqual({ prev: "1", next: "3", last: "3", first: "1" });
    const single = await octokit.issues.listComments({ ...repo, issue_number: 8, per_page: 100 });
    expect(single.headers.link).toBeUndefined();
  });

  it("records deployment protection rule reviews and notes, and 422s an invalid state or an environment not waiting", async () => {
    gh.state.addPendingProtectionRule(REPO, 555, "production");
    const callback = new URL(gh.deploymentCallbackUrl(REPO, 555));
    const route = `POST ${callback.pathname}` as const;
    await expect(
      octokit.request(route, { environment_name: "production", state: "maybe" } as never),
    ).rejects.toMatchObject({ status: 422 });
    await expect(
      octokit.request(route, { environment_name: "staging", state: "approved" }),
    ).rejects.toMatchObject({
      status: 422,
    });
    const note = await octokit.actions.reviewCustomGatesForRun({
      ...repo,
      run_id: 555,
      environment_name: "production",
      comment: "checking the plan digest",
    });
    expect(note.status).toBe(204);
    await expect(octokit.request(route, { environment_name: "production" } as never)).rejects.toMatchObject({
      status: 422,
    });
    const answer = await octokit.actions.reviewCustomGatesForRun({
      ...repo,
      run_id: 555,
      environment_name: "production",
      state: "rejected",
      comment: "plan digest does not match the approved plan",
    });
    expect(answer.status).toBe(204);
    expect(gh.protectionReviews(REPO, 555)).toEqual([
      expect.objectContaining({
        environment_name: "production",
        state: undefined,
        comment: "checking the plan digest",
      }),
      expect.objectContaining({
        environment_name: "production",
        state: "rejected",
        comment: "plan digest does not match the approved plan",
      }),
    ]);
  });
});
