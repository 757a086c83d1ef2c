import { loadavg } from "node:os";
import { performance } from "node:perf_hooks";
import { planDigest } from "../core/plan/digest.ts";
import { parsePlan } from "../core/plan/parse.ts";
import { reviewPlan } from "../core/plan/review.ts";
import { listChanges } from "../webhook-service/src/dashboard/data.ts";
import { ChangesPage, page } from "../webhook-service/src/dashboard/views.tsx";
import type { Database } from "../webhook-service/src/db/database.ts";
import { migrate } from "../webhook-service/src/db/migrate.ts";
import { openPglite } from "../webhook-service/src/db/pglite.ts";
import { gateRoutes } from "../webhook-service/src/gate/route.ts";
import { actionsTokenVerifier } from "../webhook-service/src/oidc/verify.ts";
import { startOidcIssuer } from "../webhook-service/test/oidc-issuer.ts";
import {
  exampleContext,
  repositoryPolicy,
  seedDecision,
  withPlanDigest,
} from "../webhook-service/test/seed.ts";
import { median, ms, writeSection } from "./harness.ts";

/**
 * The apply gate and the dashboard's list, on embedded PGlite (the default storage).
 * Gate: POST /v1/gate through the Hono route (OIDC verification, look-ups, pure decision, audit append) with
 * 10,000 decisions stored (target p99 < 20 ms); baseline, same run: the same calls with 10 decisions stored.
 * List: the change-request query plus server rendering of 50 rows with 100,000 decisions stored (target
 * p95 < 50 ms); baseline, same run: the same with 1,000 stored.
 */
const policy = repositoryPolicy();
const TUESDAY = new Date("2026-06-02T08:00:00Z");
const percentile = (values: readonly number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
};

/** `count` decisions over 100 repositories, each with an uploaded plan review, made in SQL. */
async function fill(db: Database, count: number): Promise<void> {
  const template = JSON.stringify(await seedTemplate(db));
  await db.query(
    `INSERT INTO decisions (repository, pull_number, head_sha, state, conclusion, summary, decision, plan_digest, generation, evaluated_at)
     SELECT 'bench-org/repo' || (i % 100), i, lpad(to_hex(i), 40, '0'),
       (ARRAY['approved','pending','blocked'])[1 + i % 3], 'success', 'bench',
       $1::jsonb || jsonb_build_object(
         'state', (ARRAY['approved','pending','blocked'])[1 + i % 3],
         'pullRequest', jsonb_build_object('repository', 'bench-org/repo' || (i % 100), 'number', i,
           'author', 'user' || (i % 40), 'headSha', lpad(to_hex(i), 40, '0'), 'baseBranch', 'main'),
         'approvers', jsonb_build_array('user' || ((i + 1) % 40), 'user' || ((i + 2) % 40)),
         'environments', jsonb_build_array(jsonb_build_object('name', (ARRAY['dev','staging','prod'])[1 + i % 3], 'because', '[]'::jsonb))),
       'sha512-256:' || lpad(to_hex(i), 64, '0'), 1, $2::timestamptz - i * interval '1 minute'
     FROM generate_series(1, $3::int) AS i`,
    [template, TUESDAY.toISOString(), count],
  );
  await db.query(
    `INSERT INTO plan_reviews (repository, head_sha, stack, plan_digest, facts, review, findings)
     SELECT 'bench-org/repo' || (i % 100), lpad(to_hex(i), 40, '0'), 'prod-platform', 'sha512-256:' || lpad(to_hex(i), 64, '0'),
       '{}'::jsonb, jsonb_build_object('counts', jsonb_build_object('create', i % 7, 'update', i % 3, 'delete', i % 2)),
       CASE WHEN i % 5 = 0 THEN '[{"rule":"open-ingress","severity":"high","address":"aws_security_group.web","reason":"open"}]'::jsonb ELSE '[]'::jsonb END
     FROM generate_series(1, $1::int) AS i`,
    [count],
  );
  await db.query("ANALYZE");
}

let template: unknown;
/** A real decision (evaluated by the core) whose identifying fields the SQL above replaces. */
async function seedTemplate(db: Database): Promise<unknown> {
  if (template) return template;
  const r = await db.query<{ decision: unknown }>("SELECT decision FROM decisions LIMIT 1");
  template = r.rows[0]?.decision;
  return template;
}

async function gateScenario(stored: number, calls: number) {
  const db = await openPglite();
  await migrate(db);
  const issuer = await startOidcIssuer({ audience: "sluice" });
  const context = exampleContext("prod-approved");
  const digest = planDigest(reviewPlan(parsePlan('{"format_version":"1.0","resource_changes":[]}')));
  await seedDecision(db, withPlanDigest(context, "prod-platform", digest), policy, TUESDAY);
  await db.query(
    `INSERT INTO plan_reviews (repository, head_sha, stack, plan_digest, facts, review, findings)
     VALUES ($1, $2, 'prod-platform', $3, '{}', '{}', '[]')`,
    [context.repository, context.headSha, digest],
  );
  await fill(db, stored - 1);
  const app = gateRoutes({
    db,
    verifyToken: actionsTokenVerifier({ issuer: issuer.url, audience: "sluice" }),
    loadPolicy: async () => policy,
    now: () => TUESDAY,
  });
  const token = await issuer.sign({ repository: context.repository, actor: "erin" }, { expiresIn: 3600 });
  const body = JSON.stringify({
    repository: context.repository,
    sha: context.headSha,
    stack: "prod-platform",
    digest,
  });
  const call = async () => {
    const r = await app.request("/v1/gate", {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body,
    });
    if (r.status !== 200) throw new Error(`gate answered ${r.status}: ${await r.text()}`);
  };
  for (let i = 0; i < 50; i++) await call();
  const times: number[] = [];
  for (let i = 0; i < calls; i++) {
    const start = performance.now();
    await call();
    times.push(performance.now() - start);
  }
  await issuer.close();
  await db.close();
  return times;
}

async function listScenario(stored: number, runs: number) {
  const db = await openPglite();
  await migrate(db);
  await seedDecision(db, exampleContext("prod-approved"), policy, TUESDAY);
  await fill(db, stored - 1);
  const render = async (filter: Parameters<typeof listChanges>[1]) => {
    const { rows, hasNext } = await listChanges(db, filter, "*");
    if (rows.length !== 50) throw new Error(`expected 50 rows, got ${rows.length}`);
    return page(ChangesPage({ user: { user: "bench", csrf: "x" }, filter, rows, hasNext, now: TUESDAY }));
  };
  const measure = async (filter: Parameters<typeof listChanges>[1]) => {
    for (let i = 0; i < 5; i++) await render(filter);
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const start = performance.now();
      await render(filter);
      times.push(performance.now() - start);
    }
    return times;
  };
  const first = await measure({ page: 1 });
  const filtered = await measure({ page: 1, environment: "prod", state: "blocked" });
  await db.close();
  return { first, filtered };
}

const loadBefore = loadavg()[0] ?? 0;
const gateBase = await gateScenario(10, 1000);
const gateFull = await gateScenario(10_000, 1000);
const listBase = await listScenario(1_000, 200);
const listFull = await listScenario(100_000, 200);

const row = (name: string, t: number[], p: number, base: number[]) =>
  `| ${name} | ${ms(median(t))} | ${ms(percentile(t, p))} | ${ms(median(base))} | ${ms(percentile(base, p))} | ${(percentile(t, p) / percentile(base, p)).toFixed(2)}x |`;

const lines = [
  "## Apply gate and dashboard list (`bench/gate.bench.ts`)",
  "",
  "Command: `npm run bench -- gate`. Embedded PGlite in memory, in-process Hono requests (no socket).",
  "",
  "| measurement | median | tail | baseline median | baseline tail | tail ratio |",
  "| --- | --- | --- | --- | --- | --- |",
  row("POST /v1/gate, 10,000 decisions stored (tail: p99; target < 20 ms)", gateFull, 99, gateBase),
  row(
    "change-request list, 50 of 100,000 rows, query + render (tail: p95; target < 50 ms)",
    listFull.first,
    95,
    listBase.first,
  ),
  row("same, filtered by environment and state (tail: p95)", listFull.filtered, 95, listBase.filtered),
  "",
  "Baselines, same run: the gate with 10 decisions stored; the list with 1,000 stored. A gate call verifies",
  "the OIDC token (RS256, keys cached), finds the decision and the uploaded digest, decides, and appends the",
  "audit event (a transaction with the chain's advisory lock), 1,000 calls after 50 warm-up calls. The list",
  "reads the latest decision per pull request newest first (decisions_evaluated_at index), the plan risk of",
  "the page's heads and the last permitted applier, and renders the page with hono/jsx, 200 runs.",
  `Machine load (1-minute load average on 2 cores) at start and end: ${loadBefore.toFixed(1)} and ${(loadavg()[0] ?? 0).toFixed(1)};`,
  "the tails on this shared machine are dominated by waiting for a CPU, the medians much less so.",
];
console.log(lines.join("\n"));
writeSection("gate", lines.join("\n"));
