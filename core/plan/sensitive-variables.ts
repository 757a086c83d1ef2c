import { isRecord, type PlanValue, SENSITIVE } from "./values.ts";

/**
 * Values of sensitive input variables, masked wherever they turn up unmarked. Terraform marks values
 * derived from a sensitive variable, but a provider may copy one into an attribute it does not mark, and
 * `variables` holds the plaintext. The plaintext is read here only to hide it; it is never kept in the plan.
 */

/** Shorter values would mask ordinary words everywhere. */
const MIN_LENGTH = 4;

function strings(value: unknown, out: Set<string>): void {
  if (typeof value === "string") {
    if (value.length >= MIN_LENGTH) out.add(value);
  } else if (Array.isArray(value)) {
    for (const item of value) strings(item, out);
  } else if (isRecord(value)) {
    for (const item of Object.values(value)) strings(item, out);
  }
}

/**
 * The string values (and string parts of list, map and object values) of root-module variables that the
 * configuration declares `sensitive`, longest first.
 */
export function sensitiveVariableValues(plan: Record<string, unknown>): string[] {
  const config = plan.configuration;
  const declared =
    isRecord(config) && isRecord(config.root_module) ? config.root_module.variables : undefined;
  const values = plan.variables;
  if (!isRecord(declared) || !isRecord(values)) return [];
  const out = new Set<string>();
  for (const [name, declaration] of Object.entries(declared)) {
    const entry = values[name];
    if (isRecord(declaration) && declaration.sensitive === true && isRecord(entry)) strings(entry.value, out);
  }
  return [...out].sort((a, b) => b.length - a.length);
}

/**
 * The value with every string equal to a secret replaced by the sensitive marker and every occurrence
 * inside a longer string by "(sensitive)". Containers are changed in place (the value is a fresh parse).
 */
export function hideValues(value: unknown, secrets: readonly string[]): PlanValue {
  if (typeof value === "string") {
    if (secrets.includes(value)) return SENSITIVE;
    let out = value;
    for (const secret of secrets) out = out.split(secret).join("(sensitive)");
    return out;
  }
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) value[i] = hideValues(item, secrets);
  } else if (isRecord(value)) {
    for (const key of Object.keys(value)) value[key] = hideValues(value[key], secrets);
  }
  return value as PlanValue;
}

/** Hides sensitive variable values in every section of the raw plan that review reads. */
export function hideSensitiveVariables(plan: Record<string, unknown>): void {
  const secrets = sensitiveVariableValues(plan);
  // Stryker disable next-line ConditionalExpression: a fast path; with no secrets every value is left as it is
  if (secrets.length === 0) return;
  const hideChange = (entry: unknown) => {
    if (!isRecord(entry) || !isRecord(entry.change)) return;
    const change = entry.change;
    change.before = hideValues(change.before, secrets);
    change.after = hideValues(change.after, secrets);
    // The import id is shown in the review, read from the change or from beside it; objects change in place.
    hideValues([change.importing, entry.importing], secrets);
  };
  for (const key of ["resource_changes", "resource_drift"]) {
    const list = plan[key];
    if (Array.isArray(list)) list.forEach(hideChange);
  }
  if (Array.isArray(plan.deferred_changes)) {
    for (const deferred of plan.deferred_changes)
      if (isRecord(deferred)) hideChange(deferred.resource_change);
  }
  if (isRecord(plan.output_changes)) {
    for (const output of Object.values(plan.output_changes)) {
      if (!isRecord(output)) continue;
      output.before = hideValues(output.before, secrets);
      output.after = hideValues(output.after, secrets);
    }
  }
  // Review shows the problems of checks and their addresses; hide them in the whole section, whatever its shape.
  hideValues(plan.checks, secrets);
}
