import { createAppAuth } from "@octokit/auth-app";
import { Octokit } from "@octokit/rest";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type GitHubStandIn, MAX_PULL_FILES, startGitHubStandIn } from "./index.ts";

const REPO = "acme/infra";
const HEAD = "a".repeat(40);
const BASE = "b".repeat(40);

function files(n: number) {
  return Array.from({ length: n }, (_, i) => ({
    filename: `modules/m${i}/main.ts`,
    status: "modified" as const,
    additions: i % 7,
    deletions: 1,
    patch: `@@ -1 +1 @@\n-old ${i}\n+new ${i}`,
  }));
}

describe("GitHub stand-in, seen through @octokit/rest and @octokit/auth-app", () => {
  let gh: GitHubStandIn;
  let octokit: Octokit;

  beforeEach(async () => {
    gh = await startGitHubStandIn();
    gh.state.addInstallation({ id: 77, account: "acme" });
    gh.state.addRepository({ fullName: REPO, installationId: 77 });
    gh.state.addPullRequest(REPO, {
      number: 5,
      user: "alice",
      head: { sha: HEAD, ref: "feature/vpc" },
      base: { sha: BASE, ref: "main" },
      labels: ["infra"],
      files: files(250),
    });
    octokit = new Octokit({
      baseUrl: gh.url,
      authStrategy: createAppAuth,
      auth: { appId: gh.appId, privateKey: gh.privateKeyPem, installationId: 77 },
    });
  });

  afterEach(async () => {
    await gh.close();
  });

  it("issues an installation token against the App JWT and uses it on repository endpoints", async () => {
    const { data: pr } = await octokit.pulls.get({ owner: "acme", repo: "infra", pull_number: 5 });
    expect(pr.head.sha).toBe(HEAD);
    expect(pr.user.login).toBe("alice");
    expect(pr.labels.map((l) => l.name)).toEqual(["infra"]);
    expect(pr.changed_files).toBe(250);
    const tokenCalls = gh.callsTo("POST", "/app/installations/77/access_tokens");
    expect(tokenCalls).toHaveLength(1);
    expect(tokenCalls[0]).toMatchObject({ status: 201, auth: "jwt" });
    expect(gh.callsTo("GET", "/repos/acme/infra/pulls/5")[0]).toMatchObject({
      status: 200,
      auth: "installation",
      installationId: 77,
    });
  });

  it("paginates pull request files with Link headers, octokit.paginate following rel=next", async () => {
    const listed = await octokit.paginate(octokit.pulls.listFiles, {
      owner: "acme",
      repo: "infra",
      pull_number: 5,
      per_page: 100,
    });
    expect(listed.map((f) => f.filename)).toEqual(files(250).map((f) => f.filename));
    const pages = gh.callsTo("GET", "/repos/acme/infra/pulls/5/files");
    expect(pages.map((c) => c.query.page ?? "1")).toEqual(["1", "2", "3"]);
  });

  it("lists at most 3000 files, as GitHub does", async () => {
    gh.state.setPullRequestFiles(REPO, 5, files(3105));
    const listed = await octokit.paginate(octokit.pulls.listFiles, {
      owner: "acme",
      repo: "infra",
      pull_number: 5,
      per_page: 100,
    });
    expect(listed).toHaveLength(MAX_PULL_FILES);
  });

  it("creates and updates a check run, and lists it for the commit", async () => {
    const { data: created, status } = await octokit.checks.create({
      owner: "acme",
      repo: "infra",
      name: "sluice/change-control",
      head_sha: HEAD,
      status: "in_progress",
    });
    expect(status).toBe(201);
    expect(created).toMatchObject({ name: "sluice/change-control", head_sha: HEAD, status: "in_progress" });
    expect(created.conclusion).toBeNull();
    expect(created.pull_requests.map((p) => p.number)).toEqual([5]);
    expect(created.app?.id).toBe(gh.appId);

    const { data: updated } = await octokit.checks.update({
      owner: "acme",
      repo: "infra",
      check_run_id: created.id,
      conclusion: "failure",
      output: { title: "2 findings", summary: "Needs approval from @acme/platform" },
    });
    expect(updated).toMatchObject({ status: "completed", conclusion: "failure" });
    expect(updated.completed_at).not.toBeNull();
    expect(updated.output).toMatchObject({
      title: "2 findings",
      summary: "Needs approval from @acme/platform",
    });

    const { data: listed } = await octokit.checks.listForRef({
      owner: "acme",
      repo: "infra",
      ref: HEAD,
      check_name: "sluice/change-control",
    });
    expect(listed.total_count).toBe(1);
    expect(listed.check_runs[0]?.id).toBe(created.id);
    expect(gh.checkRuns(REPO, HEAD)).toEqual([updated]);
  });

  it("rejects a check run GitHub would reject, with 422", async () => {
    await expect(
      octokit.checks.create({ owner: "acme", repo: "infra", name: "x", head_sha: HEAD, status: "completed" }),
    ).rejects.toMatchObject({ status: 422 });
    await expect(
      // @ts-expect-error name is required by the REST description too
      octokit.checks.create({ owner: "acme", repo: "infra", head_sha: HEAD }),
    ).rejects.toMatchObject({ status: 422 });
    await expect(
      octokit.checks.create({ owner: "acme", repo: "infra", name: "x", head_sha: "c".repeat(40) }),
    ).rejects.toMatchObject({ status: 422, message: expect.stringContaining("No commit found for SHA") });
    expect(gh.checkRuns(REPO)).toEqual([]);
  });

  it("posts, lists and edits pull request comments as the App's bot", async () => {
    const { data: posted } = await octokit.issues.createComment({
      owner: "acme",
      repo: "infra",
      issue_number: 5,
      body: "<!-- sluice -->\nfirst",
    });
    expect(posted.user?.login).toBe(`${gh.appSlug}[bot]`);
    await octokit.issues.updateComment({
      owner: "acme",
      repo: "infra",
      comment_id: posted.id,
      body: "<!-- sluice -->\nsecond",
    });
    const listed = await octokit.paginate(octokit.issues.listComments, {
      owner: "acme",
      repo: "infra",
      issue_number: 5,
    });
    expect(listed.map((c) => c.body)).toEqual(["<!-- sluice -->\nsecond"]);
    expect(gh.comments(REPO, 5).map((c) => c.body)).toEqual(["<!-- sluice -->\nsecond"]);
  });
});
