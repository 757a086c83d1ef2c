import type { Enforcement } from "./policy.ts";

export type DecisionState = "approved" | "pending" | "blocked";

/** The outcome of evaluating a policy over a pull request: plain data, rendered as JSON or markdown. */
export interface Decision {
  readonly state: DecisionState;
  /** One sentence saying what the state is and the first thing to do about it. */
  readonly summary: string;
  readonly policy: string;
  readonly evaluatedAt: string;
  readonly pullRequest: {
    readonly repository?: string;
    readonly number?: number;
    readonly author: string;
    readonly headSha: string;
    readonly baseBranch: string;
  };
  readonly plan: PlanStatus;
  /** Environments the change touches, each with what showed it. */
  readonly environments: readonly { readonly name: string; readonly because: readonly string[] }[];
  /** Approvals that count for the policy (fresh, and from people allowed to approve). */
  readonly approvals: readonly CountedApproval[];
  /** Approvals that do not count, each with why. */
  readonly notCounted: readonly NotCounted[];
  /**
   * Standing requests for changes that block: from someone who could approve (an organization member, or
   * named by a rule or as a code owner). Others are listed in `warnings` only.
   */
  readonly changesRequested: readonly { readonly user: string; readonly commitId: string }[];
  readonly schedule: ScheduleStatus;
  readonly emergency?: EmergencyStatus;
  readonly rules: readonly RuleResult[];
  /** Soft-mandatory rules overridden with a written reason. */
  readonly overrides: readonly { readonly rule: string; readonly by: string; readonly reason: string }[];
  /** Everything that would move the decision forward, most important first. */
  readonly unblock: readonly string[];
  readonly warnings: readonly string[];
  /** Evaluation errors; any error makes the decision blocked. */
  readonly errors: readonly string[];
  /** Logins whose approvals counted, sorted: the apply gate passes them to `checkApplier`. */
  readonly approvers: readonly string[];
  /**
   * Logins that wrote the change (PR author, commit authors and committers, resolved co-authors), sorted:
   * the apply gate passes them to `checkApplier` as `commitAuthors`.
   */
  readonly authors: readonly string[];
}

export interface PlanStatus {
  readonly state: "current" | "missing" | "stale" | "errored";
  readonly commit?: string;
  readonly digest?: string;
  readonly message: string;
}

export interface CountedApproval {
  readonly user: string;
  readonly commitId: string;
  /** Why it is fresh: on the head commit, or on an earlier commit with an unchanged plan. */
  readonly basis: string;
}

export interface NotCounted {
  readonly user: string;
  /** Full sentence, e.g. "@alice's approval does not count: she co-authored 3f2c1a9". */
  readonly reason: string;
}

export interface ScheduleStatus {
  readonly state: "open" | "closed" | "frozen" | "overridden" | "unrestricted";
  readonly messages: readonly string[];
}

export interface EmergencyStatus {
  readonly label: string;
  readonly accepted: boolean;
  readonly by?: string;
  readonly reason?: string;
  readonly messages: readonly string[];
}

export interface RuleResult {
  readonly name: string;
  readonly description?: string;
  readonly enforcement: Enforcement;
  readonly state: "not-applicable" | "satisfied" | "unsatisfied" | "overridden";
  /** What the rule does to the decision: nothing, keeps it pending, or blocks it. */
  readonly effect: "none" | "pending" | "blocked";
  /** Why the rule applies (or does not). */
  readonly why: readonly string[];
  readonly counted: readonly string[];
  readonly notCounted: readonly NotCounted[];
  readonly unblock: readonly string[];
  readonly override?: { readonly by: string; readonly reason: string };
}
