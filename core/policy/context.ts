import type { GlossaryFinding } from "../glossary/findings.ts";
import type { PlanFacts } from "../plan/findings.ts";

/**
 * Everything the policy engine sees of a pull request: plain, JSON-serializable data.
 * The change-control service builds it from GitHub; `sluice policy eval --context pr.json` reads it from a file.
 * Logins are compared case-insensitively everywhere.
 */
export interface ChangeContext {
  /** "owner/repo", for display only. */
  readonly repository?: string;
  /** Pull request number, for display only. */
  readonly number?: number;
  /** Login of the pull request's author. */
  readonly author: string;
  /** The commit the pull request's head points at now. */
  readonly headSha: string;
  readonly baseBranch: string;
  /** Login of whoever pushed the head commit (GitHub's last pusher). */
  readonly lastPusher: string;
  readonly labels: readonly string[];
  readonly commits: readonly ContextCommit[];
  readonly files: readonly ChangedFile[];
  readonly reviews: readonly Review[];
  readonly organization: { readonly login: string; readonly members: readonly string[] };
  /** GitHub team slug ("org/team") → member logins. */
  readonly teams: Readonly<Record<string, readonly string[]>>;
  /** Commit e-mail address → GitHub login, to resolve `Co-authored-by` trailers. */
  readonly emails?: Readonly<Record<string, string>>;
  /** Text of the CODEOWNERS file on the base branch, if there is one. */
  readonly codeowners?: string;
  /**
   * Digest of the pull request's net changes against its merge base (e.g. `git patch-id --stable` of
   * `git diff $(git merge-base base head) head`): unchanged by a rebase or a clean merge from the base branch,
   * changed by a push that changes the code. With the plan digest, it decides whether an approval on an
   * earlier commit still counts.
   */
  readonly diffDigest?: string;
  /** The latest plan of the pull request; absent when none was made yet. */
  readonly plan?: ContextPlan;
  readonly glossaryFindings: readonly GlossaryFinding[];
  /** A written override request (from a comment or the description), with who made it. */
  readonly override?: OverrideRequest;
}

export interface ContextCommit {
  readonly sha: string;
  /** GitHub login of the commit author, when GitHub could match the e-mail. */
  readonly author?: string;
  /** GitHub login of the committer, when GitHub could match the e-mail. */
  readonly committer?: string;
  /** Full commit message; `Co-authored-by` trailers are read from it. */
  readonly message: string;
}

export interface ChangedFile {
  readonly path: string;
  readonly additions: number;
  readonly deletions: number;
}

export type ReviewState = "APPROVED" | "CHANGES_REQUESTED" | "DISMISSED" | "COMMENTED";

export interface Review {
  readonly user: string;
  readonly state: ReviewState;
  /** The head commit the review was given on. */
  readonly commitId: string;
  /** ISO 8601 time the review was submitted. */
  readonly submittedAt: string;
  /**
   * The plan digest (see `planDigest`) current when the review was submitted, recorded by the service.
   * An approval on an older commit counts only if this equals the current plan digest.
   */
  readonly planDigest?: string;
  /**
   * The pull request's `diffDigest` when the review was submitted, recorded by the service. An approval on
   * an older commit counts only if this equals the current `diffDigest` too (the push was only a rebase or
   * a merge from the base branch).
   */
  readonly diffDigest?: string;
}

export interface ContextPlan {
  /** The commit the plan was made for; a plan for any other commit than the head is stale. */
  readonly commit: string;
  /** One entry per planned stack, e.g. "prod-platform". */
  readonly stacks: readonly { readonly name: string; readonly facts: PlanFacts }[];
}

export interface OverrideRequest {
  /** Login of the person asking for the override. */
  readonly by: string;
  /** The written reason; recorded in the decision. */
  readonly reason: string;
  /**
   * The soft-mandatory rules it overrides, by name. Absent: every soft-mandatory rule, unless the pull request
   * carries the emergency label: then the request is the emergency's reason and waives only change windows
   * and freezes, and overriding a rule takes naming it here.
   */
  readonly rules?: readonly string[];
}

/**
 * The digest approvals are tied to: the stack's plan digest for a single stack, otherwise
 * "name=digest" pairs sorted by stack name and joined by ",".
 */
export function planDigest(plan: ContextPlan): string {
  if (plan.stacks.length === 1) return (plan.stacks[0] as ContextPlan["stacks"][number]).facts.digest;
  return plan.stacks
    .map((s) => `${s.name}=${s.facts.digest}`)
    .sort()
    .join(",");
}
