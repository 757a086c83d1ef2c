import { generateKeyPairSync } from "node:crypto";
import { createAppAuth } from "@octokit/auth-app";
import { Octokit } from "@octokit/rest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type GitHubStandIn, JWT_MESSAGES, signAppJwt, startGitHubStandIn } from "./index.ts";

const quiet = { debug() {}, info() {}, warn() {}, error() {} };
const HEAD = "1".repeat(40);

async function call(gh: GitHubStandIn, method: string, path: string, authorization?: string, body?: unknown) {
  const response = await fetch(`${gh.url}${path}`, {
    method,
    headers: {
      accept: "application/vnd.github+json",
      ...(authorization ? { authorization } : {}),
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

async function installationToken(
  gh: GitHubStandIn,
  installationId: number,
  body?: unknown,
  nowSeconds = Math.floor(Date.now() / 1000),
): Promise<string> {
  const jwt = signAppJwt(gh.privateKeyPem, { iss: gh.appId }, nowSeconds);
  const answer = await call(
    gh,
    "POST",
    `/app/installations/${installationId}/access_tokens`,
    `Bearer ${jwt}`,
    body,
  );
  expect(answer.status).toBe(201);
  return answer.body.token as string;
}

describe("GitHub stand-in authentication", () => {
  let gh: GitHubStandIn;
  let clock = Date.now();

  beforeAll(async () => {
    gh = await startGitHubStandIn({ now: () => new Date(clock), tokenLifetimeSeconds: 600 });
    gh.state.addInstallation({ id: 10, account: "acme" });
    gh.state.addRepository({ fullName: "acme/infra", installationId: 10 });
    gh.state.addRepository({ fullName: "acme/apps", installationId: 10 });
    gh.state.addInstallation({ id: 20, account: "other" });
    gh.state.addRepository({ fullName: "other/secret", installationId: 20 });
    gh.state.addInstallation({
      id: 30,
      account: "narrow",
      permissions: { metadata: "read", pull_requests: "read" },
    });
    gh.state.addRepository({ fullName: "narrow/repo", installationId: 30 });
    gh.state.addCommitShas("narrow/repo", HEAD);
  });

  afterAll(async () => {
    await gh.close();
  });

  it("answers 401 to a JWT signed with another key, and Octokit sees it", async () => {
    const forged = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({
      type: "pkcs8",
      format: "pem",
    });
    const octokit = new Octokit({
      baseUrl: gh.url,
      log: quiet,
      authStrategy: createAppAuth,
      auth: { appId: gh.appId, privateKey: forged.toString(), installationId: 10 },
    });
    await expect(octokit.repos.get({ owner: "acme", repo: "infra" })).rejects.toMatchObject({
      status: 401,
      message: expect.stringContaining(JWT_MESSAGES.undecodable),
    });
    expect(gh.callsTo("POST", "/app/installations/10/access_tokens").at(-1)).toMatchObject({
      status: 401,
      auth: "invalid",
    });
  });

  it("checks the JWT's issuer, issue time and lifetime as GitHub does", async () => {
    const now = Math.floor(clock / 1000);
    const cases: [Parameters<typeof signAppJwt>[1], string][] = [
      [{ iss: gh.appId + 1 }, JWT_MESSAGES.integrationNotFound],
      [{ iss: gh.appId, iat: now + 300 }, JWT_MESSAGES.iat],
      [{ iss: gh.appId, iat: now - 700, exp: now - 100 }, JWT_MESSAGES.expFuture],
      [{ iss: gh.appId, iat: now - 10, exp: now + 3600 }, JWT_MESSAGES.expTooFar],
    ];
    for (const [claims, message] of cases) {
      const answer = await call(gh, "GET", "/app", `Bearer ${signAppJwt(gh.privateKeyPem, claims, now)}`);
      expect({ claims, status: answer.status, message: answer.body.message }).toEqual({
        claims,
        status: 401,
        message,
      });
    }
    const good = await call(
      gh,
      "GET",
      "/app",
      `Bearer ${signAppJwt(gh.privateKeyPem, { iss: gh.appId }, now)}`,
    );
    expect(good.status).toBe(200);
    expect(good.body).toMatchObject({ id: gh.appId, slug: gh.appSlug });
    const byClientId = await call(
      gh,
      "GET",
      "/app",
      `Bearer ${signAppJwt(gh.privateKeyPem, { iss: gh.clientId }, now)}`,
    );
    expect(byClientId.status).toBe(200);
  });

  it("answers 404 for an unknown installation and finds a repository's installation", async () => {
    const jwt = `Bearer ${signAppJwt(gh.privateKeyPem, { iss: gh.appId })}`;
    expect((await call(gh, "POST", "/app/installations/999/access_tokens", jwt)).status).toBe(404);
    const found = await call(gh, "GET", "/repos/acme/infra/installation", jwt);
    expect(found.status).toBe(200);
    expect(found.body).toMatchObject({ id: 10, app_id: gh.appId, account: { login: "acme" } });
    expect((await call(gh, "GET", "/repos/acme/nothing/installation", jwt)).status).toBe(404);
  });

  it("refuses the JWT on repository endpoints and an installation token on /app endpoints", async () => {
    const jwt = `Bearer ${signAppJwt(gh.privateKeyPem, { iss: gh.appId })}`;
    expect((await call(gh, "GET", "/repos/acme/infra", jwt)).status).toBe(401);
    const token = await installationToken(gh, 10);
    expect((await call(gh, "GET", "/app", `token ${token}`)).status).toBe(401);
    expect((await call(gh, "GET", "/repos/acme/infra")).status).toBe(401);
    const forged = await call(gh, "GET", "/repos/acme/infra", "token ghs_forged");
    expect(forged.body.message).toBe("Bad credentials");
    expect(forged.headers.get("x-ratelimit-limit")).toBe("60");
  });

  it("lets a token reach its installation's repositories only, and a scoped token only the ones named", async () => {
    const token = await installationToken(gh, 10);
    expect((await call(gh, "GET", "/repos/acme/infra", `token ${token}`)).status).toBe(200);
    expect((await call(gh, "GET", "/repos/ACME/Infra", `token ${token}`)).status).toBe(200);
    expect((await call(gh, "GET", "/repos/other/secret", `token ${token}`)).status).toBe(404);
    const scoped = await installationToken(gh, 10, { repositories: ["apps"] });
    expect((await call(gh, "GET", "/repos/acme/apps", `Bearer ${scoped}`)).status).toBe(200);
    expect((await call(gh, "GET", "/repos/acme/infra", `Bearer ${scoped}`)).status).toBe(404);
    const listed = async (t: string) =>
      (await call(gh, "GET", "/installation/repositories", `token ${t}`)).body.repositories.map(
        (r: { full_name: string }) => r.full_name,
      );
    expect(await listed(token)).toEqual(["acme/infra", "acme/apps"]);
    expect(await listed(scoped)).toEqual(["acme/apps"]);
    const jwt = `Bearer ${signAppJwt(gh.privateKeyPem, { iss: gh.appId })}`;
    const foreign = await call(gh, "POST", "/app/installations/10/access_tokens", jwt, {
      repositories: ["secret"],
    });
    expect(foreign.status).toBe(422);
  });

  it("answers 403 when the installation lacks the permission", async () => {
    const token = await installationToken(gh, 30);
    const answer = await call(gh, "POST", "/repos/narrow/repo/check-runs", `token ${token}`, {
      name: "x",
      head_sha: HEAD,
    });
    expect(answer.status).toBe(403);
    expect(answer.body.message).toBe("Resource not accessible by integration");
    expect(answer.headers.get("x-accepted-github-permissions")).toBe("checks=write");
    expect(gh.checkRuns("narrow/repo")).toEqual([]);
  });

  it("expires installation tokens after their lifetime, answering 401 until a new one is made", async () => {
    const token = await installationToken(gh, 10);
    const issued = gh.calls.at(-1);
    expect(issued?.status).toBe(201);
    expect((await call(gh, "GET", "/repos/acme/infra", `token ${token}`)).status).toBe(200);
    clock += 601_000;
    const late = await call(gh, "GET", "/repos/acme/infra", `token ${token}`);
    expect(late.status).toBe(401);
    const fresh = await installationToken(gh, 10, undefined, Math.floor(clock / 1000));
    expect((await call(gh, "GET", "/repos/acme/infra", `token ${fresh}`)).status).toBe(200);
    gh.expireTokens();
    expect((await call(gh, "GET", "/repos/acme/infra", `token ${fresh}`)).status).toBe(401);
  });

  it("gives the token's expiry as GitHub does, configurable for refresh tests", async () => {
    const jwt = `Bearer ${signAppJwt(gh.privateKeyPem, { iss: gh.appId }, Math.floor(clock / 1000))}`;
    const answer = await call(gh, "POST", "/app/installations/10/access_tokens", jwt);
    expect(answer.body.token).toMatch(/^ghs_[A-Za-z0-9]{36}$/);
    expect(answer.body.expires_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(Date.parse(answer.body.expires_at) - clock).toBeGreaterThan(599_000);
    expect(Date.parse(answer.body.expires_at) - clock).toBeLessThanOrEqual(600_000);
    expect(gh.calls.at(-1)?.body).toBeUndefined();
    expect(JSON.stringify(gh.calls)).not.toContain(answer.body.token);
  });
});
