import { readFileSync } from "node:fs";
import type { ChangeContext } from "../../core/policy/context.ts";
import type { Decision } from "../../core/policy/decision.ts";
import { evaluate } from "../../core/policy/evaluate.ts";
import { parsePolicy } from "../../core/policy/parse.ts";
import type { Policy } from "../../core/policy/policy.ts";
import { appendAuditIn } from "../src/audit/log.ts";
import type { Queryable } from "../src/db/database.ts";

const ROOT = new URL("../../", import.meta.url);

/** The repository's own change-control.yaml, parsed. */
export function repositoryPolicy(): Policy {
  const parsed = parsePolicy(
    readFileSync(new URL("change-control.yaml", ROOT), "utf8"),
    "change-control.yaml",
  );
  if (!parsed.ok) throw new Error("change-control.yaml does not parse");
  return parsed.value;
}

/** A documented example pull request (docs/examples/policy/<name>.json) as a ChangeContext. */
export function exampleContext(name: string): ChangeContext {
  return JSON.parse(
    readFileSync(new URL(`docs/examples/policy/${name}.json`, ROOT), "utf8"),
  ) as ChangeContext;
}

/** A context whose one stack's plan and every approval carry `digest` (the digest of an uploaded plan). */
export function withPlanDigest(context: ChangeContext, stack: string, digest: string): ChangeContext {
  const first = context.plan?.stacks[0];
  if (!first) throw new Error("the context has no plan");
  return {
    ...context,
    plan: { commit: context.headSha, stacks: [{ name: stack, facts: { ...first.facts, digest } }] },
    reviews: context.reviews.map((r) => ({ ...r, planDigest: digest })),
  };
}

/** Stores a decision row the way the evaluation does (CORE's `decisions` table). */
export async function storeDecision(
  db: Queryable,
  decision: Decision,
  generation = 1,
  at = new Date(),
): Promise<void> {
  const pr = decision.pullRequest;
  await db.query(
    `INSERT INTO decisions (repository, pull_number, head_sha, state, conclusion, summary, decision, plan_digest,
       generation, evaluated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
     ON CONFLICT (repository, pull_number, head_sha) DO UPDATE SET state = EXCLUDED.state,
       decision = EXCLUDED.decision, plan_digest = EXCLUDED.plan_digest, generation = EXCLUDED.generation,
       summary = EXCLUDED.summary, conclusion = EXCLUDED.conclusion, evaluated_at = EXCLUDED.evaluated_at`,
    [
      pr.repository,
      pr.number,
      pr.headSha,
      decision.state,
      decision.state === "approved" ? "success" : "action_required",
      decision.summary,
      JSON.stringify(decision),
      decision.plan.digest ?? null,
      generation,
      at.toISOString(),
    ],
  );
}

/** Evaluates `context` under `policy` at `now` and stores the decision. */
export async function seedDecision(
  db: Queryable,
  context: ChangeContext,
  policy: Policy,
  now: Date,
): Promise<Decision> {
  const decision = evaluate(policy, context, now);
  await storeDecision(db, decision, 1, now);
  return decision;
}

/** Records a pull_request delivery in the audit log as CORE's intake does (actor: the sender). */
export async function auditPullRequestDelivery(
  db: Queryable,
  event: { repository: string; number: number; headSha: string; sender: string; action: string; at?: Date },
): Promise<void> {
  await appendAuditIn(
    db,
    {
      actor: event.sender,
      action: "delivery.received",
      repository: event.repository,
      pullNumber: event.number,
      headSha: event.headSha,
      deliveryId: `seed-${event.number}-${event.action}-${event.headSha.slice(0, 7)}`,
      details: { event: "pull_request", action: event.action, installationId: 1, outcome: "queued" },
    },
    event.at,
  );
}
