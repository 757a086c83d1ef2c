import { error, invalidRequest, isRecord, noContent, notFound } from "./http.ts";
import { intParam, type Route } from "./route.ts";

const DOCS =
  "https://docs.github.com/rest/actions/workflow-runs#review-custom-deployment-protection-rules-for-a-workflow-run";

/** The callback a deployment protection rule App answers with (GATE's approve/reject). */
export const actionRoutes: readonly Route[] = [
  {
    method: "POST",
    pattern: "/repos/:owner/:repo/actions/runs/:run_id/deployment_protection_rule",
    auth: "installation",
    permissions: [["deployments", "write"]],
    handler: (ctx) => {
      const runId = intParam(ctx, "run_id");
      if (!ctx.repo || runId === undefined) return notFound();
      const body = ctx.body;
      if (!isRecord(body)) return invalidRequest("Body must be a JSON object.", DOCS);
      if (typeof body.environment_name !== "string" || body.environment_name === "") {
        return invalidRequest(`"environment_name" wasn't supplied.`, DOCS);
      }
      // GitHub takes either a decision (state, optional comment) or a comment alone (a progress note).
      if (body.state === undefined) {
        if (typeof body.comment !== "string" || body.comment === "") {
          return invalidRequest(`"comment" wasn't supplied (it is required when "state" is not).`, DOCS);
        }
      } else if (body.state !== "approved" && body.state !== "rejected") {
        return invalidRequest(
          `Invalid property /state: ${JSON.stringify(body.state)} is not a possible value. Must be one of the following: approved, rejected.`,
          DOCS,
        );
      }
      if (body.comment !== undefined && typeof body.comment !== "string") {
        return invalidRequest("Invalid property /comment: not of type `string`.", DOCS);
      }
      const waiting = ctx.state.pendingProtectionRules.get(`${ctx.repo.fullName.toLowerCase()}#${runId}`);
      if (waiting) {
        if (!waiting.has(body.environment_name)) {
          return error(
            422,
            `No pending deployment protection rule for environment ${body.environment_name}`,
            DOCS,
          );
        }
        if (body.state !== undefined) waiting.delete(body.environment_name);
      }
      ctx.state.deploymentProtectionReviews.push({
        repo: ctx.repo.fullName,
        runId,
        environment_name: body.environment_name,
        state: body.state,
        comment: body.comment,
        at: ctx.now(),
      });
      return noContent();
    },
  },
];
