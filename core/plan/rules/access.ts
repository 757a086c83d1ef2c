import type { RiskFinding, Severity } from "../findings.ts";
import type { ResourceChange } from "../types.ts";
import { isContainer, type PlanValue } from "../values.ts";

/** The value at a path of a masked resource value (undefined when absent or not a container). */
export function get(value: PlanValue | undefined, ...path: (string | number)[]): PlanValue | undefined {
  let current: PlanValue | undefined = value;
  for (const step of path) {
    if (!isContainer(current)) return undefined;
    current = Array.isArray(current)
      ? typeof step === "number"
        ? current[step]
        : undefined
      : (current as Record<string, PlanValue>)[String(step)];
  }
  return current;
}

/** The items of a list attribute (nested blocks are lists in plan JSON). */
export function items(value: PlanValue | undefined): PlanValue[] {
  return Array.isArray(value) ? value : [];
}

/** The strings in a value that is a string or a list of strings. */
export function strings(value: PlanValue | undefined): string[] {
  if (typeof value === "string") return [value];
  return items(value).filter((v): v is string => typeof v === "string");
}

/** True when the change leaves an object behind (create, update, replace, import, move). */
export function writes(change: ResourceChange): boolean {
  return (
    change.after !== null && change.kind !== "read" && change.kind !== "noop" && change.kind !== "forget"
  );
}

export function finding(
  rule: string,
  severity: Severity,
  change: ResourceChange,
  reason: string,
): RiskFinding {
  return { rule, severity, address: change.address, resourceType: change.type, reason };
}

/** A rule over one resource change. */
export type ChangeRule = (change: ResourceChange) => RiskFinding[];
