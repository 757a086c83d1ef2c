import type { AuditEvent, AuditRow } from "./audit/log.ts";
import type { Config } from "./config.ts";
import type { Database } from "./db/database.ts";
import type { GitHubApp } from "./github/app.ts";
import type { Logger } from "./logger.ts";
import type { Metrics } from "./metrics.ts";
import type { EnqueueOptions } from "./queue/queue.ts";

/** What every area of the service (intake, evaluation, GATE's routes) is given: one per process. */
export interface Service {
  readonly config: Config;
  readonly db: Database;
  readonly log: Logger;
  readonly metrics: Metrics;
  /** GitHub access through the App; undefined in local mode (no App credentials). */
  readonly github: GitHubApp | undefined;
  /** Adds a durable job (coalesced by key) and wakes this process's worker. */
  enqueue(kind: string, options: EnqueueOptions): Promise<boolean>;
  /** Tells this process's worker that a job was stored by other means (the intake's own transaction). */
  wake(): void;
  /** Appends a hash-chained audit event. */
  audit(event: AuditEvent): Promise<AuditRow>;
  /**
   * Asks for a fresh evaluation of the pull requests of `repository` whose head is `headSha` (after a plan
   * upload) or of one pull request.
   */
  requestEvaluation(target: EvaluationTarget): Promise<void>;
}

export type EvaluationTarget =
  | {
      readonly repository: string;
      readonly pullNumber: number;
      readonly installationId?: number;
      readonly deliveryId?: string;
    }
  | { readonly repository: string; readonly headSha: string };
