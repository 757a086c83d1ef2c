import { afterAll, beforeAll, expect, it } from "vitest";
import { planDigest } from "../../../core/plan/digest.ts";
import { parsePlan } from "../../../core/plan/parse.ts";
import { reviewPlan } from "../../../core/plan/review.ts";
import { eachDatabase } from "../../test/databases.ts";
import { type OidcIssuer, startOidcIssuer } from "../../test/oidc-issuer.ts";
import { BASIC_PLAN, sharedPlan } from "../../test/plans.ts";
import {
  auditPullRequestDelivery,
  exampleContext,
  repositoryPolicy,
  seedDecision,
  withPlanDigest,
} from "../../test/seed.ts";
import { verifyAudit } from "../audit/log.ts";
import { actionsTokenVerifier } from "../oidc/verify.ts";
import { planUploadRoutes } from "../plans/upload.ts";
import { gateRoutes } from "./route.ts";

const policy = repositoryPolicy();
const REPO = "sluice-dev/sluice";
const TUESDAY = new Date("2026-06-02T08:00:00Z");
const FRIDAY_EVENING = new Date("2026-06-05T15:20:00Z");
const plan = sharedPlan(BASIC_PLAN);
const DIGEST = planDigest(reviewPlan(parsePlan(plan)));
const base = exampleContext("prod-approved");
const SHA = base.headSha;

let issuer: OidcIssuer;
beforeAll(async () => {
  issuer = await startOidcIssuer({ audience: "sluice" });
});
afterAll(() => issuer.close());

eachDatabase("POST /v1/gate", (t) => {
  let now = TUESDAY;
  const deps = () => ({
    db: t().db,
    verifyToken: actionsTokenVerifier({ issuer: issuer.url, audience: "sluice" }),
    loadPolicy: async () => policy,
    now: () => now,
  });
  const token = (claims: Record<string, unknown> = {}, options = {}) =>
    issuer.sign({ repository: REPO, actor: "erin", run_id: "77", ...claims }, options);
  const gate = async (body: Record<string, unknown>, bearer: string) => {
    const response = await gateRoutes(deps()).request("/v1/gate", {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${bearer}` },
      body: JSON.stringify({ repository: REPO, sha: SHA, stack: "prod-platform", digest: DIGEST, ...body }),
    });
    return {
      status: response.status,
      body: (await response.json()) as { allowed?: boolean; reasons?: string[]; error?: string },
    };
  };

  beforeAll(async () => {
    const upload = await planUploadRoutes(deps()).request(
      `/v1/plans?repository=${REPO}&sha=${SHA}&stack=prod-platform`,
      {
        method: "POST",
        headers: { authorization: `Bearer ${await token({ actor: "ci" })}` },
        body: plan,
      },
    );
    if (upload.status !== 201) throw new Error(`upload failed: ${await upload.text()}`);
    await auditPullRequestDelivery(t().db, {
      repository: REPO,
      number: 42,
      headSha: SHA,
      sender: "alice",
      action: "opened",
    });
    await seedDecision(t().db, withPlanDigest(base, "prod-platform", DIGEST), policy, TUESDAY);
  });

  it("allows a permitted applier with the approved plan inside the window", async () => {
    now = TUESDAY;
    const r = await gate({}, await token());
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ allowed: true, pullRequest: 42 });
    expect(r.body.reasons).toContain("the plan is the approved plan of stack prod-platform");
  });

  it.each([
    [
      "a wrong SHA",
      { sha: "f".repeat(40) },
      {},
      TUESDAY,
      "no pull request of sluice-dev/sluice has commit fffffff as its head",
    ],
    [
      "a changed digest",
      { digest: `sha512-256:${"ab".repeat(32)}` },
      {},
      TUESDAY,
      "is not the approved plan of stack prod-platform",
    ],
    [
      "a closed window",
      {},
      {},
      FRIDAY_EVENING,
      "change window: Changes to prod may merge only in 'prod-business-hours'",
    ],
    ["the author as applier", {}, { actor: "alice" }, TUESDAY, "@alice is the author of the pull request"],
    ["an approver as applier", {}, { actor: "bob" }, TUESDAY, "@bob approved the pull request"],
    [
      "another applier than the run's",
      { actor: "pat" },
      { actor: "alice" },
      TUESDAY,
      "the request names @pat as the applier",
    ],
  ])("refuses %s with 403 and the reason", async (_name, body, claims, at, reason) => {
    now = at;
    const r = await gate(body, await token(claims));
    expect(r.status).toBe(403);
    expect(r.body.allowed).toBe(false);
    expect(r.body.reasons?.some((x) => x.includes(reason))).toBe(true);
  });

  it.each([
    ["an expired token", {}, { expiresIn: -120 }, 401, "has expired"],
    [
      "a token whose audience is wrong",
      {},
      { audience: "https://github.com/sluice-dev" },
      401,
      "audience is not 'sluice'",
    ],
    [
      "a foreign repository's token",
      { repository: "evil/fork" },
      {},
      403,
      "the OIDC token is for evil/fork, not sluice-dev/sluice",
    ],
  ])("refuses %s", async (_name, claims, options, status, message) => {
    now = TUESDAY;
    const r = await gate({}, await token(claims, options));
    expect(r.status).toBe(status);
    expect(r.body.error).toContain(message);
  });

  it("judges the merge commit of the approved pull request by its head (an apply after merge)", async () => {
    now = TUESDAY;
    const merge = "e".repeat(40);
    // As the intake stores a merged pull request's closed delivery (webhooks/delivery-record.test.ts).
    await t().db.query(
      `INSERT INTO deliveries (id, event, action, repository, pull_number, head_sha, merge_commit_sha)
       VALUES ('merged-42', 'pull_request', 'closed', $1, 42, $2, $3)`,
      [REPO, SHA, merge],
    );
    const r = await gate({ sha: merge }, await token());
    expect(r.body.reasons).toContain("the plan is the approved plan of stack prod-platform");
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ allowed: true, pullRequest: 42 });
    const other = await gate({ sha: "d".repeat(40) }, await token());
    expect(other.status).toBe(403);
  });

  it("answers 400 naming bad fields", async () => {
    const r = await gate({ sha: "HEAD", digest: "abc" }, await token());
    expect(r.status).toBe(400);
    expect(r.body.error).toContain("sha: expected a 40-character lowercase hex commit SHA");
    expect(r.body.error).toContain("digest: expected a plan digest");
  });

  it("audits every decided call with its outcome and reasons, in a verified chain", async () => {
    const rows = await t().db.query<{
      action: string;
      actor: string;
      details: { reasons: string[]; via: string };
    }>("SELECT action, actor, details FROM audit_log WHERE action LIKE 'gate.%' ORDER BY seq");
    expect(rows.rows.map((r) => `${r.action}:${r.actor}`)).toEqual([
      "gate.allowed:erin",
      "gate.refused:erin",
      "gate.refused:erin",
      "gate.refused:erin",
      "gate.refused:alice",
      "gate.refused:bob",
      "gate.refused:pat",
      "gate.allowed:erin",
      "gate.refused:erin",
    ]);
    expect(rows.rows[3]?.details.reasons.join()).toContain("change window");
    expect(rows.rows[0]?.details.via).toBe("api");
    expect(await verifyAudit(t().db)).toMatchObject({ ok: true });
  });
});
