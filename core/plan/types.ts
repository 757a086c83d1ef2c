import type { ChangeKind, RiskFinding } from "./findings.ts";
import type { PlanValue } from "./values.ts";

/** How a change's action list was classified; "unknown" is any list Sluice does not know (needs approval). */
export type ReviewKind = ChangeKind | "unknown";

/** One resource change (planned, drifted or deferred) with every sensitive value already masked. */
export interface ResourceChange {
  readonly address: string;
  /** Module part of the address ("" for the root module). */
  readonly moduleAddress: string;
  readonly mode: string;
  readonly type: string;
  readonly name: string;
  /** The `count`/`for_each` key, when the resource has one. */
  readonly index?: PlanValue;
  readonly providerName?: string;
  /** Set when this change is about a deposed object. */
  readonly deposed?: string;
  /** The address this resource is moved from (a `moved` block or `terraform state mv`). */
  readonly previousAddress?: string;
  /** Terraform's action list, verbatim, e.g. ["delete","create"]. */
  readonly actions: readonly string[];
  readonly kind: ReviewKind;
  /** For a replace: which side runs first. */
  readonly replaceOrder?: "delete-before-create" | "create-before-delete" | "create-then-forget";
  /** True when the change destroys or replaces an object (or its action list is unknown). */
  readonly destructive: boolean;
  readonly actionReason?: string;
  /** Attribute paths that force the replacement. */
  readonly replacePaths?: readonly (readonly (string | number)[])[];
  /** Set when the resource is being imported; `id` is the import id when terraform gives one. */
  readonly importing?: { readonly id?: string };
  /** Masked value before the change (null when the object does not exist yet). */
  readonly before: PlanValue;
  /** Masked value after the change; unknown parts are the UNKNOWN marker. */
  readonly after: PlanValue;
}

export interface OutputChange {
  readonly name: string;
  readonly actions: readonly string[];
  readonly kind: ReviewKind;
  /** True when terraform marks the output sensitive (its values are then fully masked). */
  readonly sensitive: boolean;
  readonly before: PlanValue;
  readonly after: PlanValue;
}

export interface DeferredChange {
  /** Terraform's reason, e.g. "instance_count_unknown". */
  readonly reason: string;
  readonly change: ResourceChange;
}

export interface CheckResult {
  /** The checkable object, as terraform displays it (e.g. "check.health", "aws_instance.web"). */
  readonly address: string;
  readonly kind: string;
  /** "pass", "fail", "error" or "unknown". */
  readonly status: string;
  /** Failure messages, with known secret shapes masked. */
  readonly problems: readonly string[];
}

/** A parsed plan: only what review needs, with sensitive values masked and plaintext sections dropped. */
export interface NormalizedPlan {
  /** Where the plan came from (file name or "stdin"), for messages. */
  readonly source: string;
  readonly formatVersion: string;
  readonly terraformVersion?: string;
  readonly changes: readonly ResourceChange[];
  readonly drift: readonly ResourceChange[];
  readonly outputs: readonly OutputChange[];
  readonly deferred: readonly DeferredChange[];
  readonly checks: readonly CheckResult[];
  /** Absent in older plans; then taken as false. */
  readonly errored: boolean;
  /** Absent in older plans; then taken as true. */
  readonly complete: boolean;
  /** Absent in older plans; then taken as true. */
  readonly applyable: boolean;
  /** What the parser did that a reviewer should know, e.g. that it ignored CI log lines around the JSON. */
  readonly notes: readonly string[];
  /**
   * Defects in the plan that did not stop the review: a drift entry or check that could not be read
   * (left out), an address derived because terraform left it out.
   */
  readonly warnings: readonly string[];
}

/**
 * Counts per kind. A change counts once under its kind, except an import that also updates, which counts
 * as an import and as an update, as in terraform's own summary.
 */
export type PlanCounts = Readonly<Record<ReviewKind, number>>;

/** Terraform's own line, "Plan: 1 to import, 0 to add, 1 to change, 0 to destroy.", as numbers. */
export interface PlanSummary {
  readonly import: number;
  readonly add: number;
  readonly change: number;
  readonly destroy: number;
}

/** The outcome of reviewing a plan: plain data that every renderer, the digest and the policy facts read. */
export interface PlanReview extends NormalizedPlan {
  readonly counts: PlanCounts;
  /** The counts terraform prints under the plan, to compare with its output. */
  readonly summary: PlanSummary;
  /** Every finding, most severe first. */
  readonly findings: readonly RiskFinding[];
}
