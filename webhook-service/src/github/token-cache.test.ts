import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { standInApp } from "../../test/github-app.ts";
import { type GitHubStandIn, startGitHubStandIn } from "../../test/github-standin/index.ts";
import { expiringTokenCache } from "./token-cache.ts";

describe("installation tokens (stand-in GitHub issuing 5-minute tokens)", () => {
  let gh: GitHubStandIn;
  let clock = Date.now();
  const repo = "acme/tokens";
  beforeAll(async () => {
    gh = await startGitHubStandIn({ now: () => new Date(clock), tokenLifetimeSeconds: 300 });
    gh.state.addInstallation({ id: 9, account: "acme" });
    gh.state.addRepository({ fullName: repo, installationId: 9 });
  });
  afterAll(async () => {
    await gh?.close();
  });

  it("reuses a token while it has more than the margin left, then asks for a new one before it expires", async () => {
    const app = standInApp(gh, { tokenRefreshMarginMs: 60_000, now: () => clock });
    const octokit = app.installation(9);
    const tokenRequests = () => gh.callsTo("POST", "/app/installations/9/access_tokens").length;
    const read = async () => (await octokit.rest.repos.get({ owner: "acme", repo: "tokens" })).status;

    expect(await read()).toBe(200);
    expect(tokenRequests()).toBe(1);
    // The App's JWT carries the real time (it expires 9.5 minutes from now), so the clock moves less than that.
    clock += 3 * 60_000; // 2 minutes left: more than the margin
    expect(await read()).toBe(200);
    expect(tokenRequests()).toBe(1);
    // 30 s left (auth-app alone would keep the token for 59 minutes, and GitHub would answer 401 at 5).
    clock += 90_000;
    expect(await read()).toBe(200);
    expect(tokenRequests()).toBe(2);
    clock += 2 * 60_000; // the new token has 3 minutes left
    expect(await read()).toBe(200);
    expect(tokenRequests()).toBe(2);
    expect(gh.callsTo("GET", `/repos/${repo}`).map((c) => c.status)).toEqual([200, 200, 200, 200]);
  });

  it("treats an entry whose expiry it cannot read as expired", () => {
    const cache = expiringTokenCache(0, () => 0);
    cache.set("k", "token|2026-01-01T00:00:00Z|not-a-date|all|contents");
    expect(cache.get("k")).toBeUndefined();
    cache.set("k", "token|1970-01-01T00:00:00Z|1970-01-01T00:10:00Z|all|contents");
    expect(cache.get("k")).toBe("token|1970-01-01T00:00:00Z|1970-01-01T00:10:00Z|all|contents");
  });
});
