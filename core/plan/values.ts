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

/** Stands in for a value that terraform marked sensitive or that is not known until apply. */
export class Masked {
  private constructor(
    readonly kind: "sensitive" | "unknown",
    /** For a sensitive value after the change: true when it equals the value before. */
    readonly unchanged = false,
  ) {}
  static readonly sensitive = new Masked("sensitive");
  static readonly sensitiveUnchanged = new Masked("sensitive", true);
  static readonly unknown = new Masked("unknown");
  /** Text shown to reviewers in every format. */
  get label(): string {
    return this.kind === "sensitive" ? "(sensitive)" : "(known after apply)";
  }
  toJSON(): string {
    return this.unchanged ? "(sensitive, unchanged)" : this.label;
  }
}

export const SENSITIVE = Masked.sensitive;
export const SENSITIVE_UNCHANGED = Masked.sensitiveUnchanged;
export const UNKNOWN = Masked.unknown;

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
  return (
    typeof value === "object" &&
    value !== null &&
    !(value instanceof ExactNumber) &&
    !(value instanceof Masked)
  );
}
