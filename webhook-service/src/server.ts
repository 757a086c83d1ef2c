import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import type pino from "pino";
import { type AreaRoutes, createApp } from "./app.ts";
import { auditDeliveries } from "./audit/deliveries.ts";
import { appendAudit } from "./audit/log.ts";
import { type Config, localModeMessage } from "./config.ts";
import type { Database } from "./db/database.ts";
import { migrate } from "./db/migrate.ts";
import { openDatabase } from "./db/open.ts";
import { serviceHandlers } from "./evaluate/handlers.ts";
import { createGitHubApp } from "./github/app.ts";
import { createLogger, withDelivery } from "./logger.ts";
import { createMetrics } from "./metrics.ts";
import { enqueue, queueStats } from "./queue/queue.ts";
import { errorInfo, type JobHandler, Worker } from "./queue/worker.ts";
import type { EvaluationTarget, Service } from "./service.ts";
import { StartupError } from "./startup-error.ts";
import { evaluationKey } from "./webhooks/events.ts";
import { deliveryIdOf } from "./webhooks/intake.ts";

/** The HTTP server could not listen (the port is taken, or not allowed): a configuration error, not a crash. */
export class ListenError extends StartupError {
  override name = "ListenError";
}

export interface StartOptions {
  readonly areas?: readonly AreaRoutes[];
  readonly logDestination?: pino.DestinationStream;
  /** Opens the database (tests pass their own); @default DATABASE_URL, else PGlite in DATA_DIR. */
  readonly openDatabase?: () => Promise<Database>;
  /** Job handlers by kind; @default the service's own (evaluate, merge-group, installation). */
  readonly handlers?: (service: Service) => Readonly<Record<string, JobHandler>>;
  /** GitHub client tuning for tests (fast retries). */
  readonly github?: {
    retries?: number;
    retryBaseMs?: number;
    maxRateLimitWaitMs?: number;
    writeIntervalMs?: number;
  };
}

export interface RunningService {
  readonly service: Service;
  readonly url: string;
  readonly port: number;
  /** Resolves once migrations ran and the worker started. */
  readonly ready: Promise<void>;
  /** Graceful shutdown: stop accepting, finish or return in-flight jobs, close the database. */
  stop(graceMs?: number): Promise<void>;
}

/** Starts the service: HTTP server at once (so /healthz answers), migrations (retried while the database is down), then the worker. */
export async function startService(config: Config, options: StartOptions = {}): Promise<RunningService> {
  const log = createLogger(config.logLevel, options.logDestination);
  const metrics = createMetrics();
  const db = await (options.openDatabase ?? (() => openDatabase(config)))();
  const github = config.app
    ? createGitHubApp({ ...config.app, baseUrl: config.githubApiUrl, log, metrics, ...options.github })
    : undefined;
  if (!github) log.warn(localModeMessage());

  let worker: Worker | undefined;
  const service: Service = {
    config,
    db,
    log,
    metrics,
    github,
    async enqueue(kind, opts) {
      const added = await enqueue(db, kind, opts);
      worker?.wake();
      return added;
    },
    wake: () => worker?.wake(),
    audit: (event) => appendAudit(db, event),
    requestEvaluation: (target) => requestEvaluation(service, target),
  };

  // A worker process serves only the operations endpoints (probes, metrics); deliveries go to web processes.
  const app =
    config.role === "worker"
      ? createApp(service, [], { intake: false })
      : createApp(service, options.areas ?? []);
  app.onError((error, c) => {
    withDelivery(deliveryIdOf(c.req.header("x-github-delivery")), () =>
      log.error({ err: errorInfo(error), path: c.req.path }, "request failed"),
    );
    return c.json({ error: "service unavailable: the request could not be stored, retry later" }, 503);
  });
  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.once("listening", () => {
        server.off("error", reject); // later server errors are not start-up errors
        resolve();
      });
    });
  } catch (error) {
    await db.close().catch(() => {});
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === "EADDRINUSE" ? "the port is in use" : code === "EACCES" ? "permission denied" : code;
    throw new ListenError(
      `cannot listen on ${config.host}:${config.port}: ${why ?? String(error)}; set PORT (and HOST) to a free address`,
    );
  }
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  log.info(
    { port, role: config.role, database: db.kind, github: github ? config.githubApiUrl : "local mode" },
    "listening",
  );

  let auditTimer: NodeJS.Timeout | undefined;
  let unlisten: (() => Promise<void>) | undefined;
  let stopping = false;
  const ready = (async () => {
    for (let attempt = 1; !stopping; attempt++) {
      try {
        await db.connect();
        const applied = await migrate(db);
        if (applied.length > 0) log.info({ applied }, "migrations applied");
        break;
      } catch (error) {
        log.error({ err: errorInfo(error), attempt }, "database unreachable or migrations failed; retrying");
        await new Promise((r) => setTimeout(r, Math.min(5000, 250 * attempt)));
      }
    }
    // A web process leaves the queue and the delivery audit to worker processes.
    if (stopping || config.role === "web") return;
    const handlers = options.handlers ? options.handlers(service) : serviceHandlers(service);
    worker = new Worker(
      db,
      handlers,
      {
        concurrency: config.workerConcurrency,
        leaseMs: config.jobLeaseMs,
        maxAttempts: config.jobMaxAttempts,
        backoffMs: config.jobBackoffMs,
        keyIntervalMs: config.jobKeyIntervalMs,
        yieldAboveLagMs: config.workerYieldLagMs,
      },
      log,
      metrics,
    );
    worker.start();
    // Jobs enqueued by other processes (web processes, replicas) are started at once, not at the next poll.
    const off = await db.listenForJobs?.(() => worker?.wake());
    if (stopping) await off?.();
    else unlisten = off;
    const tick = async () => {
      try {
        const stats = await queueStats(db);
        metrics.queueDepth.set(stats.depth);
        metrics.queueOldestAge.set(stats.oldestAgeSeconds);
        await auditDeliveries(db);
      } catch (error) {
        log.error({ err: errorInfo(error) }, "delivery audit failed; will retry");
      }
      if (!stopping) auditTimer = setTimeout(tick, 200);
    };
    auditTimer = setTimeout(tick, 50);
  })();

  return {
    service,
    url,
    port,
    ready,
    async stop(graceMs = 10_000) {
      stopping = true;
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (auditTimer) clearTimeout(auditTimer);
      await unlisten?.();
      await worker?.stop(graceMs);
      await auditDeliveries(db).catch(() => 0);
      await db.close().catch(() => {});
      log.info("stopped");
    },
  };
}

async function requestEvaluation(service: Service, target: EvaluationTarget): Promise<void> {
  if ("pullNumber" in target) {
    await service.enqueue("evaluate", {
      key: evaluationKey(target.repository, target.pullNumber),
      payload: { ...target, receivedAt: Date.now() },
    });
    return;
  }
  const prs = await service.db.query<{ pull_number: number }>(
    "SELECT DISTINCT pull_number FROM decisions WHERE repository = $1 AND head_sha = $2",
    [target.repository, target.headSha],
  );
  for (const pr of prs.rows) {
    await service.enqueue("evaluate", {
      key: evaluationKey(target.repository, pr.pull_number),
      payload: { repository: target.repository, pullNumber: pr.pull_number, receivedAt: Date.now() },
    });
  }
}
