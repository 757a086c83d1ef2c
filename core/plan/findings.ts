/**
 * The contract between plan review (core/plan) and the policy engine (core/policy).
 * Plain data only: both sides may extend it, neither may import an adapter.
 */

/** Finding severities, most severe first. */
export const SEVERITIES = ["critical", "high", "medium", "low", "info"] as const;
export type Severity = (typeof SEVERITIES)[number];

/** How a planned resource change is classified for counting and rules. */
export const CHANGE_KINDS = [
  "create",
  "update",
  "delete",
  "replace",
  "read",
  "noop",
  "forget",
  "import",
  "move",
] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

/** A structured risk finding from plan review. */
export interface RiskFinding {
  /** Stable rule id, e.g. "stateful-delete", "iam-wildcard", "open-ingress". */
  readonly rule: string;
  readonly severity: Severity;
  /** Full resource address, e.g. module.db.aws_db_instance.main, or "" for plan-wide findings. */
  readonly address: string;
  /** Terraform resource type, where the finding is about a resource. */
  readonly resourceType?: string;
  /** One sentence a reviewer can act on. */
  readonly reason: string;
}

/** The monthly cost of a plan's changes (see core/cost), as decimal USD strings such as "-12.5". */
export interface PlanCost {
  readonly currency: "USD";
  readonly pastTotalMonthlyCost: string;
  readonly totalMonthlyCost: string;
  readonly diffTotalMonthlyCost: string;
  /** The changes that move the cost most, largest first. */
  readonly drivers?: readonly { readonly address: string; readonly diffMonthlyCost: string }[];
}

/** The facts about a plan that change-control rules can test. */
export interface PlanFacts {
  /** Stable digest of the normalized planned changes (see core/plan digest). */
  readonly digest: string;
  readonly changes: readonly {
    readonly address: string;
    readonly type: string;
    readonly kind: ChangeKind;
    /** Terraform's action list, verbatim. */
    readonly actions?: readonly string[];
    /** True when terraform's action list was not one Sluice knows; `kind` is then "replace" (fail closed). */
    readonly unknownActions?: boolean;
  }[];
  readonly findings: readonly RiskFinding[];
  readonly drift: readonly { readonly address: string; readonly type: string }[];
  /** True when terraform reported the plan errored or incomplete. */
  readonly errored: boolean;
  /** False when terraform reported the plan incomplete (deferred changes); absent means complete. */
  readonly complete?: boolean;
  /** The cost delta of the plan, when it was priced (absent: unknown, and cost conditions fail closed). */
  readonly cost?: PlanCost;
}
