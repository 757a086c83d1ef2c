import { createGitHubApp, type GitHubAppOptions } from "../src/github/app.ts";
import { createLogger } from "../src/logger.ts";
import { createMetrics } from "../src/metrics.ts";
import type { GitHubStandIn } from "./github-standin/index.ts";

/** The service's GitHub App client pointed at the stand-in, silent, with `options` on top. */
export function standInApp(
  gh: GitHubStandIn,
  options: Partial<Omit<GitHubAppOptions, "appId" | "privateKey" | "baseUrl">> = {},
) {
  return createGitHubApp({
    appId: String(gh.appId),
    privateKey: gh.privateKeyPem,
    baseUrl: gh.url,
    log: createLogger("silent"),
    metrics: createMetrics(),
    ...options,
  });
}
