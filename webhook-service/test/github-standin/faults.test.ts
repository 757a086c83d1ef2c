import { createAppAuth } from "@octokit/auth-app";
import { retry } from "@octokit/plugin-retry";
import { throttling } from "@octokit/plugin-throttling";
import { Octokit } from "@octokit/rest";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type GitHubStandIn, signAppJwt, startGitHubStandIn } from "./index.ts";

const Client = Octokit.plugin(retry, throttling);
const quiet = { debug() {}, info() {}, warn() {}, error() {} };
const PR_PATH = "/repos/acme/infra/pulls/3";

describe("GitHub stand-in fault injection", () => {
  let gh: GitHubStandIn;
  let limits: { primary: number[]; secondary: number[] };

  function client(options: { retries?: number } = {}) {
    return new Client({
      baseUrl: gh.url,
      log: quiet,
      authStrategy: createAppAuth,
      auth: { appId: gh.appId, privateKey: gh.privateKeyPem, installationId: 4 },
      retry: { retries: options.retries ?? 3, retryAfterBaseValue: 10 },
      throttle: {
        onRateLimit: (retryAfter: number, _options: unknown, _octokit: unknown, retryCount: number) => {
          limits.primary.push(retryAfter);
          return retryCount < 1;
        },
        onSecondaryRateLimit: (
          retryAfter: number,
          _options: unknown,
          _octokit: unknown,
          retryCount: number,
        ) => {
          limits.secondary.push(retryAfter);
          return retryCount < 1;
        },
      },
    });
  }

  async function token(): Promise<string> {
    const jwt = signAppJwt(gh.privateKeyPem, { iss: gh.appId });
    const answer = await fetch(`${gh.url}/app/installations/4/access_tokens`, {
      method: "POST",
      headers: { authorization: `Bearer ${jwt}` },
    });
    return ((await answer.json()) as { token: string }).token;
  }

  beforeEach(async () => {
    limits = { primary: [], secondary: [] };
    gh = await startGitHubStandIn({ rateLimit: 50 });
    gh.state.addInstallation({ id: 4, account: "acme" });
    gh.state.addRepository({ fullName: "acme/infra", installationId: 4 });
    gh.state.addPullRequest("acme/infra", {
      number: 3,
      user: "bob",
      head: { sha: "3".repeat(40), ref: "b" },
      base: { sha: "4".repeat(40), ref: "main" },
    });
  });

  afterEach(async () => {
    await gh.close();
  });

  it("answers 500 the given number of times, and plugin-retry gets through after them", async () => {
    const fault = gh.fail({ method: "GET", path: PR_PATH, times: 2, status: 500 });
    const { data } = await client().pulls.get({ owner: "acme", repo: "infra", pull_number: 3 });
    expect(data.number).toBe(3);
    expect(gh.callsTo("GET", PR_PATH).map((c) => c.status)).toEqual([500, 500, 200]);
    expect(fault).toMatchObject({ hits: 2, remaining: 0 });
  });

  it("fails through when the faults outlast the retries", async () => {
    gh.fail({ path: /\/pulls\/3$/, times: 10, status: 502 });
    await expect(
      client({ retries: 1 }).pulls.get({ owner: "acme", repo: "infra", pull_number: 3 }),
    ).rejects.toMatchObject({ status: 502 });
    expect(gh.callsTo("GET", PR_PATH).map((c) => c.status)).toEqual([502, 502]);
  });

  it("matches the method: a fault on POST leaves GET alone", async () => {
    gh.fail({ method: "POST", path: PR_PATH, status: 500 });
    await client().pulls.get({ owner: "acme", repo: "infra", pull_number: 3 });
    expect(gh.callsTo("GET", PR_PATH).map((c) => c.status)).toEqual([200]);
  });

  it("answers a primary rate limit as GitHub does: 403, x-ratelimit-remaining 0 and the reset time", async () => {
    gh.fail({ path: PR_PATH, status: 403, rateLimit: "primary", resetInSeconds: 0 });
    const { data } = await client().pulls.get({ owner: "acme", repo: "infra", pull_number: 3 });
    expect(data.number).toBe(3);
    expect(limits.primary).toHaveLength(1);
    expect(gh.callsTo("GET", PR_PATH).map((c) => c.status)).toEqual([403, 200]);

    gh.fail({ path: PR_PATH, status: 403, resetInSeconds: 120 });
    const before = Math.floor(Date.now() / 1000);
    const raw = await fetch(`${gh.url}${PR_PATH}`, { headers: { authorization: `token ${await token()}` } });
    expect(raw.status).toBe(403);
    expect(raw.headers.get("x-ratelimit-remaining")).toBe("0");
    expect(Number(raw.headers.get("x-ratelimit-reset"))).toBeGreaterThanOrEqual(before + 119);
    expect(raw.headers.get("x-ratelimit-limit")).toBe("50");
    expect(((await raw.json()) as { message: string }).message).toMatch(
      /^API rate limit exceeded for installation ID 4\./,
    );
  });

  it("answers a secondary rate limit with retry-after, on 403 or 429", async () => {
    gh.fail({ path: PR_PATH, status: 403, rateLimit: "secondary", retryAfterSeconds: 1 });
    await client().pulls.get({ owner: "acme", repo: "infra", pull_number: 3 });
    gh.fail({ path: PR_PATH, status: 403, rateLimit: "secondary", retryAfterSeconds: 2 });
    await client().pulls.get({ owner: "acme", repo: "infra", pull_number: 3 });
    expect(limits.secondary).toEqual([1, 2]);
    expect(limits.primary).toEqual([]);

    gh.fail({ path: PR_PATH, status: 429, retryAfterSeconds: 7 });
    const raw = await fetch(`${gh.url}${PR_PATH}`, { headers: { authorization: `token ${await token()}` } });
    expect(raw.status).toBe(429);
    expect(raw.headers.get("retry-after")).toBe("7");
    expect(((await raw.json()) as { message: string }).message).toMatch(/secondary rate limit/);
  });

  it("sends GitHub's headers on every answer and counts the hourly budget down", async () => {
    const auth = `token ${await token()}`;
    const first = await fetch(`${gh.url}${PR_PATH}`, { headers: { authorization: auth } });
    const second = await fetch(`${gh.url}${PR_PATH}`, { headers: { authorization: auth } });
    expect(first.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(first.headers.get("x-github-request-id")).toMatch(
      /^[0-9A-F]{4}:[0-9A-F]{4}:[0-9A-F]{6}:[0-9A-F]{6}:[0-9A-F]{8}$/,
    );
    expect(first.headers.get("x-ratelimit-resource")).toBe("core");
    expect(first.headers.get("x-ratelimit-limit")).toBe("50");
    const remaining = Number(first.headers.get("x-ratelimit-remaining"));
    expect(Number(second.headers.get("x-ratelimit-remaining"))).toBe(remaining - 1);
    expect(Number(second.headers.get("x-ratelimit-used"))).toBe(50 - remaining + 1);
    expect(Number(first.headers.get("x-ratelimit-reset"))).toBeGreaterThan(Date.now() / 1000);
    const status = await (await fetch(`${gh.url}/rate_limit`, { headers: { authorization: auth } })).json();
    expect(status).toMatchObject({ rate: { limit: 50, used: 50 - remaining + 1, remaining: remaining - 1 } });
  });

  it("runs out of the hourly budget for real: past it, 403 with remaining 0", async () => {
    const auth = `token ${await token()}`;
    const statuses: number[] = [];
    for (let i = 0; i < 52; i++) {
      statuses.push((await fetch(`${gh.url}${PR_PATH}`, { headers: { authorization: auth } })).status);
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(50);
    expect(statuses.slice(50)).toEqual([403, 403]);
  });

  it("delays answers by the latency setting", async () => {
    const auth = `token ${await token()}`;
    gh.setLatency(150);
    const started = performance.now();
    await fetch(`${gh.url}${PR_PATH}`, { headers: { authorization: auth } });
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });
});
