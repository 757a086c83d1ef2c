import type { Decision } from "../../../core/policy/index.ts";
import { deploymentProtectionHandler } from "../gate/area.ts";
import type { GitHubClient } from "../github/app.ts";
import { CHECK_NAME, completeCheckRun, ensureCheckRun } from "../github/outputs.ts";
import { repoRef } from "../github/pull-request.ts";
import { MembershipCache } from "../github/teams.ts";
import type { Logger } from "../logger.ts";
import type { Job } from "../queue/queue.ts";
import { errorInfo, type JobHandler, PermanentError, RetryLater } from "../queue/worker.ts";
import type { Service } from "../service.ts";
import { storedPayload } from "../webhooks/store.ts";
import { evaluatePullRequest } from "./evaluate.ts";

/** The service's job handlers: evaluate a pull request, answer a merge group, track installations. */
export function serviceHandlers(service: Service): Record<string, JobHandler> {
  const members = new MembershipCache(service.config.teamCacheTtlMs);
  return {
    // GATE: answers deployment_protection_rule.requested through the callback API.
    "deployment-protection": deploymentProtectionHandler(service),
    evaluate: {
      async run(job, log) {
        const target = evaluationTarget(job);
        if (!service.github) {
          log.info(
            { repository: target.repository },
            "local mode: not evaluated (no GitHub App credentials)",
          );
          return;
        }
        const installationId = await installationOf(service, target.repository, target.installationId);
        const octokit = service.github.installation(installationId);
        const locked = await service.db.tryWithLock(`pr:${target.repository}#${target.pullNumber}`, () =>
          evaluatePullRequest(service, octokit, members, target, log).catch((error) => {
            throw classify(error);
          }),
        );
        // Another replica is evaluating this pull request: run after it, reading the state it leaves.
        if (!locked.acquired) throw new RetryLater("another replica holds this pull request's lock", 200);
      },
      async giveUp(job, error, log) {
        if (!service.github || error instanceof PermanentError) return;
        const target = evaluationTarget(job);
        const installationId = await installationOf(service, target.repository, target.installationId);
        const octokit = service.github.installation(installationId);
        await publishGaveUp(service, octokit, target.repository, target.pullNumber, job, error, log);
      },
    },
    "evaluate-sha": {
      async run(job) {
        const p = job.payload as { repository?: unknown; headSha?: unknown };
        if (typeof p.repository !== "string" || typeof p.headSha !== "string") {
          throw new PermanentError("evaluate-sha job without repository and head SHA");
        }
        await service.requestEvaluation({ repository: p.repository, headSha: p.headSha });
      },
    },
    "merge-group": {
      async run(job, log) {
        if (!service.github) return;
        const p = job.payload as {
          repository: string;
          headSha: string;
          headRef?: string;
          installationId?: number;
        };
        const installationId = await installationOf(service, p.repository, p.installationId);
        await answerMergeGroup(service, service.github.installation(installationId), p, log);
      },
    },
    installation: {
      async run(job) {
        await recordInstallation(service, String(job.payload.deliveryId));
      },
    },
  };
}

function evaluationTarget(job: Job) {
  const p = job.payload as {
    repository?: unknown;
    pullNumber?: unknown;
    installationId?: unknown;
    receivedAt?: unknown;
    command?: unknown;
    commandBy?: unknown;
    baseRef?: unknown;
  };
  if (typeof p.repository !== "string" || typeof p.pullNumber !== "number") {
    throw new PermanentError("evaluate job without repository and pull request number");
  }
  return {
    repository: p.repository,
    pullNumber: p.pullNumber,
    ...(typeof p.installationId === "number" ? { installationId: p.installationId } : {}),
    ...(typeof p.receivedAt === "number" ? { receivedAt: p.receivedAt } : {}),
    ...(typeof p.command === "string" ? { command: p.command } : {}),
    ...(typeof p.commandBy === "string" ? { commandBy: p.commandBy } : {}),
    ...(typeof p.baseRef === "string" ? { baseRef: p.baseRef } : {}),
  };
}

/** The installation of a repository: from the job, else as last seen in a delivery. */
async function installationOf(service: Service, repository: string, fromJob?: number): Promise<number> {
  if (fromJob) {
    await service.db.query(
      // Written only when it changed: ON CONFLICT locks the row even when its WHERE skips the update, which
      // made every evaluation of one repository queue on that row.
      `INSERT INTO repositories (repository, installation_id)
       SELECT $1, $2 WHERE NOT EXISTS
         (SELECT 1 FROM repositories WHERE repository = $1 AND installation_id = $2)
       ON CONFLICT (repository) DO UPDATE SET installation_id = EXCLUDED.installation_id, updated_at = now()
       WHERE repositories.installation_id <> EXCLUDED.installation_id`,
      [repository, fromJob],
    );
    return fromJob;
  }
  const row = await service.db.query<{ installation_id: string }>(
    "SELECT installation_id FROM repositories WHERE repository = $1",
    [repository],
  );
  const id = row.rows[0]?.installation_id;
  if (!id) throw new PermanentError(`no installation known for ${repository}`);
  return Number(id);
}

/** GitHub errors that retrying cannot fix become permanent; rate limits wait for their reset. */
function classify(error: unknown): unknown {
  const status = (error as { status?: number }).status;
  const headers = (error as { response?: { headers?: Record<string, string | undefined> } }).response
    ?.headers;
  if (status === 401 || status === 404) {
    const message = error instanceof Error ? error.message : String(error);
    return new PermanentError(
      `GitHub answered ${status}: ${message} (is the App installed on this repository?)`,
    );
  }
  if ((status === 403 || status === 429) && headers) {
    const retryAfter = Number(headers["retry-after"]);
    const reset = Number(headers["x-ratelimit-reset"]);
    const waitMs = retryAfter > 0 ? retryAfter * 1000 : reset > 0 ? reset * 1000 - Date.now() : 0;
    if (waitMs > 0)
      return new RetryLater(`GitHub rate limit: ${(error as Error).message}`, Math.min(waitMs, 15 * 60_000));
  }
  return error;
}

/** After the last retry: the check says the service gave up and why (fail closed, visibly). */
async function publishGaveUp(
  service: Service,
  octokit: GitHubClient,
  repository: string,
  pullNumber: number,
  job: Job,
  error: unknown,
  log: Logger,
): Promise<void> {
  try {
    const { data: pr } = await octokit.rest.pulls.get({ ...repoRef(repository), pull_number: pullNumber });
    const status = (error as { status?: number }).status;
    const message = error instanceof Error ? error.message : String(error);
    const reason = typeof status === "number" ? `GitHub answered ${status} (${message})` : message;
    const output = {
      title: "blocked: evaluation failed",
      summary: `Sluice gave up evaluating this pull request after ${job.attempts} attempts, so it is not approved.\n\nLast error: ${reason}\n\nComment \`/sluice recheck\` to try again.`,
    };
    const id = await ensureCheckRun(octokit, service.db, repository, pr.head.sha, output);
    await completeCheckRun(octokit, service.db, repository, pr.head.sha, id, "failure", output);
    await service.audit({
      actor: "sluice",
      action: "evaluation.failed",
      repository,
      pullNumber,
      headSha: pr.head.sha,
      details: { attempts: job.attempts, error: reason },
    });
  } catch (e) {
    log.error({ err: errorInfo(e) }, "could not publish that the evaluation gave up");
  }
}

/**
 * merge_group checks_requested: the queue waits for `sluice/change-control` on the group's head, so it is
 * always answered: success when the pull request's latest decision is approved, failure otherwise.
 */
async function answerMergeGroup(
  service: Service,
  octokit: GitHubClient,
  p: { repository: string; headSha: string; headRef?: string },
  log: Logger,
): Promise<void> {
  const number = /\/pr-(\d+)-[0-9a-f]+$/.exec(p.headRef ?? "")?.[1];
  let conclusion: "success" | "failure" = "failure";
  let summary = `Cannot tell which pull request the merge group ${p.headRef ?? "(no ref)"} holds: not approved.`;
  if (number) {
    const row = await service.db.query<{ state: string; head_sha: string; decision: Decision | string }>(
      `SELECT state, head_sha, decision FROM decisions WHERE repository = $1 AND pull_number = $2
       ORDER BY generation DESC LIMIT 1`,
      [p.repository, Number(number)],
    );
    const latest = row.rows[0];
    if (!latest) summary = `No decision recorded for #${number}: not approved.`;
    else {
      conclusion = latest.state === "approved" ? "success" : "failure";
      summary = `#${number} at \`${latest.head_sha.slice(0, 7)}\` is ${latest.state}.`;
    }
  }
  const output = { title: conclusion === "success" ? "approved" : "not approved", summary };
  const id = await ensureCheckRun(octokit, service.db, p.repository, p.headSha, output);
  await completeCheckRun(octokit, service.db, p.repository, p.headSha, id, conclusion, output);
  log.info(
    { repository: p.repository, headSha: p.headSha, conclusion, check: CHECK_NAME },
    "merge group answered",
  );
}

async function recordInstallation(service: Service, deliveryId: string): Promise<void> {
  const stored = await storedPayload<{
    action?: string;
    installation?: { id?: number; account?: { login?: string } };
    repositories?: { full_name?: string }[];
    repositories_added?: { full_name?: string }[];
    repositories_removed?: { full_name?: string }[];
  }>(service.db, deliveryId);
  if (!stored) return;
  const { payload } = stored;
  const id = payload.installation?.id;
  if (!id) return;
  const active = payload.action !== "deleted" && payload.action !== "suspend";
  await service.db.query(
    `INSERT INTO installations (id, account, active) VALUES ($1, $2, $3)
     ON CONFLICT (id) DO UPDATE SET account = EXCLUDED.account, active = EXCLUDED.active, updated_at = now()`,
    [id, payload.installation?.account?.login ?? null, active],
  );
  const added = [...(payload.repositories ?? []), ...(payload.repositories_added ?? [])];
  for (const r of added) {
    if (!r.full_name) continue;
    await service.db.query(
      `INSERT INTO repositories (repository, installation_id) VALUES ($1, $2)
       ON CONFLICT (repository) DO UPDATE SET installation_id = EXCLUDED.installation_id, updated_at = now()`,
      [r.full_name, id],
    );
  }
  const removed = (payload.repositories_removed ?? []).map((r) => r.full_name).filter(Boolean);
  if (payload.action === "deleted") {
    await service.db.query("DELETE FROM repositories WHERE installation_id = $1", [id]);
  } else if (removed.length > 0) {
    await service.db.query(
      "DELETE FROM repositories WHERE repository = ANY($1::text[]) AND installation_id = $2",
      [removed, id],
    );
  }
}
