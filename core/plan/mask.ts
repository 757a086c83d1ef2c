import {
  ExactNumber,
  isContainer,
  type Masked,
  type PlanValue,
  SENSITIVE,
  SENSITIVE_UNCHANGED,
  UNKNOWN,
} from "./values.ts";

/** Deep equality of two JSON values (markers compare by identity, exact numbers by digits). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a instanceof ExactNumber && b instanceof ExactNumber) return a.digits === b.digits;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  // Stryker disable next-line BlockStatement: without it arrays compare as objects by index keys, with the same result; this is the fast path
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  }
  if (a instanceof ExactNumber || b instanceof ExactNumber) return false;
  const ka = Object.keys(a);
  const rb = b as Record<string, unknown>;
  const ra = a as Record<string, unknown>;
  return ka.length === Object.keys(rb).length && ka.every((k) => k in rb && deepEqual(ra[k], rb[k]));
}

function child(other: { readonly value: unknown } | undefined, key: string | number) {
  if (!other) return undefined;
  const v = other.value;
  if (typeof key === "number") return { value: Array.isArray(v) ? v[key] : undefined };
  return { value: isContainer(v) && !Array.isArray(v) ? v[key] : undefined };
}

/** Whether marks flag anything. A mark of an unexpected shape flags (fail closed), however deep it is. */
function hasTrue(marks: unknown): boolean {
  if (marks === true) return true;
  if (typeof marks !== "object" || marks === null) return isOddMark(marks);
  // Loops rather than Object.values(...).some: called several times per change, mostly on {} or small marks.
  // Stryker disable next-line BlockStatement: without it arrays go through the Object.keys loop, with the same result; this is the fast path
  if (Array.isArray(marks)) {
    for (const m of marks) if (hasTrue(m)) return true;
    return false;
  }
  for (const key of Object.keys(marks)) if (hasTrue((marks as Record<string, unknown>)[key])) return true;
  return false;
}

/** Marks that are neither absent, a flag nor a container: an unexpected shape. */
function isOddMark(m: unknown): boolean {
  // Stryker disable next-line ConditionalExpression: null is also typeof "object", so the null test only saves a typeof
  return m !== undefined && m !== null && typeof m !== "boolean" && typeof m !== "object";
}

/**
 * Marks that flag whatever either side flags. Terraform hides an attribute on both sides of a diff when
 * it is sensitive on either (e.g. a provider upgrade newly marks `password`: `before_sensitive` is false but
 * `before` holds the secret). Shapes that do not match flag the whole value (fail closed).
 */
export function unionMarks(a: unknown, b: unknown): unknown {
  if (isOddMark(a) || isOddMark(b)) return true;
  if (!hasTrue(a)) return b;
  if (!hasTrue(b)) return a;
  if (a === true || b === true) return true;
  if (Array.isArray(a) && Array.isArray(b)) {
    return Array.from({ length: Math.max(a.length, b.length) }, (_, i) => unionMarks(a[i], b[i]));
  }
  if (Array.isArray(a) || Array.isArray(b)) return true;
  const out: Record<string, unknown> = { ...(a as Record<string, unknown>) };
  for (const [key, m] of Object.entries(b as Record<string, unknown>)) out[key] = unionMarks(out[key], m);
  return out;
}

/**
 * Replaces every part of `value` that `marks` flags with `marker`, in place (the value is a fresh parse).
 * `marks` mirrors the value: `true` flags the whole subtree, objects and arrays flag parts of it.
 * Fails closed: marks of an unexpected shape, or a container of marks over a scalar, mask the whole value.
 * For the unknown marker, flagged keys absent from the value are added (terraform omits unknown
 * attributes from `after`); an absent or null value has nothing sensitive to hide and stays as it is.
 */
export function applyMarks(
  value: PlanValue | undefined,
  marks: unknown,
  marker: Masked,
  other?: { readonly value: unknown },
): PlanValue {
  if (marks === true) {
    // The other side (the value before) decides whether a reviewer sees "changed" for a hidden value.
    return other && marker === SENSITIVE && deepEqual(value, other.value) ? SENSITIVE_UNCHANGED : marker;
  }
  if (marks === false || marks === undefined || marks === null) return value ?? null;
  if (typeof marks !== "object") return marker;
  if (!hasTrue(marks)) return value ?? null;
  if (value === null || value === undefined) {
    if (marker !== UNKNOWN) return null;
  }
  if (Array.isArray(marks)) {
    if (value === null || value === undefined) return marks.map((m) => applyMarks(null, m, marker));
    if (!Array.isArray(value)) return marker;
    // Only unknown values are added where the value has no element: a sensitive one has nothing to hide.
    const n = marker === UNKNOWN ? marks.length : Math.min(marks.length, value.length);
    for (const [i, m] of marks.slice(0, n).entries())
      value[i] = applyMarks(value[i], m, marker, child(other, i));
    return value;
  }
  if (value === null || value === undefined) {
    const out: Record<string, PlanValue> = {};
    for (const [key, m] of Object.entries(marks)) if (hasTrue(m)) out[key] = applyMarks(null, m, marker);
    return out;
  }
  if (!isContainer(value) || Array.isArray(value)) return marker;
  for (const [key, m] of Object.entries(marks)) {
    if (hasTrue(m) && (marker === UNKNOWN || Object.hasOwn(value, key))) {
      value[key] = applyMarks(value[key], m, marker, child(other, key));
    }
  }
  return value;
}
