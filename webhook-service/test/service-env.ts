import type { GitHubStandIn } from "./github-standin/index.ts";
import { TEST_WEBHOOK_SECRET } from "./sign.ts";

/** Plain settings shared by the tests and the benchmark (no vitest import, so the benchmark can load it). */
export const TEST_POLICY = `version: 1
rules:
  - name: baseline-review
    description: every change needs one approval from someone who did not write it
    requires: { approvals: { count: 1 } }
`;

export function serviceEnv(gh: GitHubStandIn, extra: Record<string, string> = {}): Record<string, string> {
  return {
    GITHUB_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
    GITHUB_APP_ID: String(gh.appId),
    GITHUB_APP_PRIVATE_KEY: gh.privateKeyPem,
    GITHUB_API_URL: gh.url,
    PORT: "0",
    HOST: "127.0.0.1",
    LOG_LEVEL: process.env.SLUICE_TEST_LOG_LEVEL ?? "silent",
    JOB_LEASE_MS: "3000",
    ...extra,
  };
}
