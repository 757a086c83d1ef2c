import type { components } from "@octokit/openapi-webhooks-types";
import type { Database } from "../db/database.ts";
import type { GitHubClient } from "../github/app.ts";
import { type GateDeps, runGate } from "./gate.ts";

export type DeploymentProtectionRuleRequested =
  components["schemas"]["webhook-deployment-protection-rule-requested"];

/** GitHub's limit on the callback's comment. */
const MAX_COMMENT = 1024;

/** The workflow run id in a deployment callback URL (…/actions/runs/<id>/deployment_protection_rule). */
export function runIdOf(callbackUrl: string | undefined): number | undefined {
  const match = /\/actions\/runs\/(\d+)\/deployment_protection_rule\/?$/.exec(callbackUrl ?? "");
  return match ? Number(match[1]) : undefined;
}

export function callbackComment(allowed: boolean, reasons: readonly string[]): string {
  const head = allowed ? "Sluice: approved by change control." : "Sluice: rejected by change control.";
  const text = [head, ...reasons.map((r) => `- ${r}`)].join("\n");
  return text.length <= MAX_COMMENT ? text : `${text.slice(0, MAX_COMMENT - 1)}…`;
}

/**
 * deployment_protection_rule.requested: the same gate logic for the whole environment (the apply job's own
 * `sluice gate` binds the plan digest), answered through the deployment-protection-rule callback API:
 * approved, or rejected with every reason as the comment. The commit is the pull request's head when the
 * delivery names the pull request, else the deployment's SHA; the applier is whoever created the deployment.
 */
export async function answerDeploymentProtectionRule(
  deps: GateDeps & { readonly db: Database },
  octokit: GitHubClient,
  payload: DeploymentProtectionRuleRequested,
): Promise<{ state: "approved" | "rejected"; reasons: readonly string[] }> {
  const repository = payload.repository.full_name;
  const environment = payload.environment ?? payload.deployment?.environment ?? "";
  const runId = runIdOf(payload.deployment_callback_url);
  if (runId === undefined)
    throw new Error("deployment_protection_rule: no workflow run id in deployment_callback_url");
  const sha = payload.pull_requests?.[0]?.head?.sha ?? payload.deployment?.sha ?? "";
  const actor = payload.deployment?.creator?.login ?? payload.sender.login;
  const verdict = await runGate(
    deps,
    { repository, sha, environment, actor },
    { via: "deployment-protection-rule", runId },
  );
  const state = verdict.allowed ? "approved" : "rejected";
  const [owner, repo] = repository.split("/") as [string, string];
  await octokit.request("POST /repos/{owner}/{repo}/actions/runs/{run_id}/deployment_protection_rule", {
    owner,
    repo,
    run_id: runId,
    environment_name: environment,
    state,
    comment: callbackComment(verdict.allowed, verdict.reasons),
  });
  return { state, reasons: verdict.reasons };
}
