import type { Rule, RuleViolation, SynthesizedStack } from "./types.ts";

/** Runs every rule over every stack; a rule that throws is itself reported, never skipped. */
export function runRules(stacks: readonly SynthesizedStack[], rules: readonly Rule[]): RuleViolation[] {
  const out: RuleViolation[] = [];
  for (const stack of stacks) {
    for (const rule of rules) {
      try {
        out.push(...rule.check(stack));
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        out.push({
          rule: rule.id,
          stack: stack.name,
          address: "",
          message: `rule failed to evaluate: ${message}`,
        });
      }
    }
  }
  return out.sort(
    (a, b) =>
      a.stack.localeCompare(b.stack) || a.address.localeCompare(b.address) || a.rule.localeCompare(b.rule),
  );
}

/** One line per violation: `rule  stack  address  message`. */
export function formatViolations(violations: readonly RuleViolation[]): string {
  return violations.map((v) => `${v.rule}  ${v.stack}  ${v.address}  ${v.message}`).join("\n");
}
