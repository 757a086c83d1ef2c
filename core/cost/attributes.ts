/**
 * Reading resource attributes from either source: synthesized Terraform JSON (plain JSON where a
 * value may be a "${...}" reference) or a plan's values (where a value may be a marker for an unknown
 * or sensitive value, or an ExactNumber). Anything that is not a usable literal reads as absent.
 */
export type Attrs = Readonly<Record<string, unknown>>;

function literal(value: unknown): unknown {
  if (typeof value === "string" && value.includes("${")) return undefined;
  return value;
}

export function str(attrs: Attrs | undefined, key: string): string | undefined {
  const v = literal(attrs?.[key]);
  return typeof v === "string" ? v : undefined;
}

export function num(attrs: Attrs | undefined, key: string): number | undefined {
  const v = literal(attrs?.[key]);
  if (typeof v === "number" && Number.isFinite(v)) return v;
  if (typeof v === "string" && /^\d+(\.\d+)?$/.test(v)) return Number(v);
  return undefined;
}

export function bool(attrs: Attrs | undefined, key: string): boolean | undefined {
  const v = literal(attrs?.[key]);
  if (typeof v === "boolean") return v;
  if (v === "true") return true;
  if (v === "false") return false;
  return undefined;
}

/** A nested block: terraform JSON writes single blocks as an object or as a one-element list. */
export function block(attrs: Attrs | undefined, key: string): Attrs | undefined {
  const v = attrs?.[key];
  const first = Array.isArray(v) ? v[0] : v;
  return typeof first === "object" && first !== null && !Array.isArray(first) ? (first as Attrs) : undefined;
}

export function list(attrs: Attrs | undefined, key: string): readonly unknown[] | undefined {
  const v = attrs?.[key];
  return Array.isArray(v) ? v : undefined;
}

export function strings(attrs: Attrs | undefined, key: string): string[] {
  return (list(attrs, key) ?? []).filter((s): s is string => typeof s === "string" && !s.includes("${"));
}
