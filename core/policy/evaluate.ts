import { Authorship, byLogin, collectApprovals, short } from "./approvals.ts";
import { type Codeowners, parseCodeowners } from "./codeowners.ts";
import { compilePolicy } from "./compile.ts";
import type { ChangeContext } from "./context.ts";
import type { Decision, DecisionState, EmergencyStatus, RuleResult, ScheduleStatus } from "./decision.ts";
import { disapprovers } from "./disapproval.ts";
import { deriveFacts } from "./facts.ts";
import { Roster } from "./people.ts";
import type { Policy, PolicyRule } from "./policy.ts";
import { applies } from "./predicates.ts";
import { evaluateRequirement, type RequirementInput } from "./requirements.ts";
import { checkSchedule } from "./windows.ts";

/**
 * Evaluates a policy over a pull request at `now`. Pure and deterministic: the same inputs give the same
 * decision, whatever the order of reviews. Fails closed: any error during evaluation gives `blocked`.
 */
export function evaluate(policy: Policy, context: ChangeContext, now: Date): Decision {
  try {
    return evaluateOrThrow(policy, context, now);
  } catch (error) {
    return failClosed(policy, context, now, error);
  }
}

/** What a gate does to the decision (rules with no effect add no gate). */
type GateEffect = "pending" | "blocked";

function evaluateOrThrow(policy: Policy, context: ChangeContext, now: Date): Decision {
  if (Number.isNaN(now.getTime())) throw new Error("the evaluation time is not a valid date");
  const compiled = compilePolicy(policy);
  const roster = new Roster(policy, context);
  const authorship = new Authorship(policy, context);
  const facts = deriveFacts(compiled, context);
  const approvals = collectApprovals(policy, context, roster, authorship, facts.currentDigest);
  const warnings: string[] = [...approvals.warnings];

  let owners: Codeowners | undefined | null = null;
  const input: RequirementInput = {
    policy,
    context,
    roster,
    approvals: approvals.counted,
    codeowners: () => {
      // Stryker disable next-line ConditionalExpression: a cache; parsing CODEOWNERS again gives the same owners, and its warnings are deduplicated
      if (owners === null) {
        owners = context.codeowners === undefined ? undefined : parseCodeowners(context.codeowners);
        if (owners) warnings.push(...owners.warnings);
      }
      return owners;
    },
    warn: (message) => {
      warnings.push(message);
    },
  };

  const override = context.override;
  // Stryker disable next-line StringLiteral: the reason is only read when there is an override
  const overrideReason = override?.reason.trim() ?? "";
  // Stryker disable next-line ArrayDeclaration: the blockers are only read when there is an override
  const overrideBlockers = override ? authorship.reasons(override.by) : [];

  const emergencyLabelled =
    policy.emergency !== undefined && facts.labels.has(policy.emergency.label.toLowerCase());
  // Overriding a soft-mandatory rule is its own act: the request names the rules, or (without the emergency
  // label, whose request is about the schedule only) it is for every soft-mandatory rule.
  const overrideAsksFor = (rule: string): boolean =>
    override?.rules ? override.rules.includes(rule) : !emergencyLabelled;
  if (override?.rules) {
    const soft = new Set(policy.rules.filter((r) => r.enforcement === "soft-mandatory").map((r) => r.name));
    for (const name of override.rules.filter((r) => !soft.has(r))) {
      warnings.push(
        `the override request names '${name}', which is not a soft-mandatory rule of ${policy.file}`,
      );
    }
  }

  const rules: RuleResult[] = [];
  const overrides: { rule: string; by: string; reason: string }[] = [];
  for (const c of compiled.rules) {
    const rule = c.rule;
    const applicability = applies(c, context, facts, roster);
    if (applicability.applies === false) {
      rules.push(ruleResult(rule, "not-applicable", "none", applicability.why, [], [], []));
      continue;
    }
    const result = evaluateRequirement(rule.requires, input);
    const why = applicability.why;
    if (result.met) {
      rules.push(ruleResult(rule, "satisfied", "none", why, result.counted, result.notCounted, []));
      continue;
    }
    if (rule.enforcement === "advisory") {
      rules.push(
        ruleResult(rule, "unsatisfied", "none", why, result.counted, result.notCounted, result.unblock),
      );
      continue;
    }
    if (rule.enforcement === "soft-mandatory" && override && !overrideAsksFor(rule.name)) {
      if (emergencyLabelled) {
        warnings.push(
          `the emergency override waives change windows and freezes only; it does not override '${rule.name}' (to override a soft-mandatory rule, name it in override.rules)`,
        );
      }
    } else if (rule.enforcement === "soft-mandatory" && override) {
      const problem = overrideProblem(rule, override.by, overrideReason, overrideBlockers, roster);
      if (!problem) {
        const record = { by: override.by, reason: overrideReason };
        overrides.push({ rule: rule.name, ...record });
        rules.push({
          ...ruleResult(rule, "overridden", "none", why, result.counted, result.notCounted, []),
          override: record,
        });
        continue;
      }
      warnings.push(`the override request by @${override.by} does not override '${rule.name}': ${problem}`);
    }
    const effect = result.impossible ? "blocked" : "pending";
    rules.push(
      ruleResult(rule, "unsatisfied", effect, why, result.counted, result.notCounted, result.unblock),
    );
  }

  const touched = [...facts.environments.keys(), ...facts.environmentsUnknown].sort();
  const schedule = checkSchedule(policy, touched, now);
  const closed = schedule.state === "closed" || schedule.state === "frozen";
  let emergency: EmergencyStatus | undefined;
  /** What is wrong with the emergency's written reason: only the requester can fix it, so it blocks. */
  const emergencyReason: string[] = [];
  if (policy.emergency && emergencyLabelled) {
    const e = policy.emergency;
    const messages: string[] = [];
    if (!override)
      emergencyReason.push(
        `needs a written reason (an override request) of at least ${e.minReasonLength} characters`,
      );
    else if (overrideReason.length < e.minReasonLength) {
      emergencyReason.push(
        `the written reason is ${overrideReason.length} characters, needs at least ${e.minReasonLength}`,
      );
    }
    messages.push(...emergencyReason);
    const extra = evaluateRequirement(e.requires, input);
    messages.push(...extra.unblock.map((u) => `emergency ${u}`));
    const accepted = messages.length === 0;
    if (accepted)
      messages.push(
        closed
          ? "accepted: change windows and freezes are waived"
          : "accepted, but not needed: the schedule is open",
      );
    emergency = {
      label: e.label,
      accepted,
      ...(override && { by: override.by, reason: overrideReason }),
      messages,
    };
  }

  const gates: { effect: GateEffect; unblock: string[] }[] = [];
  if (facts.plan.state === "missing" || facts.plan.state === "stale") {
    gates.push({
      effect: "pending",
      unblock: [`${facts.plan.message}: wait for the plan of ${short(context.headSha)}`],
    });
  } else if (facts.plan.state === "errored") {
    gates.push({ effect: "blocked", unblock: [`${facts.plan.message}; fix it and push`] });
  }
  // Who may hold the pull request up is worked out only once someone has requested changes.
  let mayDisapprove: ((login: string) => boolean) | undefined;
  const changesRequested = approvals.changesRequested.filter((cr) => {
    mayDisapprove ??= disapprovers(policy, context, roster, input.codeowners);
    if (mayDisapprove(cr.user)) return true;
    warnings.push(
      `@${cr.user} requested changes but could not approve this pull request (not a member of ${roster.orgHandle()}, nor named by a rule or as a code owner): it does not block`,
    );
    return false;
  });
  for (const cr of changesRequested) {
    gates.push({
      effect: "blocked",
      unblock: [
        `@${cr.user} requested changes on ${short(cr.commitId)}: needs a new review from @${cr.user} or the review dismissed`,
      ],
    });
  }
  let scheduleStatus: ScheduleStatus = schedule;
  if (closed) {
    if (emergency?.accepted) {
      scheduleStatus = {
        state: "overridden",
        messages: [...schedule.messages, `waived by the emergency override of @${emergency.by}`],
      };
    } else if (emergency) {
      const waiting = emergency.messages.filter((m) => !emergencyReason.includes(m));
      if (emergencyReason.length > 0) gates.push({ effect: "blocked", unblock: [...emergencyReason] });
      // Stryker disable next-line ConditionalExpression,EqualityOperator: `true` and `>= 0` are equivalent: a not accepted emergency has messages, so when none is waiting its reason has pushed a blocking gate, and an empty pending gate changes neither state nor unblock (`false` and `<= 0` are killed)
      if (waiting.length > 0) gates.push({ effect: "pending", unblock: waiting });
    } else {
      const way = policy.emergency
        ? `, or label '${policy.emergency.label}' with a written reason and the emergency approvals`
        : "";
      gates.push({ effect: "blocked", unblock: schedule.messages.map((m) => `${m}: wait${way}`) });
    }
  }
  for (const r of rules) {
    if (r.effect !== "none")
      gates.push({ effect: r.effect, unblock: r.unblock.map((u) => `${r.name}: ${u}`) });
  }
  const mandatoryApplied = rules.some((r) => r.enforcement !== "advisory" && r.state !== "not-applicable");
  if (!mandatoryApplied) {
    gates.push({
      effect: "blocked",
      unblock: [
        `no mandatory rule of ${policy.file} applies to this change: the policy must cover every change (add a rule without 'if')`,
      ],
    });
  }

  for (const team of roster.unlistedTeams()) {
    warnings.push(`the context lists no members for ${roster.teamHandle(team)}: nobody counts as a member`);
  }

  const state: DecisionState = gates.some((g) => g.effect === "blocked")
    ? "blocked"
    : gates.length > 0
      ? "pending"
      : "approved";
  const unblock = gates.flatMap((g) => g.unblock);
  const counted = byLogin(approvals.counted);
  const approvers = counted.map((a) => a.user);
  return {
    state,
    summary: summarize(state, unblock, approvers, rules),
    policy: policy.file,
    evaluatedAt: now.toISOString(),
    pullRequest: pullRequest(context),
    plan: facts.plan,
    environments: [...facts.environments.entries()].map(([name, because]) => ({ name, because })),
    approvals: counted,
    notCounted: approvals.notCounted,
    changesRequested,
    schedule: scheduleStatus,
    ...(emergency && { emergency }),
    rules,
    overrides,
    unblock,
    warnings: [...new Set(warnings)].sort(),
    errors: [],
    approvers,
    authors: authorship.logins(),
  };
}

/** One rule's result, built field by field (object spreads showed in the profile with 50 rules). */
function ruleResult(
  rule: PolicyRule,
  state: RuleResult["state"],
  effect: RuleResult["effect"],
  why: RuleResult["why"],
  counted: RuleResult["counted"],
  notCounted: RuleResult["notCounted"],
  unblock: RuleResult["unblock"],
): RuleResult {
  return rule.description === undefined
    ? { name: rule.name, enforcement: rule.enforcement, state, effect, why, counted, notCounted, unblock }
    : {
        name: rule.name,
        description: rule.description,
        enforcement: rule.enforcement,
        state,
        effect,
        why,
        counted,
        notCounted,
        unblock,
      };
}

function overrideProblem(
  rule: PolicyRule,
  by: string,
  reason: string,
  authorReasons: readonly string[],
  roster: Roster,
): string | undefined {
  if (!rule.overrideTeams.some((t) => roster.inTeam(by, t))) {
    return `@${by} is not in ${rule.overrideTeams.map((t) => roster.teamHandle(t)).join(", ")}`;
  }
  if (authorReasons.length > 0)
    return `an author cannot override their own change (${authorReasons.join("; ")})`;
  if (reason.length === 0) return "the override has no written reason";
  return undefined;
}

function summarize(
  state: DecisionState,
  unblock: readonly string[],
  approvers: readonly string[],
  rules: readonly RuleResult[],
): string {
  if (state === "approved") {
    const n = rules.filter((r) => r.state === "satisfied" || r.state === "overridden").length;
    const who =
      approvers.length > 0 ? `; approvals counted from ${approvers.map((a) => `@${a}`).join(", ")}` : "";
    return `Approved: ${n} applicable rule(s) satisfied${who}.`;
  }
  const more = unblock.length > 1 ? ` (and ${unblock.length - 1} more)` : "";
  // Stryker disable next-line StringLiteral: never shown: every gate has an unblock line (an unmet requirement always says what it needs); the fallback satisfies the type checker
  const first = unblock[0] ?? "see the rules below";
  return `${state === "pending" ? "Pending" : "Blocked"}: ${first}${more}.`;
}

function pullRequest(context: ChangeContext): Decision["pullRequest"] {
  return {
    ...(context.repository !== undefined && { repository: context.repository }),
    ...(context.number !== undefined && { number: context.number }),
    author: context.author,
    headSha: context.headSha,
    baseBranch: context.baseBranch,
  };
}

function failClosed(policy: Policy, context: ChangeContext, now: Date, error: unknown): Decision {
  const message = error instanceof Error ? error.message : String(error);
  const safe = <T>(f: () => T, fallback: T): T => {
    try {
      return f();
    } catch {
      return fallback;
    }
  };
  return {
    state: "blocked",
    summary: `Blocked: the policy could not be evaluated (${message}).`,
    policy: safe(() => String(policy.file), "unknown"),
    evaluatedAt: safe(() => now.toISOString(), "invalid date"),
    pullRequest: safe(() => pullRequest(context), { author: "", headSha: "", baseBranch: "" }),
    plan: { state: "missing", message: "not evaluated" },
    environments: [],
    approvals: [],
    notCounted: [],
    changesRequested: [],
    schedule: { state: "closed", messages: ["not evaluated"] },
    rules: [],
    overrides: [],
    unblock: [`fix the evaluation error: ${message}`],
    warnings: [],
    errors: [message],
    approvers: [],
    authors: [],
  };
}
