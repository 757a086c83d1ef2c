import type { Attrs } from "./attributes.ts";
import { type Dec, sum } from "./money.ts";
import type { PriceBook } from "./prices.ts";
import { type CostComponent, ESTIMATORS, type Pricing, pricingOf } from "./resources.ts";
import type { Usage } from "./usage.ts";

export interface PricedResource {
  /** The resource address. */
  readonly name: string;
  readonly type: string;
  readonly pricing: Pricing;
  /** The sum of the components that have a cost (usage-dependent and not-priced ones are left out). */
  readonly monthlyCost: Dec;
  readonly costComponents: readonly CostComponent[];
}

export interface PriceInput {
  readonly address: string;
  readonly type: string;
  readonly attrs: Attrs;
  readonly region: string;
  /** `count` of a synthesized resource: each component is multiplied by it. */
  readonly count?: number;
  readonly resolve?: (reference: unknown) => Attrs | undefined;
}

/** Prices one resource: plain data in, plain data out. */
export function priceResource(input: PriceInput, prices: PriceBook, usage: Usage): PricedResource {
  const pricing = pricingOf(input.type);
  const estimator = ESTIMATORS[input.type];
  if (pricing !== "priced" || !estimator) {
    return { name: input.address, type: input.type, pricing, monthlyCost: 0n, costComponents: [] };
  }
  let components = estimator(input.attrs, {
    region: input.region,
    price: (key) => prices.price(input.region, key),
    usage: usage.figures(input.address, input.type),
    resolve: input.resolve ?? (() => undefined),
  });
  const count = input.count;
  if (count !== undefined && count !== 1) {
    const n = BigInt(Math.max(0, Math.trunc(count)));
    components = components.map((c) => ({
      ...c,
      ...(c.monthlyQuantity !== undefined && { monthlyQuantity: c.monthlyQuantity * n }),
      ...(c.monthlyCost !== undefined && { monthlyCost: c.monthlyCost * n }),
    }));
  }
  return {
    name: input.address,
    type: input.type,
    pricing,
    monthlyCost: sum(components.map((c) => c.monthlyCost ?? 0n)),
    costComponents: components,
  };
}
