import type { ChangeKind, Severity } from "../plan/findings.ts";

/**
 * A parsed, validated change-control policy (change-control.yaml), as plain data.
 * Team references are policy team names (keys of `teams`); environment references are keys of `environments`.
 */
export interface Policy {
  /** The file the policy was read from, for messages. */
  readonly file: string;
  /** Policy team name → GitHub team slug ("org/team"). */
  readonly teams: Readonly<Record<string, string>>;
  readonly environments: Readonly<Record<string, EnvironmentMapping>>;
  readonly separationOfDuties: SeparationOfDuties;
  readonly changeWindows: readonly ChangeWindow[];
  readonly freezes: readonly Freeze[];
  readonly emergency?: EmergencyOverride;
  readonly rules: readonly PolicyRule[];
}

/** How a pull request is found to touch an environment. */
export interface EnvironmentMapping {
  /** Globs over changed file paths. */
  readonly paths: readonly string[];
  /** Globs over plan stack names, e.g. "prod-*". */
  readonly stacks: readonly string[];
  /** Globs over planned resource addresses. */
  readonly addresses: readonly string[];
}

export interface SeparationOfDuties {
  /** When true, an approver who shares a policy team with the author does not count. */
  readonly approverOutsideAuthorTeams: boolean;
  /** Committer logins that are not people (e.g. GitHub's "web-flow"); they are not treated as commit authors. */
  readonly ignoredCommitters: readonly string[];
}

export type Weekday = "mon" | "tue" | "wed" | "thu" | "fri" | "sat" | "sun";

export interface ChangeWindow {
  readonly name: string;
  /** Environments the window governs; empty means every pull request. */
  readonly environments: readonly string[];
  /** IANA time zone, e.g. "Europe/Amsterdam". */
  readonly timeZone: string;
  readonly days: readonly Weekday[];
  /** "HH:MM", inclusive. */
  readonly from: string;
  /** "HH:MM", exclusive; "24:00" for the end of the day. */
  readonly to: string;
}

export interface Freeze {
  readonly name: string;
  readonly environments: readonly string[];
  readonly timeZone: string;
  /** First frozen day, "YYYY-MM-DD" in `timeZone`, inclusive. */
  readonly from: string;
  /** Last frozen day, "YYYY-MM-DD" in `timeZone`, inclusive. */
  readonly to: string;
  readonly reason: string;
}

export interface EmergencyOverride {
  /** The label that asks for an emergency override of change windows and freezes. */
  readonly label: string;
  /** Minimum length of the written reason. */
  readonly minReasonLength: number;
  /** Extra approvals the emergency needs, on top of every rule. */
  readonly requires: Requirement;
}

export type Enforcement = "advisory" | "soft-mandatory" | "hard-mandatory";

export interface PolicyRule {
  readonly name: string;
  readonly description?: string;
  readonly enforcement: Enforcement;
  /** Teams whose members may override a soft-mandatory rule with a written reason. */
  readonly overrideTeams: readonly string[];
  readonly when: Predicates;
  readonly requires: Requirement;
}

/** Conditions under which a rule applies; every condition given must hold. No conditions: always applies. */
export interface Predicates {
  readonly changedFiles?: { readonly include: readonly string[]; readonly exclude: readonly string[] };
  readonly environments?: readonly string[];
  readonly plan?: {
    readonly actions?: readonly ChangeKind[];
    readonly resourceTypes?: readonly string[];
    readonly addresses?: readonly string[];
  };
  readonly planFindings?: { readonly severityAtLeast?: Severity; readonly rules?: readonly string[] };
  readonly glossaryFindings?: { readonly rules?: readonly string[] };
  readonly labels?: readonly string[];
  readonly baseBranches?: readonly string[];
  readonly authorTeams?: readonly string[];
  readonly authorNotInTeams?: readonly string[];
  readonly size?: { readonly filesOver?: number; readonly linesOver?: number };
  readonly policyFilesChanged?: boolean;
  /** The monthly cost rises by more than USD and/or percent (core/policy/cost.ts). */
  readonly cost?: { readonly monthlyIncreaseOver?: number; readonly percentIncreaseOver?: number };
}

export type Requirement =
  | {
      readonly kind: "approvals";
      readonly count: number;
      readonly users: readonly string[];
      readonly teams: readonly string[];
      /** Any member of the organization counts. */
      readonly organization: boolean;
    }
  | { readonly kind: "distinct-teams"; readonly count: number; readonly teams: readonly string[] }
  | { readonly kind: "code-owners" }
  | { readonly kind: "all"; readonly of: readonly Requirement[] }
  | { readonly kind: "any"; readonly of: readonly Requirement[] };
