import { checkApplier } from "../../../core/policy/applier.ts";
import type { Decision } from "../../../core/policy/decision.ts";
import { compileGlobs } from "../../../core/policy/globs.ts";
import type { Policy } from "../../../core/policy/policy.ts";
import { checkSchedule } from "../../../core/policy/windows.ts";

/** What CI asks the gate: may `actor` apply this plan of this stack at this commit now? */
export interface GateRequest {
  /** "owner/name". */
  readonly repository: string;
  /** The commit the plan was made from. */
  readonly sha: string;
  /** The stack about to be applied; absent for a deployment protection rule (a whole environment). */
  readonly stack?: string;
  /** `planDigest` of the plan file about to be applied; required with `stack`. */
  readonly digest?: string;
  /** The deployment environment, when the request is for a whole environment rather than a stack. */
  readonly environment?: string;
  /** Login of the person applying. */
  readonly actor: string;
  /** The `actor` claim of the caller's OIDC token (whose workflow run it is), when it has one. */
  readonly tokenActor?: string;
}

/** The change request the gate found for the commit, as the service last evaluated it. */
export interface GateChange {
  readonly number: number;
  /** The head commit the decision was made on. */
  readonly headSha: string;
  /** The merge commit, once merged (an apply after merge runs on it). */
  readonly mergeCommitSha?: string;
  readonly author: string;
  /** Whoever pushed the head commit. */
  readonly lastPusher?: string;
  readonly decision: Decision;
}

/** Everything the gate decides from: plain data, looked up by the route. */
export interface GateFacts {
  /** Undefined when no change request is known for the commit. */
  readonly change?: GateChange;
  /** Digest of the plan uploaded for (repository, head commit, stack); undefined when none was. */
  readonly uploadedDigest?: string;
  /** The policy in force on the base branch; undefined when it could not be read (fail closed). */
  readonly policy?: Pick<Policy, "changeWindows" | "freezes" | "environments">;
  readonly now: Date;
}

export interface GateVerdict {
  readonly allowed: boolean;
  /** Every reason for a refusal; when allowed, what was checked. */
  readonly reasons: readonly string[];
  readonly pullRequest?: number;
}

const short = (sha: string) => sha.slice(0, 7);

/** The environments a stack belongs to: those whose `stacks` globs match it, else every one the change touches. */
export function stackEnvironments(
  stack: string,
  policy: Pick<Policy, "environments">,
  decision: Pick<Decision, "environments">,
): string[] {
  const matched = Object.entries(policy.environments)
    .filter(([, mapping]) => compileGlobs(mapping.stacks)(stack))
    .map(([name]) => name);
  return matched.length > 0 ? matched : decision.environments.map((e) => e.name);
}

/** Whether the decision's plan digest (one stack's digest, or "name=digest" pairs) covers this stack's digest. */
export function decisionCoversDigest(
  decisionDigest: string | undefined,
  stack: string,
  digest: string,
): boolean {
  if (!decisionDigest) return false;
  if (decisionDigest === digest) return true;
  return decisionDigest.split(",").includes(`${stack}=${digest}`);
}

/**
 * The apply gate: allowed only when the commit's change is approved, the plan about to be applied is the
 * approved plan, the stack's change window is open (or an emergency override was accepted), and the
 * applier neither wrote, pushed nor approved the change. Otherwise every reason. Pure: plain data in and out.
 */
export function decideGate(request: GateRequest, facts: GateFacts): GateVerdict {
  const reasons: string[] = [];
  const passed: string[] = [];
  const { change } = facts;
  if (!change) {
    return {
      allowed: false,
      reasons: [
        `no pull request of ${request.repository} has commit ${short(request.sha)} as its head: an apply must run the approved commit`,
      ],
    };
  }
  const { decision } = change;
  if (request.sha !== change.headSha && request.sha !== change.mergeCommitSha) {
    reasons.push(
      `commit ${short(request.sha)} is not the approved head ${short(change.headSha)} of #${change.number}`,
    );
  }
  if (decision.pullRequest.headSha !== change.headSha) {
    reasons.push(`#${change.number} has not been evaluated at its head ${short(change.headSha)} yet`);
  }

  if (decision.state !== "approved") {
    const next = decision.unblock[0] ? `; next: ${decision.unblock[0]}` : "";
    reasons.push(`#${change.number} is ${decision.state}, not approved: ${decision.summary}${next}`);
  } else {
    passed.push(`#${change.number} is approved by ${decision.approvers.map((a) => `@${a}`).join(", ")}`);
  }

  if (request.stack === undefined) {
    // A whole environment (deployment protection rule): the apply job's own gate call binds the digest.
    if (decision.plan.state !== "current") {
      reasons.push(`#${change.number} has no current plan: ${decision.plan.message}`);
    }
  } else if (facts.uploadedDigest === undefined) {
    reasons.push(`no plan of stack ${request.stack} was uploaded for ${short(change.headSha)}`);
  } else {
    if (
      decision.plan.state !== "current" ||
      !decisionCoversDigest(decision.plan.digest, request.stack, facts.uploadedDigest)
    ) {
      reasons.push(
        `the decision on #${change.number} was not made on the uploaded plan of stack ${request.stack}`,
      );
    }
    if (request.digest !== facts.uploadedDigest) {
      reasons.push(
        `the plan about to be applied (${request.digest ?? "no digest"}) is not the approved plan of stack ${request.stack} (${facts.uploadedDigest})`,
      );
    } else {
      passed.push(`the plan is the approved plan of stack ${request.stack}`);
    }
  }

  if (!facts.policy) {
    reasons.push("the policy in force could not be read, so the change window cannot be checked");
  } else {
    const environments =
      request.environment !== undefined
        ? [request.environment]
        : stackEnvironments(request.stack ?? "", facts.policy, decision);
    const schedule = checkSchedule(facts.policy as Policy, environments, facts.now);
    if (schedule.state === "closed" || schedule.state === "frozen") {
      if (decision.emergency?.accepted) {
        passed.push(
          `outside the change window, waived by the emergency override of @${decision.emergency.by}`,
        );
      } else {
        reasons.push(...schedule.messages.map((m) => `change window: ${m}`));
      }
    } else {
      passed.push(...schedule.messages);
    }
  }

  const applier = checkApplier({
    applier: request.actor,
    author: change.author,
    approvers: decision.approvers,
    commitAuthors: decision.authors,
  });
  if (!applier.allowed) reasons.push(...applier.reasons);
  const actor = request.actor.trim().toLowerCase();
  if (actor && change.lastPusher && change.lastPusher.toLowerCase() === actor) {
    reasons.push(`@${request.actor.trim()} pushed the head commit of the pull request`);
  }
  if (request.tokenActor !== undefined && request.tokenActor.toLowerCase() !== actor) {
    reasons.push(
      `the request names @${request.actor.trim()} as the applier, but the workflow run is @${request.tokenActor}'s`,
    );
  }

  // An applier who is not allowed has added a reason above, so an allowed verdict's applier check passed.
  return reasons.length > 0
    ? { allowed: false, reasons, pullRequest: change.number }
    : { allowed: true, reasons: [...passed, ...applier.reasons], pullRequest: change.number };
}
