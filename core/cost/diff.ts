import type { PlanCost } from "../plan/findings.ts";
import type { NormalizedPlan, ResourceChange } from "../plan/types.ts";
import { isMasked } from "../plan/values.ts";
import type { Attrs } from "./attributes.ts";
import type { TypeCount } from "./estimate.ts";
import { type Dec, formatDec, sum } from "./money.ts";
import { type PricedResource, priceResource } from "./price-resource.ts";
import type { PriceBook } from "./prices.ts";
import { pricingOf } from "./resources.ts";
import { NO_USAGE, type Usage } from "./usage.ts";

export interface ResourceDiff {
  readonly name: string;
  readonly type: string;
  readonly kind: ResourceChange["kind"];
  readonly past?: PricedResource;
  readonly current?: PricedResource;
  readonly pastMonthlyCost: Dec;
  readonly monthlyCost: Dec;
  readonly diffMonthlyCost: Dec;
}

export interface PlanCostDiff {
  readonly currency: "USD";
  readonly region: string;
  readonly pastTotalMonthlyCost: Dec;
  readonly totalMonthlyCost: Dec;
  readonly diffTotalMonthlyCost: Dec;
  /** Changed resources of priced types, largest absolute delta first. */
  readonly resources: readonly ResourceDiff[];
  readonly unsupported: readonly TypeCount[];
}

export interface DiffOptions {
  /** The region for resources whose values do not carry one (provider v6 puts `region` on each). */
  readonly region: string;
  readonly usage?: Usage;
}

/** Plan values with unknown or sensitive markers read as absent (the estimator then uses defaults). */
function attrs(value: unknown): Attrs | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value) || isMasked(value))
    return undefined;
  return value as Attrs;
}

const SIDES: Record<string, { before: boolean; after: boolean }> = {
  create: { before: false, after: true },
  delete: { before: true, after: false },
  update: { before: true, after: true },
  replace: { before: true, after: true },
  unknown: { before: true, after: true },
  import: { before: true, after: true },
  move: { before: true, after: true },
  noop: { before: true, after: true },
};

/**
 * Before and after monthly cost of each managed resource a plan changes, and the delta. A replaced
 * resource counts once on each side; reads and forgets change nothing AWS bills.
 */
export function diffPlan(plan: NormalizedPlan, prices: PriceBook, options: DiffOptions): PlanCostDiff {
  const usage = options.usage ?? NO_USAGE;
  const out: ResourceDiff[] = [];
  const unsupported = new Map<string, number>();
  for (const change of plan.changes) {
    if (change.mode !== "managed" || change.deposed) continue;
    const sides = SIDES[change.kind];
    if (!sides) continue;
    const pricing = pricingOf(change.type);
    if (pricing !== "priced") {
      if (pricing === "unsupported" && change.kind !== "noop")
        unsupported.set(change.type, (unsupported.get(change.type) ?? 0) + 1);
      continue;
    }
    const price = (value: unknown) => {
      const a = attrs(value) ?? {};
      const region = typeof a.region === "string" ? a.region : options.region;
      return priceResource({ address: change.address, type: change.type, attrs: a, region }, prices, usage);
    };
    const past = sides.before ? price(change.before) : undefined;
    const current = sides.after ? price(change.after) : undefined;
    const pastMonthlyCost = past?.monthlyCost ?? 0n;
    const monthlyCost = current?.monthlyCost ?? 0n;
    out.push({
      name: change.address,
      type: change.type,
      kind: change.kind,
      ...(past && { past }),
      ...(current && { current }),
      pastMonthlyCost,
      monthlyCost,
      diffMonthlyCost: monthlyCost - pastMonthlyCost,
    });
  }
  const abs = (d: Dec) => (d < 0n ? -d : d);
  out.sort((a, b) => {
    const d = abs(b.diffMonthlyCost) - abs(a.diffMonthlyCost);
    return d > 0n ? 1 : d < 0n ? -1 : a.name.localeCompare(b.name);
  });
  const pastTotal = sum(out.map((r) => r.pastMonthlyCost));
  const total = sum(out.map((r) => r.monthlyCost));
  return {
    currency: "USD",
    region: options.region,
    pastTotalMonthlyCost: pastTotal,
    totalMonthlyCost: total,
    diffTotalMonthlyCost: total - pastTotal,
    resources: out,
    unsupported: [...unsupported]
      .map(([type, count]) => ({ type, count }))
      .sort((a, b) => a.type.localeCompare(b.type)),
  };
}

/** The cost summary a stack's plan facts carry for the policy engine: decimal USD strings. */
export function costFacts(diff: PlanCostDiff, drivers = 3): PlanCost {
  return {
    currency: "USD",
    pastTotalMonthlyCost: formatDec(diff.pastTotalMonthlyCost),
    totalMonthlyCost: formatDec(diff.totalMonthlyCost),
    diffTotalMonthlyCost: formatDec(diff.diffTotalMonthlyCost),
    drivers: diff.resources
      .filter((r) => r.diffMonthlyCost !== 0n)
      .slice(0, drivers)
      .map((r) => ({ address: r.name, diffMonthlyCost: formatDec(r.diffMonthlyCost) })),
  };
}

/** The region a plan's aws provider configuration names, read from the raw plan text, if any. */
export function planRegion(text: string): string | undefined {
  const at = text.indexOf('"provider_config"');
  if (at < 0) return undefined;
  const m = /"region"\s*:\s*\{\s*"constant_value"\s*:\s*"([a-z]{2}(?:-[a-z]+)+-\d)"/.exec(
    text.slice(at, at + 20_000),
  );
  return m?.[1];
}
