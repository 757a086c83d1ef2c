import { hostname } from "node:os";
import { type IntervalHistogram, monitorEventLoopDelay } from "node:perf_hooks";
import type { Database } from "../db/database.ts";
import { type Logger, withDelivery } from "../logger.ts";
import type { Metrics } from "../metrics.ts";
import { claim, complete, heartbeat, type Job, release } from "./queue.ts";

/** Thrown by a handler to be retried after `delayMs` (e.g. GitHub's retry-after). */
export class RetryLater extends Error {
  constructor(
    message: string,
    readonly delayMs: number,
  ) {
    super(message);
    this.name = "RetryLater";
  }
}

/** Thrown by a handler when retrying cannot help (an unknown installation, a malformed job). */
export class PermanentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PermanentError";
  }
}

export interface JobHandler {
  run(job: Job, log: Logger): Promise<void>;
  /** Called once when the job failed its last attempt: publish that it gave up (fail visibly). */
  giveUp?(job: Job, error: unknown, log: Logger): Promise<void>;
}

export interface WorkerOptions {
  readonly concurrency: number;
  readonly leaseMs: number;
  /** How often to look for jobs of other replicas (and of the past) when not woken. @default 250 */
  readonly pollMs?: number;
  /** @default 6 */
  readonly maxAttempts?: number;
  /** First retry delay, doubled per attempt. @default 500 */
  readonly backoffMs?: number;
  readonly maxBackoffMs?: number;
  /** A key's next job starts at least this long after its previous one ended (see `claim`). @default 0 */
  readonly keyIntervalMs?: number;
  /**
   * While the event loop lags more than this (p99 over the last quarter second), the worker runs one job at a
   * time: acknowledging deliveries comes first, since GitHub gives up on one after 10 s and does not send it
   * again, while a later evaluation only comes later. 0 turns it off. @default 0
   */
  readonly yieldAboveLagMs?: number;
}

/** Runs queued jobs with at most `concurrency` at once; jobs are leased, so a dead process's jobs come back. */
export class Worker {
  readonly id = `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;
  #running = new Map<number, Promise<void>>();
  #stopped = true;
  #timer: NodeJS.Timeout | undefined;
  #polling = false;
  #wakeAgain = false;
  #lag: IntervalHistogram | undefined;
  #lagTimer: NodeJS.Timeout | undefined;
  #busy = false;

  constructor(
    private readonly db: Database,
    private readonly handlers: Readonly<Record<string, JobHandler>>,
    private readonly options: WorkerOptions,
    private readonly log: Logger,
    private readonly metrics?: Metrics,
  ) {}

  start(): void {
    this.#stopped = false;
    const limit = this.options.yieldAboveLagMs ?? 0;
    if (limit > 0 && !this.#lag) {
      const lag = monitorEventLoopDelay({ resolution: 10 });
      lag.enable();
      this.#lag = lag;
      this.#lagTimer = setInterval(() => {
        this.#busy = lag.percentile(99) / 1e6 > limit;
        lag.reset();
      }, 250).unref();
    }
    this.#schedule(0);
  }

  /** True while the event loop lags past `yieldAboveLagMs` (jobs run one at a time). */
  get yielding(): boolean {
    return this.#busy;
  }

  /** Looks for work now (called after an enqueue in this process). */
  wake(): void {
    if (this.#stopped) return;
    if (this.#polling) {
      this.#wakeAgain = true;
      return;
    }
    this.#schedule(0);
  }

  get active(): number {
    return this.#running.size;
  }

  /**
   * Stops claiming; waits up to `graceMs` for running jobs, then returns the rest to the queue (they run
   * again elsewhere; handlers are idempotent).
   */
  async stop(graceMs: number): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    if (this.#lagTimer) clearInterval(this.#lagTimer);
    this.#lag?.disable();
    this.#lag = undefined;
    this.#busy = false;
    const all = Promise.allSettled([...this.#running.values()]);
    const timedOut = await Promise.race([
      all.then(() => false),
      new Promise<boolean>((r) => setTimeout(() => r(true), graceMs).unref()),
    ]);
    if (timedOut && this.#running.size > 0) {
      this.log.warn({ jobs: this.#running.size }, "shutdown: returning unfinished jobs to the queue");
      await this.db
        .query(
          "UPDATE jobs SET locked_until = now(), updated_at = now() WHERE locked_by = $1 AND state = 'running'",
          [this.id],
        )
        .catch((error) => this.log.error({ err: error }, "shutdown: could not return jobs"));
    }
  }

  #schedule(ms: number): void {
    if (this.#timer) clearTimeout(this.#timer);
    // Scheduled outside any delivery's context (a wake-up may come from a request or a job).
    this.#timer = withDelivery(undefined, () => setTimeout(() => void this.#poll(), ms));
  }

  async #poll(): Promise<void> {
    if (this.#stopped) return;
    this.#polling = true;
    let claimed: Job[] = [];
    try {
      const free = (this.#busy ? 1 : this.options.concurrency) - this.#running.size;
      if (free > 0)
        claimed = await claim(this.db, this.id, free, this.options.leaseMs, this.options.keyIntervalMs);
    } catch (error) {
      this.log.error({ err: errorInfo(error) }, "queue: could not claim jobs (database unreachable?)");
    } finally {
      this.#polling = false;
    }
    for (const job of claimed) this.#runJob(job);
    if (this.#stopped) return;
    const again = this.#wakeAgain || claimed.length === this.options.concurrency;
    this.#wakeAgain = false;
    this.#schedule(again && this.#running.size < this.options.concurrency ? 0 : (this.options.pollMs ?? 250));
  }

  #runJob(job: Job): void {
    const log = this.log.child({ job: job.id, kind: job.kind });
    const promise = withDelivery(deliveryOf(job), () => this.#execute(job, log)).finally(() => {
      this.#running.delete(job.id);
      this.wake();
    });
    this.#running.set(job.id, promise);
  }

  async #execute(job: Job, log: Logger): Promise<void> {
    const handler = this.handlers[job.kind];
    const beat = setInterval(
      () => void heartbeat(this.db, job, this.id, this.options.leaseMs).catch(() => {}),
      Math.max(100, this.options.leaseMs / 3),
    );
    try {
      if (!handler) throw new Error(`no handler for job kind ${job.kind}`);
      await handler.run(job, log);
      await complete(this.db, job, this.id);
      this.metrics?.jobs.inc({ kind: job.kind, outcome: "done" });
    } catch (error) {
      const maxAttempts = this.options.maxAttempts ?? 6;
      const last = job.attempts >= maxAttempts || !handler || error instanceof PermanentError;
      const backoff = Math.min(
        this.options.maxBackoffMs ?? 60_000,
        (this.options.backoffMs ?? 500) * 2 ** (job.attempts - 1),
      );
      const delayMs = error instanceof RetryLater ? Math.max(error.delayMs, backoff) : backoff;
      const message = error instanceof Error ? error.message : String(error);
      if (last) {
        log.error({ err: errorInfo(error), attempts: job.attempts }, "job failed for good");
        this.metrics?.jobs.inc({ kind: job.kind, outcome: "failed" });
        await handler
          ?.giveUp?.(job, error, log)
          .catch((e) => log.error({ err: errorInfo(e) }, "giveUp failed"));
      } else {
        log.warn(
          { err: errorInfo(error), attempts: job.attempts, retryInMs: delayMs },
          "job failed; will retry",
        );
        this.metrics?.jobs.inc({ kind: job.kind, outcome: "retry" });
      }
      await release(this.db, job, this.id, { delayMs, error: message.slice(0, 2000), fail: last }).catch(
        (e) => log.error({ err: errorInfo(e) }, "could not release job; its lease will expire"),
      );
    } finally {
      clearInterval(beat);
    }
  }
}

function deliveryOf(job: Job): string | undefined {
  const id = job.payload.deliveryId;
  return typeof id === "string" ? id : undefined;
}

/** Error details for logs: message, name, status; never request headers (they carry tokens). */
export function errorInfo(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: String(error) };
  const status = (error as { status?: unknown }).status;
  return { name: error.name, message: error.message, ...(typeof status === "number" ? { status } : {}) };
}
