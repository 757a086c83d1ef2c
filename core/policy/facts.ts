import { short } from "./approvals.ts";
import type { CompiledPolicy } from "./compile.ts";
import { type ChangeContext, type ContextPlan, planDigest } from "./context.ts";
import { type CostTotals, costFacts } from "./cost.ts";
import type { PlanStatus } from "./decision.ts";

/** What one evaluation derives from the context once, for every rule to read. */
export interface Facts {
  readonly plan: PlanStatus;
  /** The plan, only when it is for the head commit and did not error. */
  readonly currentPlan?: ContextPlan;
  readonly currentDigest?: string;
  /** Environment → what showed it is touched (sorted by name). */
  readonly environments: ReadonlyMap<string, readonly string[]>;
  /** Environments that only a plan could show, while no current plan is available. */
  readonly environmentsUnknown: ReadonlySet<string>;
  readonly labels: ReadonlySet<string>;
  readonly totalLines: number;
  /** Changed files that govern change control itself. */
  readonly policyFiles: readonly string[];
  /**
   * The environments a planned change belongs to: those whose `stacks` match its stack or whose `addresses`
   * match its address. Empty when no environment claims it (it is then counted for any environment).
   */
  readonly environmentsOf: (stack: string, address: string) => ReadonlySet<string>;
  /** The current plan's cost delta per environment and in all, from each stack's plan facts. */
  readonly cost?: { readonly byEnvironment: ReadonlyMap<string, CostTotals>; readonly plan: CostTotals };
}

/** Files whose change alters the rules of change control: the policy, the glossary, CODEOWNERS. */
export function isPolicyFile(path: string): boolean {
  return (
    path === "change-control.yaml" ||
    path === "glossary.md" ||
    path.endsWith("/glossary.md") ||
    path === "CODEOWNERS" ||
    path === ".github/CODEOWNERS" ||
    path === "docs/CODEOWNERS"
  );
}

export function planStatus(context: ChangeContext): PlanStatus {
  const plan = context.plan;
  if (!plan) {
    return { state: "missing", message: `no plan yet for the head commit ${short(context.headSha)}` };
  }
  const digest = planDigest(plan);
  if (plan.commit !== context.headSha) {
    return {
      state: "stale",
      commit: plan.commit,
      digest,
      message: `the plan was made for ${short(plan.commit)}, not for the head commit ${short(context.headSha)}`,
    };
  }
  // An incomplete plan (deferred changes) does not show everything the apply would do: treated as errored.
  const errored = plan.stacks
    .filter((s) => s.facts.errored || s.facts.complete === false)
    .map((s) => `${s.name}${s.facts.errored ? "" : " (incomplete)"}`)
    .sort();
  if (errored.length > 0) {
    return {
      state: "errored",
      commit: plan.commit,
      digest,
      message: `the plan errored for ${errored.join(", ")}: it cannot be approved until it runs cleanly and completely`,
    };
  }
  return {
    state: "current",
    commit: plan.commit,
    digest,
    message: `the plan is for the head commit ${short(plan.commit)}`,
  };
}

/** The address of the first planned change (in plan order, not a no-op or read) the matcher accepts. */
function firstChange(plan: ContextPlan, matches: (address: string) => boolean): string | undefined {
  for (const stack of plan.stacks) {
    for (const c of stack.facts.changes) {
      if (c.kind !== "noop" && c.kind !== "read" && matches(c.address)) return c.address;
    }
  }
  return undefined;
}

export function deriveFacts(compiled: CompiledPolicy, context: ChangeContext): Facts {
  const plan = planStatus(context);
  const currentPlan = plan.state === "current" ? context.plan : undefined;
  const environments = new Map<string, string[]>();
  const environmentsUnknown = new Set<string>();
  for (const env of compiled.environments) {
    const because: string[] = [];
    let first: string | undefined;
    let count = 0;
    for (const file of context.files) {
      if (env.paths(file.path)) {
        count++;
        first ??= file.path;
      }
    }
    if (first !== undefined)
      because.push(count > 1 ? `${first} and ${count - 1} more files changed` : `${first} changed`);
    if (currentPlan) {
      const stacks = currentPlan.stacks.filter((s) => env.stacks(s.name)).map((s) => s.name);
      if (stacks.length > 0) because.push(`stack ${stacks.sort().join(", ")} planned`);
      const address = env.hasAddresses ? firstChange(currentPlan, env.addresses) : undefined;
      if (address) because.push(`${address} planned`);
    } else if (because.length === 0 && env.needsPlan) {
      environmentsUnknown.add(env.name);
    }
    if (because.length > 0) environments.set(env.name, because);
  }
  let totalLines = 0;
  const policyFiles: string[] = [];
  for (const f of context.files) {
    totalLines += f.additions + f.deletions;
    if (isPolicyFile(f.path)) policyFiles.push(f.path);
  }
  // Worked out once per stack and, where environments list addresses, once per address.
  const byStack = new Map<string, ReadonlySet<string>>();
  const byAddress = new Map<string, ReadonlySet<string>>();
  // Stryker disable next-line MethodExpression: a fast path: an environment without addresses matches none, so leaving it in only skips the shortcut below
  const addressed = compiled.environments.filter((e) => e.hasAddresses);
  const environmentsOf = (stack: string, address: string): ReadonlySet<string> => {
    const claimed =
      byStack.get(stack) ??
      remember(
        byStack,
        stack,
        new Set(compiled.environments.filter((e) => e.stacks(stack)).map((e) => e.name)),
      );
    // Stryker disable next-line ConditionalExpression: a fast path; with no addressed environment withAddress adds none and returns claimed
    if (addressed.length === 0) return claimed;
    const key = `${stack}\n${address}`;
    return byAddress.get(key) ?? remember(byAddress, key, withAddress(claimed, address));
  };
  /** The environments that claim the stack, and those whose addresses match. */
  const withAddress = (claimed: ReadonlySet<string>, address: string): ReadonlySet<string> => {
    const more = addressed.filter((e) => !claimed.has(e.name) && e.addresses(address));
    // Stryker disable next-line ConditionalExpression: a fast path; a copy of claimed with nothing added holds the same names
    return more.length === 0 ? claimed : new Set([...claimed, ...more.map((e) => e.name)]);
  };
  return {
    environmentsOf,
    plan,
    ...(currentPlan && { currentPlan, currentDigest: plan.digest, cost: costFacts(compiled, currentPlan) }),
    environments,
    environmentsUnknown,
    labels: new Set(context.labels.map((l) => l.toLowerCase())),
    totalLines,
    policyFiles: policyFiles.sort(),
  };
}

/** Stores `value` in `cache` under `key` and returns it. */
function remember<K, V>(cache: Map<K, V>, key: K, value: V): V {
  // Stryker disable next-line CallExpression: a cache; without it the same value is worked out again on the next call
  cache.set(key, value);
  return value;
}
