/**
 * The values a normalized plan holds: plain JSON, plus three markers the parser puts in place of
 * what must not or cannot be shown.
 */

/** A JSON number whose digits a float64 cannot hold exactly (e.g. an integer beyond 2^53); kept as text. */
export class ExactNumber {
  constructor(
    /** The number's literal text, verbatim from the plan JSON. */
    readonly digits: string,
  ) {}
  toString(): string {
    return this.digits;
  }
  toJSON(): string {
    return this.digits;
  }
}

const MASK = "\u0000sluice-masked";

/**
 * Stands in for a value that terraform marked sensitive or that is not known until apply. The three
 * markers are frozen plain objects compared by identity: plain data keeps JSON.stringify on V8's fast
 * path (a toJSON method on thousands of values made the digest three times slower).
 */
export interface Masked {
  readonly [MASK]: "sensitive" | "sensitive-unchanged" | "unknown";
}

export const SENSITIVE: Masked = Object.freeze({ [MASK]: "sensitive" as const });
/** A sensitive value after the change that equals the value before (terraform's values, before masking). */
export const SENSITIVE_UNCHANGED: Masked = Object.freeze({ [MASK]: "sensitive-unchanged" as const });
export const UNKNOWN: Masked = Object.freeze({ [MASK]: "unknown" as const });

export function isMasked(value: unknown): value is Masked {
  return value === SENSITIVE || value === SENSITIVE_UNCHANGED || value === UNKNOWN;
}

export function isSensitive(value: unknown): boolean {
  return value === SENSITIVE || value === SENSITIVE_UNCHANGED;
}

/** Text shown to reviewers in every format. */
export function maskLabel(value: Masked): string {
  return value === UNKNOWN ? "(known after apply)" : "(sensitive)";
}

export type PlanValue =
  | null
  | boolean
  | number
  | string
  | ExactNumber
  | Masked
  | PlanValue[]
  | { [key: string]: PlanValue };

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A plain JSON object or array (not a marker). */
export function isContainer(value: unknown): value is PlanValue[] | { [key: string]: PlanValue } {
  return typeof value === "object" && value !== null && !(value instanceof ExactNumber) && !isMasked(value);
}
