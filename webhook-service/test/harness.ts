import { vi } from "vitest";
import { type Config, loadConfig } from "../src/config.ts";
import type { Database } from "../src/db/database.ts";
import { openPglite } from "../src/db/pglite.ts";
import { type RunningService, type StartOptions, startService } from "../src/server.ts";
import {
  type ExamplePayload,
  type GitHubStandIn,
  seedFromPullRequestEvent,
  startGitHubStandIn,
  webhookExample,
} from "./github-standin/index.ts";
import { serviceEnv, TEST_POLICY } from "./service-env.ts";
import { type Delivery, post, signedDelivery } from "./sign.ts";

/** The policy the end-to-end tests put on the base branch: one approval from anyone allowed to approve. */
// Services, PGlite and child processes start slowly on a loaded 2-core machine: generous limits, not flakes.
vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });

export { serviceEnv, TEST_POLICY } from "./service-env.ts";

export interface Harness {
  readonly gh: GitHubStandIn;
  readonly running: RunningService;
  readonly config: Config;
  /** Signs and posts a delivery. */
  deliver(
    event: string,
    payload: unknown,
    id?: string,
  ): Promise<{ status: number; json: unknown; delivery: Delivery }>;
  close(): Promise<void>;
}

/** The GitHub stand-in plus one service process (in this process) on `openDatabase` (default: PGlite in memory). */
export async function startHarness(
  options: {
    openDatabase?: () => Promise<Database>;
    env?: Record<string, string>;
    start?: StartOptions;
    /** Wait for migrations and the worker before returning. @default true */
    waitReady?: boolean;
  } = {},
): Promise<Harness> {
  const gh = await startGitHubStandIn();
  const config = loadConfig(serviceEnv(gh, options.env));
  const running = await startService(config, {
    openDatabase: options.openDatabase ?? (() => openPglite()),
    github: { retries: 2, retryBaseMs: 20, maxRateLimitWaitMs: 3000 },
    ...options.start,
  });
  if (options.waitReady !== false) await running.ready;
  return {
    gh,
    running,
    config,
    async deliver(event, payload, id) {
      const delivery = await signedDelivery(event, payload, id ? { id } : {});
      return { ...(await post(running.url, delivery)), delivery };
    },
    async close() {
      await running.stop(2000);
      await gh.close();
    },
  };
}

/** A real pull_request.opened delivery, with the stand-in seeded to agree (repository, PR, files, policy). */
export function openedPullRequest(
  gh: GitHubStandIn,
  options: {
    policy?: string;
    files?: { filename: string; patch?: string; content?: string }[];
    /** Another pull request number / head SHA than the example's, for tests that need several. */
    number?: number;
    headSha?: string;
  } = {},
): ExamplePayload {
  const payload = webhookExample("pull_request", { action: "opened" });
  const example = payload.pull_request as { number: number; head: { sha: string } };
  if (options.number !== undefined) {
    example.number = options.number;
    (payload as { number?: number }).number = options.number;
  }
  if (options.headSha !== undefined) example.head.sha = options.headSha;
  const pr = seedFromPullRequestEvent(gh.state, payload);
  const repo = pr.repo;
  gh.state.setContent(repo, pr.base.ref, "change-control.yaml", options.policy ?? TEST_POLICY);
  const files = options.files ?? [
    { filename: "docs/notes.md", patch: "@@ -1,1 +1,2 @@\n hello\n+world", content: "hello\nworld\n" },
  ];
  gh.state.setPullRequestFiles(
    repo,
    pr.number,
    files.map((f) => ({
      filename: f.filename,
      status: "modified" as const,
      additions: 1,
      deletions: 0,
      ...(f.patch ? { patch: f.patch } : {}),
    })),
  );
  for (const f of files)
    if (f.content !== undefined) gh.state.setContent(repo, pr.head.sha, f.filename, f.content);
  gh.state.setPullRequestCommits(repo, pr.number, [
    { sha: pr.head.sha, message: "Add notes", author: pr.user, committer: pr.user },
  ]);
  return payload;
}

/** Polls until `check` returns a value other than undefined/false, or fails after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  check: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 90_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Resolves when no job is queued or running. */
export async function idle(running: RunningService, timeoutMs = 90_000): Promise<void> {
  await waitFor(
    "the job queue to drain",
    async () => {
      const r = await running.service.db.query<{ n: string }>(
        "SELECT count(*) AS n FROM jobs WHERE state IN ('queued', 'running')",
      );
      return Number(r.rows[0]?.n) === 0;
    },
    timeoutMs,
  );
}
