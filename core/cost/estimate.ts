import type { Attrs } from "./attributes.ts";
import { block, str } from "./attributes.ts";
import { type Dec, sum } from "./money.ts";
import { type PricedResource, priceResource } from "./price-resource.ts";
import type { PriceBook } from "./prices.ts";
import { type Finding, rightSizing } from "./right-sizing.ts";
import { NO_USAGE, type Usage } from "./usage.ts";

/** A synthesized stack: its name and its cdk.tf.json, parsed. */
export interface SynthStack {
  readonly name: string;
  readonly json: unknown;
}

export interface TypeCount {
  readonly type: string;
  readonly count: number;
}

export interface StackEstimate {
  readonly name: string;
  readonly environment: string;
  readonly region: string;
  readonly monthlyCost: Dec;
  /** Resources with at least one cost component, most expensive first. */
  readonly resources: readonly PricedResource[];
  readonly free: readonly TypeCount[];
  /** Resource types Sluice has no prices for: "not priced". */
  readonly unsupported: readonly TypeCount[];
}

export interface EnvironmentEstimate {
  readonly name: string;
  readonly monthlyCost: Dec;
  readonly stacks: readonly StackEstimate[];
  readonly findings: readonly Finding[];
}

export interface Estimate {
  readonly currency: "USD";
  readonly totalMonthlyCost: Dec;
  readonly environments: readonly EnvironmentEstimate[];
}

export class StackInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StackInputError";
  }
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** The default (un-aliased) aws provider block of a stack. */
function awsProvider(json: Record<string, unknown>): Attrs | undefined {
  const aws = record(json.provider)?.aws;
  const blocks = (Array.isArray(aws) ? aws : aws ? [aws] : []).filter((b) => record(b));
  return (blocks.find((b) => !record(b)?.alias) ?? blocks[0]) as Attrs | undefined;
}

/** The region of a stack, from its aws provider configuration. */
export function stackRegion(stack: SynthStack): string | undefined {
  const json = record(stack.json);
  return json ? str(awsProvider(json), "region") : undefined;
}

/** The environment a stack belongs to: the provider's `environment` default tag, else the name's prefix. */
export function stackEnvironment(stack: SynthStack): string {
  const json = record(stack.json);
  const tags = block(block(json ? awsProvider(json) : undefined, "default_tags"), "tags");
  return str(tags, "environment") ?? stack.name.split("-")[0] ?? stack.name;
}

const REFERENCE = /^\$\{([A-Za-z0-9_]+)\.([^.}]+)\.[A-Za-z0-9_]+\}$/;

export interface EstimateOptions {
  /** Usage per environment; environments without one get none ("depends on usage"). */
  readonly usage?: (environment: string) => Usage;
}

/** Estimates the monthly cost of one synthesized stack. */
export function estimateStack(stack: SynthStack, prices: PriceBook, usage: Usage = NO_USAGE): StackEstimate {
  const json = record(stack.json);
  if (!json) throw new StackInputError(`${stack.name}: expected a JSON object (cdk.tf.json)`);
  const resources = record(json.resource) ?? {};
  const region = stackRegion(stack);
  const hasAws = Object.keys(resources).some((t) => t.startsWith("aws_"));
  if (hasAws && !region) {
    throw new StackInputError(
      `${stack.name}: provider.aws.region: expected a literal region such as "eu-west-1" (the estimate prices by region)`,
    );
  }
  const resolve = (reference: unknown): Attrs | undefined => {
    if (typeof reference !== "string") return undefined;
    const m = REFERENCE.exec(reference);
    return m ? (record(record(resources[m[1] as string])?.[m[2] as string]) as Attrs | undefined) : undefined;
  };
  const priced: PricedResource[] = [];
  const free = new Map<string, number>();
  const unsupported = new Map<string, number>();
  for (const [type, byName] of Object.entries(resources)) {
    for (const [name, attrs] of Object.entries(record(byName) ?? {})) {
      const a = (record(attrs) ?? {}) as Attrs;
      const count = typeof a.count === "number" ? a.count : undefined;
      const r = priceResource(
        {
          address: `${type}.${name}`,
          type,
          attrs: a,
          region: region ?? "",
          resolve,
          ...(count !== undefined && { count }),
        },
        prices,
        usage,
      );
      const n = count ?? 1;
      if (r.pricing === "free") free.set(type, (free.get(type) ?? 0) + n);
      else if (r.pricing === "unsupported") unsupported.set(type, (unsupported.get(type) ?? 0) + n);
      else if (r.costComponents.length > 0) priced.push(r);
      else free.set(type, (free.get(type) ?? 0) + n);
    }
  }
  priced.sort((a, b) =>
    b.monthlyCost > a.monthlyCost ? 1 : b.monthlyCost < a.monthlyCost ? -1 : a.name.localeCompare(b.name),
  );
  return {
    name: stack.name,
    environment: stackEnvironment(stack),
    region: region ?? "",
    monthlyCost: sum(priced.map((r) => r.monthlyCost)),
    resources: priced,
    free: counts(free),
    unsupported: counts(unsupported),
  };
}

function counts(m: Map<string, number>): TypeCount[] {
  return [...m].map(([type, count]) => ({ type, count })).sort((a, b) => a.type.localeCompare(b.type));
}

/** Estimates every environment of a set of synthesized stacks, with right-sizing findings. */
export function estimate(
  stacks: readonly SynthStack[],
  prices: PriceBook,
  options: EstimateOptions = {},
): Estimate {
  const byEnv = new Map<string, { stacks: StackEstimate[]; sources: SynthStack[] }>();
  for (const stack of [...stacks].sort((a, b) => a.name.localeCompare(b.name))) {
    const env = stackEnvironment(stack);
    const usage = options.usage?.(env) ?? NO_USAGE;
    const entry = byEnv.get(env) ?? { stacks: [], sources: [] };
    entry.stacks.push(estimateStack(stack, prices, usage));
    entry.sources.push(stack);
    byEnv.set(env, entry);
  }
  const environments = [...byEnv]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, { stacks: estimates, sources }]) => ({
      name,
      monthlyCost: sum(estimates.map((s) => s.monthlyCost)),
      stacks: estimates,
      findings: rightSizing(name, sources, estimates, prices),
    }));
  return { currency: "USD", totalMonthlyCost: sum(environments.map((e) => e.monthlyCost)), environments };
}
