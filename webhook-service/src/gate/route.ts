import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { type ActionsEnv, requireActionsToken } from "../oidc/middleware.ts";
import { type ActionsTokenVerifier, sameRepository } from "../oidc/verify.ts";
import { targetProblems } from "../plans/upload.ts";
import type { GateRequest } from "./decide.ts";
import { type GateDeps, runGate } from "./gate.ts";

export interface GateRouteDeps extends GateDeps {
  readonly verifyToken: ActionsTokenVerifier;
}

const DIGEST = /^[a-z0-9-]{2,20}:[0-9a-f]{6,128}$/;
const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9-]|\[bot\]){0,60}$/;

/**
 * POST /v1/gate {repository, sha, stack, digest, actor?}: 200 with the decision when the apply may run,
 * 403 with every reason otherwise. The token's repository must be the one asked about; the applier is the
 * token's `actor` claim (a request naming someone else is refused).
 */
export function gateRoutes(deps: GateRouteDeps): Hono<ActionsEnv> {
  const app = new Hono<ActionsEnv>();
  app.post(
    "/v1/gate",
    requireActionsToken(deps.verifyToken),
    bodyLimit({
      maxSize: 64 * 1024,
      onError: (c) => c.json({ error: "request body larger than 64 KiB" }, 413),
    }),
    async (c) => {
      let body: Record<string, unknown>;
      try {
        const parsed: unknown = await c.req.json();
        if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed))
          throw new Error("not an object");
        body = parsed as Record<string, unknown>;
      } catch {
        return c.json(
          { error: "the body must be a JSON object {repository, sha, stack, digest, actor}" },
          400,
        );
      }
      const problems = targetProblems(body);
      if (typeof body.digest !== "string" || !DIGEST.test(body.digest)) {
        problems.push("digest: expected a plan digest such as sha512-256:<hex> (`sluice gate` computes it)");
      }
      if (body.actor !== undefined && (typeof body.actor !== "string" || !LOGIN.test(body.actor))) {
        problems.push("actor: expected a GitHub login");
      }
      if (problems.length > 0)
        return c.json({ error: `invalid gate request: ${problems.join("; ")}`, problems }, 400);
      const claims = c.get("claims");
      const repository = body.repository as string;
      if (!sameRepository(claims, repository)) {
        return c.json({ error: `the OIDC token is for ${claims.repository}, not ${repository}` }, 403);
      }
      const actor = (body.actor as string | undefined) ?? claims.actor ?? "";
      const request: GateRequest = {
        repository,
        sha: body.sha as string,
        stack: body.stack as string,
        digest: body.digest as string,
        actor,
        ...(claims.actor !== undefined ? { tokenActor: claims.actor } : {}),
      };
      const verdict = await runGate(deps, request, {
        via: "api",
        ...(claims.run_id ? { runId: claims.run_id } : {}),
      });
      return c.json(
        {
          allowed: verdict.allowed,
          repository,
          sha: request.sha,
          stack: request.stack,
          digest: request.digest,
          actor,
          ...(verdict.pullRequest !== undefined ? { pullRequest: verdict.pullRequest } : {}),
          reasons: verdict.reasons,
        },
        verdict.allowed ? 200 : 403,
      );
    },
  );
  return app;
}
