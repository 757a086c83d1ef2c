import {
  type Decision,
  evaluate,
  formatSourceError,
  parsePolicy,
  planDigest,
  renderMarkdown,
} from "../../../core/policy/index.ts";
import { appendAuditIn } from "../audit/log.ts";
import type { GitHubClient } from "../github/app.ts";
import { diffDigest } from "../github/diff-digest.ts";
import {
  type CheckOutput,
  type Conclusion,
  completeCheckRun,
  ensureCheckRun,
  listComments,
  upsertComment,
} from "../github/outputs.ts";
import {
  GITHUB_COMMIT_CAP,
  GITHUB_FILE_CAP,
  type PullRequestSnapshot,
  readCodeowners,
  readFileAt,
  readPullRequest,
  repoRef,
} from "../github/pull-request.ts";
import type { MembershipCache } from "../github/teams.ts";
import type { Logger } from "../logger.ts";
import { listPlanReviews, type PlanReviewRecord } from "../plans/store.ts";
import type { Service } from "../service.ts";
import { buildChangeContext, codeownerTeams, overrideFromComments } from "./context.ts";
import { glossaryCheck, readChangedFiles } from "./glossary.ts";
import { renderComment } from "./render.ts";

export const POLICY_PATH = "change-control.yaml";
export const GLOSSARY_PATH = "glossary.md";

export interface EvaluationResult {
  readonly headSha: string;
  readonly state: Decision["state"] | "error";
  readonly conclusion: Conclusion;
  readonly published: boolean;
}

/**
 * One evaluation of one pull request, run while holding its advisory lock: read it from GitHub, mark the
 * check in progress, read policy, glossary and CODEOWNERS from the base branch, run the pure core, then
 * publish the check run and the one comment, store the decision and audit it. Publishing is conditional on
 * this being the newest evaluation of the pull request and the head not having moved meanwhile.
 */
export async function evaluatePullRequest(
  service: Service,
  octokit: GitHubClient,
  members: MembershipCache,
  target: {
    repository: string;
    pullNumber: number;
    receivedAt?: number;
    command?: string;
    commandBy?: string;
    /** The base branch the delivery named: its policy reads start beside the pull request's. */
    baseRef?: string;
  },
  log: Logger,
): Promise<EvaluationResult> {
  const { db } = service;
  const { repository, pullNumber } = target;
  const started = Date.now();
  const gen = await db.query<{ generation: string }>(
    `INSERT INTO pull_request_outputs (repository, pull_number, generation) VALUES ($1, $2, 1)
     ON CONFLICT (repository, pull_number) DO UPDATE SET generation = pull_request_outputs.generation + 1
     RETURNING generation`,
    [repository, pullNumber],
  );
  const generation = Number(gen.rows[0]?.generation);

  // Reads start as soon as what they need is known, so the critical path is three GitHub round trips: the
  // pull request (with base-branch reads at the delivery's base ref, confirmed against the pull request), then
  // the in-progress check run beside the changed files' contents and the team look-ups, then the completion
  // beside the head re-read. Everything settles before an error is thrown, so no write is left in flight.
  const baseReads = (ref: string) =>
    Promise.all([
      readFileAt(octokit, repository, POLICY_PATH, ref),
      readFileAt(octokit, repository, GLOSSARY_PATH, ref),
      readCodeowners(octokit, repository, ref),
    ] as const);
  const early = target.baseRef !== undefined ? baseReads(target.baseRef) : undefined;
  early?.catch(() => {});
  const [snapshot, comments] = await allSettledOrThrow([
    readPullRequest(octokit, repository, pullNumber),
    listComments(octokit, repository, pullNumber),
  ] as const);
  // The policy is read from the base branch GitHub names now, never a stale one from the delivery.
  const base = early && target.baseRef === snapshot.baseRef ? early : baseReads(snapshot.baseRef);
  const detailsUrl = service.config.publicUrl
    ? `${service.config.publicUrl}/changes/${repository}/${pullNumber}`
    : snapshot.htmlUrl;
  const org = repository.split("/")[0] ?? "";
  const policyRead = base.then(([text, , owners]) => {
    const parsed = text === undefined ? undefined : parsePolicy(text, POLICY_PATH);
    const teamSlugs = parsed?.ok
      ? [...new Set([...Object.values(parsed.value.teams), ...codeownerTeams(owners)])]
      : [];
    return { parsed, teamSlugs };
  });
  const membership = policyRead.then(({ parsed, teamSlugs }) =>
    parsed?.ok
      ? Promise.all([
          snapshot.ownerIsOrganization ? members.orgMembers(octokit, org) : Promise.resolve([]),
          Promise.all(teamSlugs.map((slug) => members.teamMembers(octokit, slug))),
        ])
      : undefined,
  );
  const [checkRunId, [policyText, glossaryText, codeowners], { parsed, teamSlugs }, plans, changed, looked] =
    await allSettledOrThrow([
      ensureCheckRun(
        octokit,
        db,
        repository,
        snapshot.headSha,
        {
          title: "Evaluating",
          summary: "Sluice is evaluating this pull request against change-control.yaml.",
        },
        detailsUrl,
      ),
      base,
      policyRead,
      listPlanReviews(db, repository, snapshot.headSha),
      readChangedFiles(octokit, repository, snapshot.headSha, snapshot.files),
      membership,
    ] as const);

  const serviceErrors: string[] = [];
  const warnings: string[] = [];
  if (snapshot.changedFiles > snapshot.files.length || snapshot.files.length >= GITHUB_FILE_CAP) {
    serviceErrors.push(
      `GitHub lists only ${snapshot.files.length} of the ${snapshot.changedFiles} changed files (its cap is ${GITHUB_FILE_CAP}): the change cannot be evaluated completely; split the pull request`,
    );
  }
  if (snapshot.commitCount > snapshot.commits.length || snapshot.commits.length >= GITHUB_COMMIT_CAP) {
    serviceErrors.push(
      `GitHub lists only ${snapshot.commits.length} of the ${snapshot.commitCount} commits (its cap is ${GITHUB_COMMIT_CAP}): authors cannot all be known; split the pull request`,
    );
  }

  let decision: Decision | undefined;
  let glossaryFindings: Awaited<ReturnType<typeof glossaryCheck>>["findings"] = [];
  let currentDiffDigest: string | undefined;
  let currentPlanDigest: string | undefined;
  if (policyText === undefined || parsed === undefined) {
    serviceErrors.push(
      `no ${POLICY_PATH} on the base branch ${snapshot.baseRef}: nothing can be approved without a policy`,
    );
  } else if (!parsed.ok) {
    serviceErrors.push(
      `${POLICY_PATH} on ${snapshot.baseRef} is invalid:`,
      ...parsed.errors.map((e) => `  ${formatSourceError(e)}`),
    );
  } else {
    const policy = parsed.value;
    const [orgMembers, teamMembers] = looked ?? [[], []];
    const glossary = glossaryCheck({
      title: snapshot.title,
      baseGlossary: glossaryText,
      changedFiles: changed,
      planNames: plans.flatMap((p) => p.names ?? []),
    });
    if (glossary.error) serviceErrors.push(glossary.error);
    if (glossary.warning) warnings.push(glossary.warning);
    glossaryFindings = glossary.findings;
    currentDiffDigest = diffDigest(snapshot.files);
    const plan = plansContext(snapshot, plans);
    currentPlanDigest = plan ? planDigest(plan) : undefined;
    const reviewDigests = await recordReviewDigests(service, snapshot, currentPlanDigest, currentDiffDigest);
    const context = buildChangeContext({
      snapshot,
      ...(codeowners !== undefined ? { codeowners } : {}),
      organization: { login: org, members: orgMembers },
      teams: Object.fromEntries(teamSlugs.map((slug, i) => [slug, teamMembers[i] ?? []])),
      plans,
      glossaryFindings,
      reviewDigests,
      ...(await lastPusherOf(service, repository, pullNumber, snapshot.headSha)),
      diffDigest: currentDiffDigest,
      ...withOverride(overrideFromComments(comments.filter((c) => !c.body.includes("<!-- sluice:")))),
    });
    decision = evaluate(policy, context, new Date());
  }

  const state: EvaluationResult["state"] = serviceErrors.length > 0 ? "error" : (decision?.state ?? "error");
  const conclusion: Conclusion =
    state === "approved" ? "success" : state === "pending" ? "action_required" : "failure";
  const output = checkOutput(state, decision, serviceErrors, warnings, plans);

  // The check run belongs to this head whatever happened since; the comment and the stored publication are
  // the pull request's, so they follow only if the head did not move while we worked: an older head's
  // result never covers a newer one.
  const [{ data: now }] = await allSettledOrThrow([
    octokit.rest.pulls.get({ ...repoRef(repository), pull_number: pullNumber }),
    completeCheckRun(octokit, db, repository, snapshot.headSha, checkRunId, conclusion, output, detailsUrl),
  ] as const);
  const headMoved = now.head.sha !== snapshot.headSha;
  const claimed = headMoved
    ? { rowCount: 0 }
    : await db.query(
        `UPDATE pull_request_outputs SET published_generation = $3, published_head_sha = $4
         WHERE repository = $1 AND pull_number = $2 AND published_generation < $3`,
        [repository, pullNumber, generation, snapshot.headSha],
      );
  const published = claimed.rowCount > 0;
  if (published) {
    await upsertComment(
      octokit,
      db,
      repository,
      pullNumber,
      comments,
      renderComment({ snapshot, decision, serviceErrors, warnings, plans, glossaryFindings }),
    );
  } else {
    log.info(
      { headSha: snapshot.headSha, newHead: now.head.sha },
      "head moved or newer evaluation published: comment left alone",
    );
  }

  await db.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO decisions (repository, pull_number, head_sha, state, conclusion, summary, decision, plan_digest,
         diff_digest, generation, evaluated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, now())
       ON CONFLICT (repository, pull_number, head_sha) DO UPDATE SET state = EXCLUDED.state,
         conclusion = EXCLUDED.conclusion, summary = EXCLUDED.summary, decision = EXCLUDED.decision,
         plan_digest = EXCLUDED.plan_digest, diff_digest = EXCLUDED.diff_digest, generation = EXCLUDED.generation,
         evaluated_at = now()
       WHERE decisions.generation < EXCLUDED.generation`,
      [
        repository,
        pullNumber,
        snapshot.headSha,
        state === "error" ? "blocked" : state,
        conclusion,
        output.title,
        JSON.stringify(decision ?? { state: "blocked", errors: serviceErrors }),
        currentPlanDigest ?? null,
        currentDiffDigest ?? null,
        generation,
      ],
    );
    await appendAuditIn(tx, {
      actor: "sluice",
      action: "decision.published",
      repository,
      pullNumber,
      headSha: snapshot.headSha,
      ...(currentPlanDigest ? { planDigest: currentPlanDigest } : {}),
      details: {
        state: state === "error" ? "blocked" : state,
        conclusion,
        title: output.title,
        diffDigest: currentDiffDigest ?? null,
        approvers: decision?.approvers ?? [],
        errors: [...serviceErrors, ...(decision?.errors ?? [])],
        commentPublished: published,
        ...(target.command ? { command: target.command, commandBy: target.commandBy ?? null } : {}),
      },
    });
    for (const o of decision?.overrides ?? []) {
      await appendAuditIn(tx, {
        actor: o.by,
        action: "override.recorded",
        repository,
        pullNumber,
        headSha: snapshot.headSha,
        ...(currentPlanDigest ? { planDigest: currentPlanDigest } : {}),
        details: { rule: o.rule, reason: o.reason },
      });
    }
  });
  service.metrics.evaluationSeconds.observe((Date.now() - started) / 1000);
  if (typeof target.receivedAt === "number") {
    service.metrics.decisionLatency.observe((Date.now() - target.receivedAt) / 1000);
  }
  log.info({ repository, pullNumber, headSha: snapshot.headSha, state, conclusion, published }, "evaluated");
  return { headSha: snapshot.headSha, state, conclusion, published };
}

function withOverride<T>(o: T | undefined): { override?: T } {
  return o ? { override: o } : {};
}

function plansContext(snapshot: PullRequestSnapshot, plans: readonly PlanReviewRecord[]) {
  if (plans.length === 0) return undefined;
  return { commit: snapshot.headSha, stacks: plans.map((p) => ({ name: p.stack, facts: p.facts })) };
}

function checkOutput(
  state: EvaluationResult["state"],
  decision: Decision | undefined,
  serviceErrors: readonly string[],
  warnings: readonly string[],
  plans: readonly PlanReviewRecord[],
): CheckOutput {
  if (state === "error" || !decision) {
    return {
      title: "blocked: the change could not be evaluated",
      summary: [
        "Sluice could not evaluate this pull request, so it is not approved.",
        "",
        ...serviceErrors.map((e) => `- ${e}`),
      ].join("\n"),
    };
  }
  const title =
    decision.state === "pending" && plans.length === 0
      ? "pending: no plan"
      : `${decision.state}: ${decision.summary}`;
  const extra = warnings.length > 0 ? `\n\n${warnings.map((w) => `- ${w}`).join("\n")}` : "";
  return { title: title.slice(0, 200), summary: `${renderMarkdown(decision)}${extra}` };
}

/**
 * Records the plan and diff digests current now for each review on the head commit not recorded yet
 * (the engine's review.planDigest/diffDigest). A review on an older commit seen for the first time is not
 * given today's digests: it stays unrecorded, so it counts only on the head commit (fail closed).
 */
async function recordReviewDigests(
  service: Service,
  snapshot: PullRequestSnapshot,
  plan: string | undefined,
  diff: string,
): Promise<Map<number, { planDigest?: string; diffDigest?: string }>> {
  const { db } = service;
  for (const r of snapshot.reviews) {
    if (r.commitId !== snapshot.headSha) continue;
    await db.query(
      `INSERT INTO review_digests (repository, review_id, pull_number, commit_id, plan_digest, diff_digest)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (repository, review_id) DO NOTHING`,
      [snapshot.repository, r.id, snapshot.number, r.commitId, plan ?? null, diff],
    );
  }
  const rows = await db.query<{ review_id: string; plan_digest: string | null; diff_digest: string | null }>(
    "SELECT review_id, plan_digest, diff_digest FROM review_digests WHERE repository = $1 AND pull_number = $2",
    [snapshot.repository, snapshot.number],
  );
  return new Map(
    rows.rows.map((r) => [
      Number(r.review_id),
      {
        ...(r.plan_digest ? { planDigest: r.plan_digest } : {}),
        ...(r.diff_digest ? { diffDigest: r.diff_digest } : {}),
      },
    ]),
  );
}

async function lastPusherOf(
  service: Service,
  repository: string,
  pullNumber: number,
  headSha: string,
): Promise<{ lastPusher?: string }> {
  const row = await service.db.query<{ sender: string | null }>(
    `SELECT sender FROM deliveries WHERE repository = $1 AND pull_number = $2 AND head_sha = $3
       AND event = 'pull_request' AND action IN ('opened', 'synchronize', 'reopened') AND sender IS NOT NULL
     ORDER BY received_at DESC LIMIT 1`,
    [repository, pullNumber, headSha],
  );
  const sender = row.rows[0]?.sender;
  return sender ? { lastPusher: sender } : {};
}

/** Like Promise.all, but waits for every promise to settle before throwing the first rejection. */
async function allSettledOrThrow<T extends readonly unknown[]>(
  promises: T,
): Promise<{ -readonly [K in keyof T]: Awaited<T[K]> }> {
  const settled = await Promise.allSettled(promises);
  const failed = settled.find((r) => r.status === "rejected");
  if (failed) throw failed.reason;
  return settled.map((r) => (r as PromiseFulfilledResult<unknown>).value) as {
    -readonly [K in keyof T]: Awaited<T[K]>;
  };
}
