import { compileGlobs, type GlobMatcher } from "./globs.ts";
import type { Policy, PolicyRule } from "./policy.ts";

export interface CompiledEnvironment {
  readonly name: string;
  readonly paths: GlobMatcher;
  readonly stacks: GlobMatcher;
  readonly addresses: GlobMatcher;
  /** True when the environment lists resource addresses (so `addresses` can match at all). */
  readonly hasAddresses: boolean;
  /** True when the environment can only be recognised from a plan. */
  readonly needsPlan: boolean;
}

export interface CompiledRule {
  readonly rule: PolicyRule;
  readonly include?: GlobMatcher;
  readonly exclude?: GlobMatcher;
  readonly resourceTypes?: GlobMatcher;
  readonly addresses?: GlobMatcher;
  readonly baseBranches?: GlobMatcher;
}

export interface CompiledPolicy {
  readonly environments: readonly CompiledEnvironment[];
  readonly rules: readonly CompiledRule[];
}

const cache = new WeakMap<Policy, CompiledPolicy>();

/** Compiles every glob of a policy once; later evaluations of the same policy object reuse it. */
export function compilePolicy(policy: Policy): CompiledPolicy {
  const cached = cache.get(policy);
  if (cached) return cached;
  const compiled: CompiledPolicy = {
    environments: Object.keys(policy.environments)
      .sort()
      .map((name) => {
        const env = policy.environments[name] as Policy["environments"][string];
        return {
          name,
          paths: compileGlobs(env.paths),
          stacks: compileGlobs(env.stacks),
          addresses: compileGlobs(env.addresses),
          // Stryker disable next-line ConditionalExpression,EqualityOperator: `true` and `>= 0` are equivalent: the flag only lets facts skip address matching, and no addresses compile to a matcher that matches nothing (`false` and `<= 0` are killed by environments.test.ts)
          hasAddresses: env.addresses.length > 0,
          needsPlan: env.stacks.length + env.addresses.length > 0,
        };
      }),
    rules: policy.rules.map((rule) => {
      const w = rule.when;
      return {
        rule,
        ...(w.changedFiles && {
          include: compileGlobs(w.changedFiles.include),
          exclude: compileGlobs(w.changedFiles.exclude),
        }),
        ...(w.plan?.resourceTypes && { resourceTypes: compileGlobs(w.plan.resourceTypes) }),
        ...(w.plan?.addresses && { addresses: compileGlobs(w.plan.addresses) }),
        ...(w.baseBranches && { baseBranches: compileGlobs(w.baseBranches) }),
      };
    }),
  };
  // Stryker disable next-line CallExpression: a cache; without it each evaluation compiles the same policy again, to an equal result
  cache.set(policy, compiled);
  return compiled;
}
