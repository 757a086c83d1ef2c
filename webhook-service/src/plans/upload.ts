import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { planCostFacts } from "../../../core/cost/plan-cost.ts";
import { planDigest } from "../../../core/plan/digest.ts";
import { planFacts } from "../../../core/plan/facts.ts";
import type { PlanCost } from "../../../core/plan/findings.ts";
import { PlanInputError, parsePlan } from "../../../core/plan/parse.ts";
import { renderJson } from "../../../core/plan/render/json.ts";
import { renderMarkdown } from "../../../core/plan/render/markdown.ts";
import { reviewPlan } from "../../../core/plan/review.ts";
import { appendAuditIn } from "../audit/log.ts";
import type { Database } from "../db/database.ts";
import { type ActionsEnv, requireActionsToken } from "../oidc/middleware.ts";
import { type ActionsTokenVerifier, sameRepository } from "../oidc/verify.ts";
import { shippedPrices } from "./prices.ts";
import { savePlanReview } from "./store.ts";

export interface PlanUploadDeps {
  readonly db: Database;
  readonly verifyToken: ActionsTokenVerifier;
  /** Largest accepted plan body. @default 32 MiB */
  readonly maxBytes?: number;
  /** Queues a re-evaluation of the pull requests whose head is `sha` (CORE's evaluation). */
  readonly onUploaded?: (repository: string, sha: string) => Promise<void>;
}

export const DEFAULT_PLAN_MAX_BYTES = 32 * 1024 * 1024;
const SHA = /^[0-9a-f]{40}$/;
const REPOSITORY = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;
export const STACK = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;

/** The fields of a request that name what it is about; each problem names the field and what was expected. */
export function targetProblems(target: { repository?: unknown; sha?: unknown; stack?: unknown }): string[] {
  const problems: string[] = [];
  if (typeof target.repository !== "string" || !REPOSITORY.test(target.repository)) {
    problems.push("repository: expected owner/name");
  }
  if (typeof target.sha !== "string" || !SHA.test(target.sha))
    problems.push("sha: expected a 40-character lowercase hex commit SHA");
  if (typeof target.stack !== "string" || !STACK.test(target.stack)) {
    problems.push("stack: expected a stack name (letters, digits, '.', '_', '-'; at most 100)");
  }
  return problems;
}

/**
 * POST /v1/plans?repository=owner/name&sha=<head sha>&stack=<stack>, body: `terraform show -json` output.
 * The token's repository must be the one uploaded for. The plan is reviewed with core/plan and only the
 * masked review, its digest and findings are stored; then the pull requests at that SHA are re-evaluated.
 */
export function planUploadRoutes(deps: PlanUploadDeps): Hono<ActionsEnv> {
  const app = new Hono<ActionsEnv>();
  const maxBytes = deps.maxBytes ?? DEFAULT_PLAN_MAX_BYTES;
  app.post(
    "/v1/plans",
    requireActionsToken(deps.verifyToken),
    bodyLimit({
      maxSize: maxBytes,
      onError: (c) =>
        c.json(
          {
            error: `plan: larger than the ${Math.round(maxBytes / 1024 / 1024)} MiB limit; nothing was stored`,
          },
          413,
        ),
    }),
    async (c) => {
      const target = {
        repository: c.req.query("repository"),
        sha: c.req.query("sha"),
        stack: c.req.query("stack"),
      };
      const problems = targetProblems(target);
      if (problems.length > 0)
        return c.json({ error: `invalid upload: ${problems.join("; ")}`, problems }, 400);
      const { repository, sha, stack } = target as { repository: string; sha: string; stack: string };
      const claims = c.get("claims");
      if (!sameRepository(claims, repository)) {
        return c.json({ error: `the OIDC token is for ${claims.repository}, not ${repository}` }, 403);
      }
      const text = await c.req.text();
      let review: ReturnType<typeof reviewPlan>;
      let cost: PlanCost | undefined;
      try {
        const plan = parsePlan(text, `plan of stack ${stack}`);
        cost = planCostFacts(plan, text, shippedPrices());
        review = reviewPlan(plan);
      } catch (error) {
        if (error instanceof PlanInputError)
          return c.json({ error: `${error.message}; nothing was stored` }, 422);
        throw error;
      }
      const digest = planDigest(review);
      const uploadedBy = claims.actor ?? claims.sub ?? "github-actions";
      await deps.db.transaction(async (tx) => {
        await savePlanReview(tx, {
          repository,
          headSha: sha,
          stack,
          planDigest: digest,
          facts: { ...planFacts(review, digest), ...(cost && { cost }) },
          review: JSON.parse(renderJson(review, { digest })),
          findings: review.findings,
          summaryMarkdown: renderMarkdown(review),
          uploadedBy,
        });
        await appendAuditIn(tx, {
          actor: uploadedBy,
          action: "plan.uploaded",
          repository,
          headSha: sha,
          planDigest: digest,
          details: {
            stack,
            counts: review.counts,
            findings: review.findings.length,
            runId: claims.run_id ?? null,
          },
        });
      });
      await deps.onUploaded?.(repository, sha);
      const highest = review.findings[0];
      return c.json(
        {
          repository,
          sha,
          stack,
          digest,
          counts: review.counts,
          findings: review.findings.length,
          ...(highest ? { highest: { rule: highest.rule, severity: highest.severity } } : {}),
        },
        201,
      );
    },
  );
  return app;
}
