import type { AreaRoutes } from "../app.ts";
import { dashboardRoutes } from "../dashboard/routes.tsx";
import { actionsTokenVerifier } from "../oidc/verify.ts";
import { planUploadRoutes } from "../plans/upload.ts";
import type { JobHandler } from "../queue/worker.ts";
import type { Service } from "../service.ts";
import { storedPayload } from "../webhooks/store.ts";
import { appliesRoutes } from "./applies.ts";
import { loadGateConfig } from "./config.ts";
import {
  answerDeploymentProtectionRule,
  type DeploymentProtectionRuleRequested,
} from "./deployment-protection.ts";
import { githubPolicyLoader, type PolicyLoader } from "./policy.ts";
import { gateRoutes } from "./route.ts";

const loaders = new WeakMap<Service, PolicyLoader>();

/** One policy loader (and cache) per service. */
export function policyLoaderOf(service: Service): PolicyLoader {
  let loader = loaders.get(service);
  if (!loader) {
    loader = githubPolicyLoader(service.db, service.github);
    loaders.set(service, loader);
  }
  return loader;
}

/**
 * GATE's routes on the service: POST /v1/plans, POST /v1/gate and the dashboard. Reads OIDC_ISSUER,
 * OIDC_AUDIENCE, PLAN_MAX_BYTES and the DASHBOARD_* variables (gate/config.ts).
 */
export function gateArea(
  env: Record<string, string | undefined> = process.env,
  options: { readonly onLocalToken?: (token: string) => void } = {},
): AreaRoutes {
  return (app, service) => {
    const config = loadGateConfig(env);
    const verifyToken = actionsTokenVerifier({ issuer: config.oidcIssuer, audience: config.oidcAudience });
    const loadPolicy = policyLoaderOf(service);
    app.route(
      "/",
      planUploadRoutes({
        db: service.db,
        verifyToken,
        maxBytes: config.planMaxBytes,
        onUploaded: (repository, headSha) => service.requestEvaluation({ repository, headSha }),
      }),
    );
    app.route("/", gateRoutes({ db: service.db, verifyToken, loadPolicy }));
    app.route("/", appliesRoutes({ db: service.db, verifyToken }));
    app.route(
      "/",
      dashboardRoutes({
        db: service.db,
        config: config.dashboard,
        loadPolicy,
        // The one-time login token is for the operator's terminal only: never the structured log.
        onLocalToken:
          options.onLocalToken ??
          ((token) =>
            process.stderr.write(
              `sluice dashboard (local mode): log in at /login with the one-time token ${token}\n`,
            )),
      }),
    );
  };
}

/** The job that answers a deployment_protection_rule.requested delivery (stored by the intake). */
export function deploymentProtectionHandler(service: Service): JobHandler {
  return {
    async run(job, log) {
      const deliveryId = String(job.payload.deliveryId);
      const stored = await storedPayload<DeploymentProtectionRuleRequested>(service.db, deliveryId);
      if (!stored) throw new Error(`deployment protection rule: delivery ${deliveryId} is not stored`);
      const { payload, installationId } = stored;
      if (!service.github || installationId === null) {
        log.warn(
          { deliveryId },
          "local mode: deployment protection rule not answered (no GitHub App credentials)",
        );
        return;
      }
      const octokit = service.github.installation(installationId);
      const answer = await answerDeploymentProtectionRule(
        { db: service.db, loadPolicy: policyLoaderOf(service) },
        octokit,
        payload,
      );
      log.info(
        { deliveryId, repository: payload.repository.full_name, state: answer.state },
        "deployment protection rule answered",
      );
    },
  };
}
