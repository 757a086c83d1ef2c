import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { planDigest } from "../../core/plan/digest.ts";
import { parsePlan } from "../../core/plan/parse.ts";
import { reviewPlan } from "../../core/plan/review.ts";
import type { Database } from "../../webhook-service/src/db/database.ts";
import { migrate } from "../../webhook-service/src/db/migrate.ts";
import { openPglite } from "../../webhook-service/src/db/pglite.ts";
import { appliesRoutes } from "../../webhook-service/src/gate/applies.ts";
import { gateRoutes } from "../../webhook-service/src/gate/route.ts";
import { actionsTokenVerifier } from "../../webhook-service/src/oidc/verify.ts";
import { listPlanReviews } from "../../webhook-service/src/plans/store.ts";
import { planUploadRoutes } from "../../webhook-service/src/plans/upload.ts";
import { type OidcIssuer, startOidcIssuer } from "../../webhook-service/test/oidc-issuer.ts";
import { BASIC_PLAN, SENSITIVE_PLAN, sharedPlan } from "../../webhook-service/test/plans.ts";
import {
  auditPullRequestDelivery,
  exampleContext,
  repositoryPolicy,
  seedDecision,
  withPlanDigest,
} from "../../webhook-service/test/seed.ts";
import { main } from "../main.ts";
import { memoryIo } from "../test/memory-io.ts";

const REPO = "sluice-dev/sluice";
const context = exampleContext("prod-approved");
const SHA = context.headSha;
const TUESDAY = new Date("2026-06-02T08:00:00Z");
const FRIDAY_EVENING = new Date("2026-06-05T15:20:00Z");
const policy = repositoryPolicy();

let issuer: OidcIssuer;
let db: Database;
let server: ReturnType<typeof serve>;
let url = "";
let now = TUESDAY;
const dir = mkdtempSync(join(tmpdir(), "sluice-gate-cli-"));
const planFile = join(dir, "plan.json");
const otherPlanFile = join(dir, "other.json");
const brokenFile = join(dir, "broken.json");

beforeAll(async () => {
  writeFileSync(planFile, sharedPlan(BASIC_PLAN));
  writeFileSync(otherPlanFile, sharedPlan(SENSITIVE_PLAN));
  writeFileSync(brokenFile, '{"format_version": "1.0", "resource_changes": [');
  issuer = await startOidcIssuer({ audience: "sluice" });
  issuer.actionsClaims = { repository: REPO, actor: "erin", run_id: "9" };
  db = await openPglite();
  await migrate(db);
  const deps = {
    db,
    verifyToken: actionsTokenVerifier({ issuer: issuer.url, audience: "sluice" }),
    loadPolicy: async () => policy,
    now: () => now,
  };
  const app = new Hono();
  app.route("/", planUploadRoutes(deps));
  app.route("/", gateRoutes(deps));
  app.route("/", appliesRoutes(deps));
  await new Promise<void>((resolve) => {
    server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, (info) => {
      url = `http://127.0.0.1:${info.port}`;
      resolve();
    });
  });
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  await issuer.close();
  await db.close();
});

/** Runs `sluice ...` as a GitHub Actions step would: the Actions token endpoint and run variables set. */
async function sluice(args: string[], env: Record<string, string> = {}) {
  const m = memoryIo({
    cwd: dir,
    env: {
      SLUICE_URL: url,
      GITHUB_REPOSITORY: REPO,
      GITHUB_SHA: SHA,
      ACTIONS_ID_TOKEN_REQUEST_URL: `${issuer.url}/actions-token?api-version=2.0`,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: issuer.actionsRequestToken,
      ...env,
    },
  });
  const code = await main(args, m.io);
  return { code, stdout: m.stdout, stderr: m.stderr };
}

describe("sluice plan upload and sluice gate against the service", () => {
  it("uploads a plan with the workflow's OIDC token, and the service stores its review", async () => {
    const r = await sluice(["plan", "upload", "plan.json", "--stack", "prod-platform"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const digest = planDigest(reviewPlan(parsePlan(sharedPlan(BASIC_PLAN))));
    expect(r.stdout).toContain(`uploaded prod-platform for ${REPO}@9c1e2d4: digest ${digest}`);
    expect((await listPlanReviews(db, REPO, SHA)).map((p) => p.planDigest)).toEqual([digest]);
    // What the evaluation does after the upload: decide on the uploaded plan (approved by @bob and @dave).
    await auditPullRequestDelivery(db, {
      repository: REPO,
      number: 42,
      headSha: SHA,
      sender: "alice",
      action: "opened",
    });
    await seedDecision(db, withPlanDigest(context, "prod-platform", digest), policy, TUESDAY);
  });

  it("passes the gate for a permitted applier with the same plan (exit 0)", async () => {
    now = TUESDAY;
    const r = await sluice(["gate", "--stack", "prod-platform", "--plan", "plan.json"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^allowed: prod-platform at 9c1e2d4/);
  });

  it("records the applied step only for the plan the gate allowed (sluice apply report)", async () => {
    const ok = await sluice([
      "apply",
      "report",
      "--stack",
      "prod-platform",
      "--plan",
      "plan.json",
      "--outcome",
      "succeeded",
    ]);
    expect(ok.stderr).toBe("");
    expect(ok.code).toBe(0);
    const rows = await db.query<{ actor: string; pull_number: number }>(
      "SELECT actor, pull_number FROM audit_log WHERE action = 'apply.succeeded'",
    );
    expect(rows.rows).toEqual([{ actor: "erin", pull_number: 42 }]);
    const other = await sluice([
      "apply",
      "report",
      "--stack",
      "prod-platform",
      "--plan",
      "other.json",
      "--outcome",
      "succeeded",
    ]);
    expect(other.code).toBe(1);
    expect(other.stderr).toContain("no gate decision allowed this stack, plan and commit for this actor");
  });

  it("is refused with reasons for the author (exit 1)", async () => {
    issuer.actionsClaims = { repository: REPO, actor: "alice" };
    try {
      const r = await sluice(["gate", "--stack", "prod-platform", "--plan", "plan.json"]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain("  - @alice is the author of the pull request");
    } finally {
      issuer.actionsClaims = { repository: REPO, actor: "erin" };
    }
  });

  it("is refused for a changed plan (exit 1)", async () => {
    const r = await sluice(["gate", "--stack", "prod-platform", "--plan", "other.json"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("is not the approved plan of stack prod-platform");
  });

  it("is refused outside the change window (exit 1)", async () => {
    now = FRIDAY_EVENING;
    try {
      const r = await sluice(["gate", "--stack", "prod-platform", "--plan", "plan.json"]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain("change window: Changes to prod may merge only in 'prod-business-hours'");
    } finally {
      now = TUESDAY;
    }
  });

  it("takes --token instead of the Actions runtime", async () => {
    const token = await issuer.sign({ repository: REPO, actor: "erin" });
    const r = await sluice(["gate", "--stack", "prod-platform", "--plan", "plan.json", "--token", token], {
      ACTIONS_ID_TOKEN_REQUEST_URL: "",
    });
    expect(r.code).toBe(0);
  });

  it("exits 2 on an unusable plan file, naming it, before contacting the service", async () => {
    const r = await sluice(["gate", "--stack", "prod-platform", "--plan", "broken.json"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("broken.json: truncated JSON");
    const upload = await sluice(["plan", "upload", "missing.json", "--stack", "x"]);
    expect(upload.code).toBe(2);
    expect(upload.stderr).toContain("missing.json: cannot read (no such file)");
  });

  it("exits 2 without a token source or a server, saying what is missing", async () => {
    const r = await sluice(["gate", "--stack", "prod-platform", "--plan", "plan.json"], {
      ACTIONS_ID_TOKEN_REQUEST_URL: "",
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("no OIDC token: pass --token, or run in GitHub Actions");
    const none = await sluice(["gate", "--stack", "s", "--plan", "plan.json"], { SLUICE_URL: "" });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("missing --server (or SLUICE_URL)");
  });

  it("exits 1 when the service refuses an upload (a foreign repository)", async () => {
    const r = await sluice([
      "plan",
      "upload",
      "plan.json",
      "--stack",
      "prod-platform",
      "--repository",
      "evil/fork",
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("the OIDC token is for sluice-dev/sluice, not evil/fork");
  });
});
