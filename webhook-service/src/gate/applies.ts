import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { appendAudit } from "../audit/log.ts";
import type { Database } from "../db/database.ts";
import { type ActionsEnv, requireActionsToken } from "../oidc/middleware.ts";
import { type ActionsTokenVerifier, sameRepository } from "../oidc/verify.ts";
import { targetProblems } from "../plans/upload.ts";

export interface AppliesDeps {
  readonly db: Database;
  readonly verifyToken: ActionsTokenVerifier;
}

const OUTCOMES = new Set(["succeeded", "failed"]);

/**
 * POST /v1/applies {repository, sha, stack, digest, outcome}: CI reports how the gated apply ended, audited
 * as `apply.succeeded` or `apply.failed` (the "applied" step of a pull request's timeline). Accepted only
 * after the gate allowed exactly this stack and digest at this commit for the same actor (409 otherwise).
 */
export function appliesRoutes(deps: AppliesDeps): Hono<ActionsEnv> {
  const app = new Hono<ActionsEnv>();
  app.post(
    "/v1/applies",
    requireActionsToken(deps.verifyToken),
    bodyLimit({
      maxSize: 16 * 1024,
      onError: (c) => c.json({ error: "request body larger than 16 KiB" }, 413),
    }),
    async (c) => {
      const body = (await c.req.json().catch(() => undefined)) as Record<string, unknown> | undefined;
      if (!body || typeof body !== "object" || Array.isArray(body)) {
        return c.json(
          { error: "the body must be a JSON object {repository, sha, stack, digest, outcome}" },
          400,
        );
      }
      const problems = targetProblems(body);
      if (typeof body.digest !== "string" || body.digest === "")
        problems.push("digest: expected the gated plan's digest");
      if (typeof body.outcome !== "string" || !OUTCOMES.has(body.outcome)) {
        problems.push("outcome: expected succeeded or failed");
      }
      if (problems.length > 0)
        return c.json({ error: `invalid report: ${problems.join("; ")}`, problems }, 400);
      const claims = c.get("claims");
      const repository = body.repository as string;
      if (!sameRepository(claims, repository)) {
        return c.json({ error: `the OIDC token is for ${claims.repository}, not ${repository}` }, 403);
      }
      const actor = claims.actor ?? "unknown";
      const gated = await deps.db.query<{ pull_number: number | null; head_sha: string | null }>(
        `SELECT pull_number, head_sha FROM audit_log WHERE repository = $1 AND action = 'gate.allowed'
           AND details->>'sha' = $2 AND details->>'stack' = $3 AND plan_digest = $4 AND lower(actor) = lower($5)
         ORDER BY seq DESC LIMIT 1`,
        [repository, body.sha, body.stack, body.digest, actor],
      );
      const gate = gated.rows[0];
      if (!gate) {
        return c.json(
          { error: "no gate decision allowed this stack, plan and commit for this actor: nothing recorded" },
          409,
        );
      }
      await appendAudit(deps.db, {
        actor,
        action: `apply.${body.outcome as string}`,
        repository,
        ...(gate.pull_number !== null ? { pullNumber: gate.pull_number } : {}),
        ...(gate.head_sha ? { headSha: gate.head_sha } : {}),
        planDigest: body.digest as string,
        details: {
          stack: body.stack,
          sha: body.sha,
          ...(claims.run_id ? { runId: String(claims.run_id) } : {}),
        },
      });
      return c.json({ recorded: true, outcome: body.outcome }, 201);
    },
  );
  return app;
}
