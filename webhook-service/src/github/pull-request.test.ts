import { createAppAuth } from "@octokit/auth-app";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type GitHubStandIn, startGitHubStandIn } from "../../test/github-standin/index.ts";
import { SluiceOctokit } from "./app.ts";
import { readCodeowners } from "./pull-request.ts";

describe("readCodeowners (stand-in GitHub)", () => {
  let gh: GitHubStandIn;
  let octokit: InstanceType<typeof SluiceOctokit>;
  const repo = "acme/owners";
  beforeAll(async () => {
    gh = await startGitHubStandIn();
    gh.state.addInstallation({ id: 5, account: "acme" });
    gh.state.addRepository({ fullName: repo, installationId: 5 });
    octokit = new SluiceOctokit({
      baseUrl: gh.url,
      authStrategy: createAppAuth,
      auth: { appId: gh.appId, privateKey: gh.privateKeyPem, installationId: 5 },
      throttle: { enabled: false },
    });
  });
  afterAll(async () => {
    await gh?.close();
  });

  it("takes the first of .github/, the root and docs/ that exists, as GitHub does, whatever answers first", async () => {
    gh.state.setContent(repo, "all", "docs/CODEOWNERS", "* @acme/docs\n");
    gh.state.setContent(repo, "all", "CODEOWNERS", "* @acme/root\n");
    gh.state.setContent(repo, "all", ".github/CODEOWNERS", "* @acme/github\n");
    gh.state.setContent(repo, "two", "docs/CODEOWNERS", "* @acme/docs\n");
    gh.state.setContent(repo, "two", "CODEOWNERS", "* @acme/root\n");
    gh.state.setContent(repo, "docs-only", "docs/CODEOWNERS", "* @acme/docs\n");
    expect(await readCodeowners(octokit, repo, "all")).toBe("* @acme/github\n");
    expect(await readCodeowners(octokit, repo, "two")).toBe("* @acme/root\n");
    expect(await readCodeowners(octokit, repo, "docs-only")).toBe("* @acme/docs\n");
    expect(await readCodeowners(octokit, repo, "none")).toBeUndefined();
  });
});
