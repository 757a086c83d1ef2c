import { lower } from "./people.ts";

export interface ApplierCheck {
  /** Login of the person about to apply. */
  readonly applier: string;
  /** The pull request's author. */
  readonly author: string;
  /** Logins whose approvals counted (`Decision.approvers`). */
  readonly approvers: readonly string[];
  /** Commit authors, committers and co-authors (`Decision.authors`). @default [] */
  readonly commitAuthors?: readonly string[];
}

export interface ApplierVerdict {
  readonly allowed: boolean;
  readonly reasons: readonly string[];
}

/**
 * Separation of duties at apply time: the applier must be a named person who neither wrote nor approved
 * the change. Pure; the apply gate calls it before running an apply.
 */
export function checkApplier(check: ApplierCheck): ApplierVerdict {
  const applier = check.applier.trim();
  if (!applier) return { allowed: false, reasons: ["no applier given: an apply needs a named person"] };
  const who = lower(applier);
  const reasons: string[] = [];
  if (lower(check.author) === who) reasons.push(`@${applier} is the author of the pull request`);
  if (check.approvers.some((a) => lower(a) === who)) reasons.push(`@${applier} approved the pull request`);
  // Stryker disable next-line ArrayDeclaration: the replacement ["Stryker was here"] matches no login (logins have no spaces)
  if ((check.commitAuthors ?? []).some((a) => lower(a) === who)) {
    reasons.push(`@${applier} authored or co-authored a commit of the pull request`);
  }
  return reasons.length > 0
    ? { allowed: false, reasons }
    : { allowed: true, reasons: [`@${applier} neither wrote nor approved the change`] };
}
