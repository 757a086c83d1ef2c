import { createAppAuth } from "@octokit/auth-app";
import { Octokit } from "@octokit/rest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type GitHubStandIn, startGitHubStandIn } from "./index.ts";
import { gitBlobSha } from "./objects.ts";

const quiet = { debug() {}, info() {}, warn() {}, error() {} };
const REPO = "acme/infra";
const MAIN = "a".repeat(40);
const repo = { owner: "acme", repo: "infra" };
const status = async (call: Promise<unknown>) =>
  call.then(
    () => 200,
    (e: { status?: number; message?: string }) => `${e.status} ${e.message?.split(" - https://")[0]}`,
  );

describe("GitHub stand-in: branch, file and pull request writes", () => {
  let gh: GitHubStandIn;
  let octokit: Octokit;

  beforeAll(async () => {
    gh = await startGitHubStandIn();
    gh.state.addInstallation({
      id: 1,
      account: "acme",
      permissions: { contents: "write", pull_requests: "write", metadata: "read" },
    });
    gh.state.addRepository({ fullName: REPO, installationId: 1 });
    gh.state.setBranch(REPO, "main", MAIN);
    gh.state.setContent(REPO, MAIN, "a.txt", "one\ntwo\n");
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

  it("creates a branch, refusing one that exists or an unknown commit", async () => {
    const { data } = await octokit.git.createRef({ ...repo, ref: "refs/heads/topic", sha: MAIN });
    expect(data).toMatchObject({ ref: "refs/heads/topic", object: { sha: MAIN, type: "commit" } });
    expect((await octokit.git.getRef({ ...repo, ref: "heads/topic" })).data.object.sha).toBe(MAIN);
    expect(await status(octokit.git.createRef({ ...repo, ref: "refs/heads/topic", sha: MAIN }))).toBe(
      "422 Reference already exists",
    );
    expect(await status(octokit.git.createRef({ ...repo, ref: "refs/heads/x", sha: "f".repeat(40) }))).toBe(
      "422 Object does not exist",
    );
    expect(await status(octokit.git.getRef({ ...repo, ref: "heads/none" }))).toBe("404 Not Found");
  });

  it("commits a file on a branch only against its current blob sha, leaving main alone", async () => {
    const content = Buffer.from("one\nTWO\n").toString("base64");
    const put = (sha?: string) =>
      octokit.repos.createOrUpdateFileContents({
        ...repo,
        path: "a.txt",
        branch: "topic",
        message: "change two",
        content,
        ...(sha ? { sha } : {}),
      });
    expect(await status(put())).toBe('422 Invalid request.\n\n"sha" wasn\'t supplied.');
    expect(await status(put("0".repeat(40)))).toBe(`409 a.txt does not match ${"0".repeat(40)}`);
    const { data, status: code } = await put(gitBlobSha(Buffer.from("one\ntwo\n")));
    expect(code).toBe(200);
    const head = gh.state.repository(REPO)?.branches.get("topic");
    expect(data.commit.sha).toBe(head);
    expect(data.commit.parents?.[0]?.sha).toBe(MAIN);
    expect(gh.state.contentsAt(REPO, "topic")?.get("a.txt")?.toString()).toBe("one\nTWO\n");
    expect(gh.state.contentsAt(REPO, "main")?.get("a.txt")?.toString()).toBe("one\ntwo\n");
    const created = await octokit.repos.createOrUpdateFileContents({
      ...repo,
      path: "b.txt",
      branch: "topic",
      message: "add b",
      content: Buffer.from("b\n").toString("base64"),
    });
    expect(created.status).toBe(201);
  });

  it("opens one pull request per head and base, with the changed files", async () => {
    const { data, status: code } = await octokit.pulls.create({
      ...repo,
      head: "topic",
      base: "main",
      title: "Topic",
    });
    expect(code).toBe(201);
    expect(data).toMatchObject({
      number: 1,
      title: "Topic",
      state: "open",
      head: { ref: "topic" },
      base: { ref: "main", sha: MAIN },
    });
    expect(data.user?.login).toBe(`${gh.appSlug}[bot]`);
    const { data: files } = await octokit.pulls.listFiles({ ...repo, pull_number: 1 });
    expect(files.map((f) => [f.filename, f.status, f.additions, f.deletions])).toEqual([
      ["a.txt", "modified", 1, 1],
      ["b.txt", "added", 1, 0],
    ]);
    expect(
      await status(octokit.pulls.create({ ...repo, head: "topic", base: "main", title: "Again" })),
    ).toContain("A pull request already exists for acme:topic.");
    expect(await status(octokit.pulls.create({ ...repo, head: "nope", base: "main", title: "x" }))).toContain(
      '"field":"head","code":"invalid"',
    );
    expect(gh.state.pullRequest(REPO, 2)).toBeUndefined();
  });
});
