import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createAppAuth } from "@octokit/auth-app";
import { Octokit } from "@octokit/rest";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { appDigestLine, withAppDigest } from "../../core/promote/test/digests.ts";
import { type GitHubStandIn, startGitHubStandIn } from "../../webhook-service/test/github-standin/index.ts";
import { main } from "../main.ts";
import { memoryIo } from "../test/memory-io.ts";

const root = resolve(import.meta.dirname, "../..");
const file = (env: string) => `gitops/envs/${env}/values.yaml`;
const original = (env: string) => readFileSync(join(root, file(env)), "utf8");
const OLD = "sha256:0000000000000000000000000000000000000000000000000000000000000001";
const NEW = `sha256:${"c0ffee".repeat(10)}abcd`;
const devText = withAppDigest(original("dev"), "orders", OLD, NEW);
const changedLines = (before: string, after: string) => {
  const a = before.split("\n");
  const b = after.split("\n");
  expect(b).toHaveLength(a.length);
  return b.flatMap((line, i) => (line !== a[i] ? [line] : []));
};

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A checkout with the repository's three values files, dev's orders at a new digest. */
function checkout(): string {
  const dir = mkdtempSync(join(tmpdir(), "sluice-promote-"));
  dirs.push(dir);
  for (const env of ["dev", "staging", "prod"]) {
    mkdirSync(join(dir, `gitops/envs/${env}`), { recursive: true });
    writeFileSync(join(dir, file(env)), env === "dev" ? devText : original(env));
  }
  return dir;
}

describe("sluice promote (local files)", () => {
  it("rewrites the target's digest, prints the one-line diff and says what it did", async () => {
    const cwd = checkout();
    const m = memoryIo({ cwd });
    expect(await main(["promote", "orders", "--from", "dev", "--to", "staging"], m.io)).toBe(0);
    const after = readFileSync(join(cwd, file("staging")), "utf8");
    expect(changedLines(original("staging"), after)).toEqual([`        digest: ${NEW}`]);
    expect(m.stdout).toContain(
      `--- a/${file("staging")}\n+++ b/${file("staging")}\n@@ -${appDigestLine(original("staging"), "orders") - 3},7 +${appDigestLine(original("staging"), "orders") - 3},7 @@\n`,
    );
    expect(m.stdout).toContain(`-        digest: ${OLD}\n+        digest: ${NEW}\n`);
    expect(m.stderr).toBe(`orders: staging ${OLD} → ${NEW} (from dev), written to ${file("staging")}\n`);
    // dev and prod are untouched.
    expect(readFileSync(join(cwd, file("dev")), "utf8")).toBe(devText);
    expect(readFileSync(join(cwd, file("prod")), "utf8")).toBe(original("prod"));

    const again = memoryIo({ cwd });
    expect(await main(["promote", "orders", "--from", "dev", "--to", "staging"], again.io)).toBe(0);
    expect(again.stdout).toBe(`orders: staging already runs ${NEW}; nothing to promote\n`);
  });

  it("sets a freshly built digest in dev with --digest (the build's bump), and nowhere else", async () => {
    const cwd = checkout();
    writeFileSync(join(cwd, file("dev")), original("dev"));
    const m = memoryIo({ cwd });
    expect(await main(["promote", "orders", "--digest", NEW, "--to", "dev"], m.io)).toBe(0);
    expect(readFileSync(join(cwd, file("dev")), "utf8")).toBe(devText);
    expect(m.stdout).toContain(`-        digest: ${OLD}\n+        digest: ${NEW}\n`);
    expect(m.stderr).toBe(`orders: dev ${OLD} → ${NEW} (new build), written to ${file("dev")}\n`);
  });

  it("writes nothing with --dry-run", async () => {
    const cwd = checkout();
    const m = memoryIo({ cwd });
    expect(await main(["promote", "orders", "--from", "dev", "--to", "staging", "--dry-run"], m.io)).toBe(0);
    expect(m.stdout).toContain(`+        digest: ${NEW}`);
    expect(m.stderr).toContain("(dry run, nothing written)");
    expect(readFileSync(join(cwd, file("staging")), "utf8")).toBe(original("staging"));
  });

  it.each([
    [
      ["orders", "--from", "dev", "--to", "prod"],
      "'dev' promotes to 'staging' only (order: dev → staging → prod), not to 'prod'",
    ],
    [["orders", "--from", "dev", "--to", "dev"], "--from and --to are both 'dev'"],
    [["orders", "--from", "qa", "--to", "staging"], "--from: unknown environment 'qa'"],
    [
      ["payments", "--from", "dev", "--to", "staging"],
      "gitops/envs/dev/values.yaml: no app 'payments' under apps",
    ],
    [["orders", "--to", "staging"], "--from and --to are required (or --digest and --to)"],
    [["--from", "dev", "--to", "staging"], "expected one service name, got none"],
    [["orders", "--digest", NEW, "--to", "staging"], "--digest sets a new image in 'dev' only"],
    [
      ["orders", "--from", "dev", "--to", "staging", "--expect-digest", OLD],
      `the digest to promote is ${NEW}, not the expected ${OLD}`,
    ],
    [
      ["orders", "--digest", NEW, "--from", "dev", "--to", "staging"],
      "--digest and --from cannot be combined",
    ],
    [
      ["orders", "--from", "dev", "--to", "staging", "--pr", "--dry-run"],
      "--pr and --dry-run cannot be combined",
    ],
    [["orders", "--from", "dev", "--to", "staging", "--pr"], "--pr needs GITHUB_TOKEN"],
  ])("refuses %j with exit 2 and changes nothing", async (args, message) => {
    const cwd = checkout();
    const m = memoryIo({ cwd });
    expect(await main(["promote", ...args], m.io)).toBe(2);
    expect(m.stderr).toContain(message);
    expect(readFileSync(join(cwd, file("staging")), "utf8")).toBe(original("staging"));
    expect(readFileSync(join(cwd, file("prod")), "utf8")).toBe(original("prod"));
  });
});

describe("sluice promote --pr (GitHub REST, against the stand-in on loopback)", () => {
  const REPO = "acme/platform";
  const MAIN_SHA = "1".repeat(40);
  let gh: GitHubStandIn;
  let token = "";

  async function seed(permissions: Record<string, "read" | "write">) {
    gh = await startGitHubStandIn();
    gh.state.addInstallation({ id: 5, account: "acme", permissions });
    gh.state.addRepository({ fullName: REPO, installationId: 5 });
    gh.state.setBranch(REPO, "main", MAIN_SHA);
    for (const env of ["dev", "staging", "prod"]) {
      gh.state.setContent(REPO, MAIN_SHA, file(env), env === "dev" ? devText : original(env));
    }
    const app = new Octokit({
      baseUrl: gh.url,
      authStrategy: createAppAuth,
      auth: { appId: gh.appId, privateKey: gh.privateKeyPem, installationId: 5 },
    });
    token = ((await app.auth({ type: "installation" })) as { token: string }).token;
  }
  const env = () => ({ GITHUB_TOKEN: token, GITHUB_API_URL: gh.url, GITHUB_REPOSITORY: REPO });

  afterEach(async () => {
    await gh?.close();
  });

  it("creates a branch from main, commits the one-line change and opens the pull request", async () => {
    await seed({ contents: "write", pull_requests: "write", metadata: "read" });
    const first = memoryIo({ cwd: tmpdir(), env: env() });
    expect(
      await main(
        ["promote", "orders", "--from", "dev", "--to", "staging", "--pr", "--expect-digest", NEW],
        first.io,
      ),
    ).toBe(0);

    const branch = `promote/orders-staging-${"c0ffee".repeat(2)}`;
    const headSha = gh.state.repository(REPO)?.branches.get(branch) ?? "";
    expect(headSha).toMatch(/^[0-9a-f]{40}$/);
    const head = gh.state.contentsAt(REPO, headSha);
    const committed = head?.get(file("staging"))?.toString("utf8") ?? "";
    expect(changedLines(original("staging"), committed)).toEqual([`        digest: ${NEW}`]);
    expect(head?.get(file("prod"))?.toString("utf8")).toBe(original("prod"));
    // main itself is unchanged: the change only exists on the branch.
    expect(gh.state.repository(REPO)?.branches.get("main")).toBe(MAIN_SHA);
    expect(gh.state.contentsAt(REPO, "main")?.get(file("staging"))?.toString("utf8")).toBe(
      original("staging"),
    );

    const pr = gh.state.pullRequest(REPO, 1);
    expect(pr).toMatchObject({
      title: `Promote orders to staging: ${NEW.slice(0, 19)}`,
      head: { ref: branch, sha: headSha },
      base: { ref: "main", sha: MAIN_SHA },
      state: "open",
    });
    expect(pr?.files).toEqual([
      { filename: file("staging"), status: "modified", additions: 1, deletions: 1 },
    ]);
    expect(pr?.body).toContain(`- digest: \`${NEW}\` (was \`${OLD}\`)`);
    expect(pr?.body).toContain("- repository: `222222222222.dkr.ecr.eu-west-1.amazonaws.com/staging-orders`");
    expect(first.stdout).toContain(`+        digest: ${NEW}\n`);
    expect(first.stdout).toContain(`https://github.com/${REPO}/pull/1\n`);
    expect(
      gh.calls
        .map((c) => `${c.method} ${decodeURIComponent(c.path)} ${c.status}`)
        .filter((c) => c.includes(" /repos/")),
    ).toEqual([
      `GET /repos/${REPO}/git/ref/heads/main 200`,
      `GET /repos/${REPO}/contents/${file("dev")} 200`,
      `GET /repos/${REPO}/contents/${file("staging")} 200`,
      `POST /repos/${REPO}/git/refs 201`,
      `PUT /repos/${REPO}/contents/${file("staging")} 200`,
      `POST /repos/${REPO}/pulls 201`,
    ]);
    expect(`${first.stdout}${first.stderr}`).not.toContain(token);

    // The same promotion again finds the pull request already open instead of opening a second.
    const again = memoryIo({ cwd: tmpdir(), env: env() });
    expect(await main(["promote", "orders", "--from", "dev", "--to", "staging", "--pr"], again.io)).toBe(0);
    expect(again.stdout).toContain(`already proposed: https://github.com/${REPO}/pull/1\n`);
    expect(gh.state.pullRequest(REPO, 2)).toBeUndefined();
  });

  it("reports GitHub's refusal in one line, without the token, and leaves main alone", async () => {
    await seed({ contents: "read", pull_requests: "write", metadata: "read" });
    const m = memoryIo({ cwd: tmpdir(), env: env() });
    expect(await main(["promote", "orders", "--from", "dev", "--to", "staging", "--pr"], m.io)).toBe(1);
    expect(m.stderr).toContain("GitHub answered 403 to creating branch promote/orders-staging-");
    expect(m.stderr).toContain("Resource not accessible by integration");
    expect(m.stderr).not.toContain(token);
    expect(gh.state.pullRequest(REPO, 1)).toBeUndefined();
    expect(gh.state.repository(REPO)?.branches.get("main")).toBe(MAIN_SHA);
  });

  it("opens the build's dev pull request for a new digest", async () => {
    await seed({ contents: "write", pull_requests: "write", metadata: "read" });
    gh.state.setContent(REPO, MAIN_SHA, file("dev"), original("dev"));
    const m = memoryIo({ cwd: tmpdir(), env: env() });
    expect(await main(["promote", "orders", "--digest", NEW, "--to", "dev", "--pr"], m.io)).toBe(0);
    const pr = gh.state.pullRequest(REPO, 1);
    expect(pr?.title).toBe(`Deploy orders ${NEW.slice(0, 19)} to dev`);
    const head = gh.state.contentsAt(REPO, pr?.head.sha ?? "");
    expect(head?.get(file("dev"))?.toString("utf8")).toBe(devText);
    expect(gh.callsTo("GET", /\/contents\//).map((c) => decodeURIComponent(c.path))).toEqual([
      `/repos/${REPO}/contents/${file("dev")}`,
    ]);
  });

  it("says so when the target already runs the digest on the base branch, opening nothing", async () => {
    await seed({ contents: "write", pull_requests: "write", metadata: "read" });
    gh.state.setContent(
      REPO,
      MAIN_SHA,
      file("staging"),
      withAppDigest(original("staging"), "orders", OLD, NEW),
    );
    const m = memoryIo({ cwd: tmpdir(), env: env() });
    expect(await main(["promote", "orders", "--from", "dev", "--to", "staging", "--pr"], m.io)).toBe(0);
    expect(m.stdout).toBe(`orders: staging already runs ${NEW} on main; no pull request\n`);
    expect(gh.callsTo("POST", /^\/repos\//)).toEqual([]);
    expect(gh.callsTo("PUT", /./)).toEqual([]);
  });
});
