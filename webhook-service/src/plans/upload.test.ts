import { readFileSync } from "node:fs";
import { afterAll, beforeAll, expect, it } from "vitest";
import { planDigest } from "../../../core/plan/digest.ts";
import { parsePlan } from "../../../core/plan/parse.ts";
import { reviewPlan } from "../../../core/plan/review.ts";
import { eachDatabase } from "../../test/databases.ts";
import { type OidcIssuer, startOidcIssuer } from "../../test/oidc-issuer.ts";
import { BASIC_PLAN, SENSITIVE_PLAN, sharedPlan } from "../../test/plans.ts";
import { actionsTokenVerifier } from "../oidc/verify.ts";
import { listPlanReviews } from "./store.ts";
import { planUploadRoutes } from "./upload.ts";

const SHA = "c0ffee".padEnd(40, "0");
let issuer: OidcIssuer;
beforeAll(async () => {
  issuer = await startOidcIssuer({ audience: "sluice" });
});
afterAll(() => issuer.close());

eachDatabase("POST /v1/plans", (t) => {
  const uploaded: string[] = [];
  const app = () =>
    planUploadRoutes({
      db: t().db,
      verifyToken: actionsTokenVerifier({ issuer: issuer.url, audience: "sluice" }),
      maxBytes: 64 * 1024,
      onUploaded: async (repository, sha) => {
        uploaded.push(`${repository}@${sha}`);
      },
    });
  const token = (repository = "acme/infra", options = {}) =>
    issuer.sign({ repository, actor: "ci-bot" }, options);
  const upload = async (body: string, query: Record<string, string>, bearer?: string) =>
    app().request(`/v1/plans?${new URLSearchParams(query)}`, {
      method: "POST",
      body,
      headers: {
        "content-type": "application/json",
        ...(bearer !== undefined ? { authorization: `Bearer ${bearer}` } : {}),
      },
    });
  const target = { repository: "acme/infra", sha: SHA, stack: "prod-platform" };
  const stored = async () => (await t().db.query("SELECT * FROM plan_reviews")).rows.length;

  it("stores the masked review, digest and findings of a real plan, audits it and re-evaluates", async () => {
    const text = sharedPlan(SENSITIVE_PLAN);
    const response = await upload(text, target, await token());
    expect(response.status).toBe(201);
    const body = (await response.json()) as { digest: string; counts: Record<string, number> };
    expect(body.digest).toBe(planDigest(reviewPlan(parsePlan(text))));
    expect(body.counts.create).toBe(1);
    const [review] = await listPlanReviews(t().db, "acme/infra", SHA);
    expect(review).toMatchObject({ stack: "prod-platform", planDigest: body.digest, uploadedBy: "ci-bot" });
    expect(uploaded).toEqual([`acme/infra@${SHA}`]);
    // The plaintext of the sensitive attribute and output ("boop") is nowhere in the database.
    const dump = JSON.stringify((await t().db.query("SELECT * FROM plan_reviews")).rows);
    expect(dump).toContain("test_instance.test");
    expect(dump).not.toContain("boop");
    const audit = await t().db.query<{ action: string; plan_digest: string; details: unknown }>(
      "SELECT action, plan_digest, details FROM audit_log WHERE action = 'plan.uploaded'",
    );
    expect(audit.rows).toHaveLength(1);
    expect(audit.rows[0]?.plan_digest).toBe(body.digest);
    expect(JSON.stringify(audit.rows[0]?.details)).not.toContain("boop");
  });

  it("prices the plan's changes into its facts, so the policy's cost conditions can be decided", async () => {
    const text = readFileSync(
      new URL("../../../core/cost/test/rds-class-change.plan.json", import.meta.url),
      "utf8",
    );
    expect((await upload(text, target, await token())).status).toBe(201);
    const [review] = await listPlanReviews(t().db, "acme/infra", SHA);
    // eu-west-1 Multi-AZ db.m7g.large → db.m7g.2xlarge, 730 hours a month (docs/cost.md).
    expect(review?.facts.cost).toMatchObject({ currency: "USD", diffTotalMonthlyCost: "823.7174" });
  });

  it("replaces the earlier plan of the same stack and SHA", async () => {
    const response = await upload(sharedPlan(BASIC_PLAN), target, await token());
    expect(response.status).toBe(201);
    const reviews = await listPlanReviews(t().db, "acme/infra", SHA);
    expect(reviews).toHaveLength(1);
    expect(reviews[0]?.planDigest).toBe(((await response.json()) as { digest: string }).digest);
  });

  it.each([
    ["not JSON", "Terraform will perform the following actions:", 422, "human-readable plan output"],
    [
      "truncated JSON",
      '{"format_version": "1.0", "resource_changes": [',
      422,
      "plan of stack other: truncated JSON",
    ],
    ["a state file", '{"format_version":"1.0","values":{"root_module":{}}}', 422, "state file, not a plan"],
    ["an oversized body", `{"pad": "${"x".repeat(70 * 1024)}"}`, 413, "larger than the"],
  ])("refuses %s with a clear 4xx and stores nothing", async (_name, body, status, message) => {
    const before = await stored();
    const auditBefore = (await t().db.query("SELECT seq FROM audit_log")).rows.length;
    const response = await upload(body, { ...target, stack: "other" }, await token());
    expect(response.status).toBe(status);
    expect(((await response.json()) as { error: string }).error).toContain(message);
    expect(await stored()).toBe(before);
    expect((await t().db.query("SELECT seq FROM audit_log")).rows.length).toBe(auditBefore);
  });

  it("refuses bad fields, naming each", async () => {
    const response = await upload(
      sharedPlan(BASIC_PLAN),
      { repository: "acme", sha: "abc", stack: "../x" },
      await token(),
    );
    expect(response.status).toBe(400);
    const body = (await response.json()) as { problems: string[] };
    expect(body.problems).toEqual([
      "repository: expected owner/name",
      "sha: expected a 40-character lowercase hex commit SHA",
      "stack: expected a stack name (letters, digits, '.', '_', '-'; at most 100)",
    ]);
  });

  it.each([
    ["no token", undefined, 401, "authentication required"],
    ["an expired token", { expiresIn: -120 }, 401, "has expired"],
    ["a token for another audience", { audience: "other" }, 401, "audience is not 'sluice'"],
  ])("refuses %s", async (_name, options, status, message) => {
    const bearer = options === undefined ? undefined : await token("acme/infra", options);
    const response = await upload(sharedPlan(BASIC_PLAN), { ...target, stack: "auth" }, bearer);
    expect(response.status).toBe(status);
    expect(((await response.json()) as { error: string }).error).toContain(message);
    expect((await listPlanReviews(t().db, "acme/infra", SHA)).map((r) => r.stack)).not.toContain("auth");
  });

  it("refuses a token of another repository", async () => {
    const response = await upload(
      sharedPlan(BASIC_PLAN),
      { ...target, stack: "foreign" },
      await token("evil/fork"),
    );
    expect(response.status).toBe(403);
    expect(((await response.json()) as { error: string }).error).toBe(
      "the OIDC token is for evil/fork, not acme/infra",
    );
    expect((await listPlanReviews(t().db, "acme/infra", SHA)).map((r) => r.stack)).not.toContain("foreign");
  });
});
