import type { Policy } from "../../../core/policy/policy.ts";
import { appendAudit } from "../audit/log.ts";
import type { Database } from "../db/database.ts";
import { decideGate, type GateRequest, type GateVerdict } from "./decide.ts";
import { findChange, uploadedDigest } from "./store.ts";

export type PolicyWindows = Pick<Policy, "changeWindows" | "freezes" | "environments">;

export interface GateDeps {
  readonly db: Database;
  /** The policy in force for a repository (its default branch), or undefined when it cannot be read. */
  readonly loadPolicy: (repository: string) => Promise<PolicyWindows | undefined>;
  readonly now?: () => Date;
}

export interface GateCall {
  /** How the gate was asked: the HTTP API (`sluice gate`) or a deployment protection rule. */
  readonly via: "api" | "deployment-protection-rule";
  readonly runId?: string | number;
}

/**
 * Looks up the facts, decides with `decideGate`, and appends the outcome to the audit log (every call,
 * allowed or refused, with its reasons).
 */
export async function runGate(deps: GateDeps, request: GateRequest, call: GateCall): Promise<GateVerdict> {
  const now = deps.now?.() ?? new Date();
  const change = await findChange(deps.db, request.repository, request.sha);
  const [digest, policy] = await Promise.all([
    request.stack === undefined
      ? Promise.resolve(undefined)
      : uploadedDigest(deps.db, request.repository, change?.headSha ?? request.sha, request.stack),
    deps.loadPolicy(request.repository).catch(() => undefined),
  ]);
  const verdict = decideGate(request, {
    ...(change ? { change } : {}),
    ...(digest !== undefined ? { uploadedDigest: digest } : {}),
    ...(policy ? { policy } : {}),
    now,
  });
  await appendAudit(
    deps.db,
    {
      actor: request.actor.trim() || "unknown",
      action: verdict.allowed ? "gate.allowed" : "gate.refused",
      repository: request.repository,
      ...(verdict.pullRequest !== undefined ? { pullNumber: verdict.pullRequest } : {}),
      headSha: change?.headSha ?? request.sha,
      ...(request.digest !== undefined ? { planDigest: request.digest } : {}),
      details: {
        via: call.via,
        sha: request.sha,
        ...(request.stack !== undefined ? { stack: request.stack } : {}),
        ...(request.environment !== undefined ? { environment: request.environment } : {}),
        reasons: verdict.reasons,
        ...(call.runId !== undefined ? { runId: String(call.runId) } : {}),
      },
    },
    now,
  );
  return verdict;
}
