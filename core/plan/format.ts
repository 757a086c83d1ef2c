import { maskSecrets } from "./secrets.ts";
import { ExactNumber, isMasked, maskLabel, type PlanValue } from "./values.ts";

/** Compact JSON of a masked value: markers as their labels, exact numbers as their digits. */
export function compactJson(value: PlanValue | undefined): string {
  if (value === undefined) return "null";
  if (isMasked(value)) return maskLabel(value);
  if (value instanceof ExactNumber) return value.digits;
  if (Array.isArray(value)) return `[${value.map(compactJson).join(",")}]`;
  if (typeof value === "object" && value !== null) {
    return `{${Object.entries(value)
      .map(([k, v]) => `${JSON.stringify(k)}:${compactJson(v)}`)
      .join(",")}}`;
  }
  return JSON.stringify(value);
}

/**
 * A value as one line for reviewers: strings quoted, secrets of well-known shapes masked before the
 * line is shortened to `max` characters (so a cut never leaves half a key visible).
 */
export function displayValue(value: PlanValue | undefined, max = 200): string {
  const text = maskSecrets(compactJson(value));
  if (text.length <= max) return text;
  return `${text.slice(0, max)}… (${text.length - max} more chars)`;
}
