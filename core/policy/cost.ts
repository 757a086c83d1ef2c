import type { PlanCost } from "../plan/findings.ts";
import type { CompiledPolicy } from "./compile.ts";
import type { ContextPlan } from "./context.ts";

/** Cost in 10^-12 USD: exact sums of the plan facts' decimal strings. */
type Pico = bigint;
const SCALE = 12;

function pico(text: string): Pico | undefined {
  const m = /^(-)?(\d+)(?:\.(\d{1,12}))?$/.exec(text);
  if (!m) return undefined;
  // Stryker disable next-line StringLiteral: (\d+) takes part in every match, so m[2] is never undefined
  const whole = m[2] ?? "0";
  const v = BigInt(whole + (m[3] ?? "").padEnd(SCALE, "0"));
  return m[1] ? -v : v;
}

function usd(v: Pico): string {
  const negative = v < 0n;
  const cents = ((negative ? -v : v) + 5n * 10n ** 9n) / 10n ** 10n;
  const text = `$${(cents / 100n).toLocaleString("en")}.${(cents % 100n).toString().padStart(2, "0")}`;
  return negative ? `-${text}` : `+${text}`;
}

/** The cost of one scope (an environment, or the whole plan): before, after, and what could not be priced. */
export interface CostTotals {
  readonly past: Pico;
  readonly total: Pico;
  /** Stacks in scope whose plan facts carry no (valid) cost: the delta is then unknown. */
  readonly unpriced: readonly string[];
}

function totals(stacks: ContextPlan["stacks"]): CostTotals {
  let past = 0n;
  let total = 0n;
  const unpriced: string[] = [];
  for (const s of stacks) {
    const c: PlanCost | undefined = s.facts.cost;
    const p = c && pico(c.pastTotalMonthlyCost);
    const t = c && pico(c.totalMonthlyCost);
    if (p === undefined || t === undefined) unpriced.push(s.name);
    else {
      past += p;
      total += t;
    }
  }
  return { past, total, unpriced: unpriced.sort() };
}

/** The cost delta per environment (by the environments' stack globs) and of the whole plan. */
export function costFacts(
  compiled: CompiledPolicy,
  plan: ContextPlan,
): { readonly byEnvironment: ReadonlyMap<string, CostTotals>; readonly plan: CostTotals } {
  const byEnvironment = new Map<string, CostTotals>();
  for (const env of compiled.environments) {
    const stacks = plan.stacks.filter((s) => env.stacks(s.name));
    if (stacks.length > 0) byEnvironment.set(env.name, totals(stacks));
  }
  return { byEnvironment, plan: totals(plan.stacks) };
}

export interface CostCondition {
  readonly monthlyIncreaseOver?: number;
  readonly percentIncreaseOver?: number;
}

type Outcome = { readonly result: boolean | "unknown"; readonly why: string };

function exceeds(t: CostTotals, c: CostCondition): { hit: boolean; text: string } {
  const delta = t.total - t.past;
  let share = "";
  let hit = true;
  if (c.monthlyIncreaseOver !== undefined) {
    const limit = pico(c.monthlyIncreaseOver.toFixed(2)) ?? 0n;
    hit &&= delta > limit;
  }
  if (c.percentIncreaseOver !== undefined) {
    // delta / past > pct / 100, in integers; from nothing (past 0), any increase is over every percentage.
    const pct = BigInt(Math.round(c.percentIncreaseOver * 100));
    hit &&= delta * 10_000n > t.past * pct;
    if (t.past > 0n) share = ` (${((Number(delta) / Number(t.past)) * 100).toFixed(1)}%)`;
  }
  return { hit, text: `${usd(delta)} a month${share}` };
}

function wanted(c: CostCondition): string {
  return [
    c.monthlyIncreaseOver !== undefined && `more than $${c.monthlyIncreaseOver} a month`,
    c.percentIncreaseOver !== undefined && `more than ${c.percentIncreaseOver}%`,
  ]
    .filter(Boolean)
    .join(" and ");
}

/**
 * `cost: { monthly_increase_over, percent_increase_over }`: the rule's environments (or, without
 * `environments`, the whole plan) rise by more than the limit(s). Unknown when a stack in scope was
 * not priced, unless another environment already exceeds: cost conditions fail closed.
 */
export function costCondition(
  condition: CostCondition,
  environments: readonly string[] | undefined,
  facts: { readonly plan: CostTotals; readonly byEnvironment: ReadonlyMap<string, CostTotals> } | undefined,
): Outcome {
  if (!facts) return { result: "unknown", why: "cost: no current plan to read, so assumed to apply" };
  const scopes: [string, CostTotals][] = environments
    ? environments.flatMap((e): [string, CostTotals][] => {
        const t = facts.byEnvironment.get(e);
        return t ? [[e, t]] : [];
      })
    : [["the plan", facts.plan]];
  const limit = wanted(condition);
  const unknown: string[] = [];
  const within: string[] = [];
  for (const [name, t] of scopes) {
    const e = exceeds(t, condition);
    if (e.hit) return { result: true, why: `the cost of ${name} rises by ${e.text}, ${limit}` };
    if (t.unpriced.length > 0) unknown.push(`${name} (stack ${t.unpriced.join(", ")} not priced)`);
    else within.push(`${name} ${e.text}`);
  }
  if (unknown.length > 0)
    return {
      result: "unknown",
      why: `cost of ${unknown.join(", ")} is unknown, so assumed to rise ${limit}`,
    };
  return {
    result: false,
    why:
      within.length > 0
        ? `the cost does not rise ${limit}: ${within.join("; ")}`
        : "the plan touches none of the rule's environments' stacks",
  };
}
