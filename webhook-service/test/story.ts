import { appendAudit } from "../src/audit/log.ts";
import type { Database } from "../src/db/database.ts";
import { appliesRoutes } from "../src/gate/applies.ts";
import { gateRoutes } from "../src/gate/route.ts";
import { actionsTokenVerifier } from "../src/oidc/verify.ts";
import { planUploadRoutes } from "../src/plans/upload.ts";
import type { OidcIssuer } from "./oidc-issuer.ts";
import { BASIC_PLAN, sharedPlan } from "./plans.ts";
import {
  auditPullRequestDelivery,
  exampleContext,
  repositoryPolicy,
  seedDecision,
  withPlanDigest,
} from "./seed.ts";

export const STORY_REPO = "sluice-dev/sluice";
export const TUESDAY = new Date("2026-06-02T08:00:00Z");

/**
 * The story of sluice-dev/sluice#42 through the real routes: opened by @alice, plan uploaded by CI, reviewed
 * by @bob and @dave, decided approved, a refused gate call by @alice, an allowed one by @erin and erin's apply. Plus
 * other-org/tools#7 (pending, staging) and hidden-org/secret#1 (an account the dashboard user is not in).
 */
export async function seedStory(db: Database, issuer: OidcIssuer): Promise<void> {
  const policy = repositoryPolicy();
  const deps = {
    db,
    verifyToken: actionsTokenVerifier({ issuer: issuer.url, audience: "sluice" }),
    loadPolicy: async () => policy,
    now: () => TUESDAY,
  };
  const context = exampleContext("prod-approved");
  const sha = context.headSha;
  await auditPullRequestDelivery(db, {
    repository: STORY_REPO,
    number: 42,
    headSha: sha,
    sender: "alice",
    action: "opened",
  });
  const ci = await issuer.sign({ repository: STORY_REPO, actor: "alice" });
  const upload = await planUploadRoutes(deps).request(
    `/v1/plans?repository=${STORY_REPO}&sha=${sha}&stack=prod-platform`,
    {
      method: "POST",
      headers: { authorization: `Bearer ${ci}` },
      body: sharedPlan(BASIC_PLAN),
    },
  );
  const { digest } = (await upload.json()) as { digest: string };
  for (const reviewer of ["bob", "dave"]) {
    await appendAudit(db, {
      actor: reviewer,
      action: "delivery.received",
      repository: STORY_REPO,
      pullNumber: 42,
      headSha: sha,
      deliveryId: `review-${reviewer}`,
      details: { event: "pull_request_review", action: "submitted", installationId: 1, outcome: "queued" },
    });
  }
  await seedDecision(db, withPlanDigest(context, "prod-platform", digest), policy, TUESDAY);
  for (const actor of ["alice", "erin"]) {
    const token = await issuer.sign({ repository: STORY_REPO, actor });
    await gateRoutes(deps).request("/v1/gate", {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ repository: STORY_REPO, sha, stack: "prod-platform", digest }),
    });
  }
  const erin = await issuer.sign({ repository: STORY_REPO, actor: "erin" });
  await appliesRoutes(deps).request("/v1/applies", {
    method: "POST",
    headers: { authorization: `Bearer ${erin}`, "content-type": "application/json" },
    body: JSON.stringify({
      repository: STORY_REPO,
      sha,
      stack: "prod-platform",
      digest,
      outcome: "succeeded",
    }),
  });
  const pending = { ...exampleContext("no-plan"), repository: "other-org/tools", number: 7 };
  await seedDecision(db, pending, policy, new Date(TUESDAY.getTime() + 60_000));
  const hidden = { ...exampleContext("no-plan"), repository: "hidden-org/secret", number: 1 };
  await seedDecision(db, hidden, policy, new Date(TUESDAY.getTime() + 120_000));
  await db.query(
    "INSERT INTO installations (id, account, active) VALUES (1, 'sluice-dev', true), (2, 'other-org', true), (3, 'hidden-org', true) ON CONFLICT DO NOTHING",
  );
}
