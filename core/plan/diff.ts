import { deepEqual } from "./mask.ts";
import { isContainer, isSensitive, type PlanValue, SENSITIVE, SENSITIVE_UNCHANGED } from "./values.ts";

/** One changed attribute, at leaf level (nested blocks are flattened to paths like `ingress[0].cidr_blocks`). */
export interface DiffEntry {
  /** Attribute path, e.g. `tags.Name`, `ingress[0].from_port`, `tags["kubernetes.io/role"]`. */
  readonly path: string;
  readonly op: "add" | "remove" | "update";
  /** Masked value before (absent for "add"). */
  readonly before?: PlanValue;
  /** Masked value after (absent for "remove"). */
  readonly after?: PlanValue;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;

function join(path: string, key: string | number): string {
  if (typeof key === "number") return `${path}[${key}]`;
  if (IDENTIFIER.test(key)) return path === "" ? key : `${path}.${key}`;
  return `${path}[${JSON.stringify(key)}]`;
}

function isEmpty(value: PlanValue | undefined): boolean {
  return value === null || value === undefined;
}

function walk(
  before: PlanValue | undefined,
  after: PlanValue | undefined,
  path: string,
  out: DiffEntry[],
): void {
  if (after === SENSITIVE_UNCHANGED && isSensitive(before)) return;
  // Two hidden values are only "equal" as markers; terraform's sensitivity marks decide (see applyMarks).
  // (No value equals undefined, and two undefined sides return below.)
  if (after !== SENSITIVE && deepEqual(before, after)) return;
  const bothArrays = Array.isArray(before) && Array.isArray(after);
  const bothObjects =
    isContainer(before) && isContainer(after) && !Array.isArray(before) && !Array.isArray(after);
  if (bothArrays || bothObjects) {
    const b = before as Record<string, PlanValue>;
    const a = after as Record<string, PlanValue>;
    const keys = bothArrays
      ? Array.from(
          { length: Math.max((before as PlanValue[]).length, (after as PlanValue[]).length) },
          (_, i) => i,
        )
      : [...new Set([...Object.keys(b), ...Object.keys(a)])];
    for (const key of keys) walk(b[key], a[key], join(path, key), out);
    return;
  }
  if (isEmpty(before) && isEmpty(after)) return;
  if (isEmpty(before)) {
    // A new block (never the root: attributeDiff passes two objects) shows as its attributes.
    if (isContainer(after) && !Array.isArray(after)) {
      for (const [key, value] of Object.entries(after)) walk(undefined, value, join(path, key), out);
      return;
    }
    out.push({ path, op: "add", after: after as PlanValue });
  } else if (isEmpty(after)) {
    out.push({ path, op: "remove", before: before as PlanValue });
  } else {
    out.push({ path, op: "update", before: before as PlanValue, after: after as PlanValue });
  }
}

/**
 * The per-attribute differences between two masked values. Unchanged attributes are left out; so are
 * null attributes of a new or deleted object. A sensitive attribute shows as changed unless terraform's
 * values were equal before masking.
 */
export function attributeDiff(before: PlanValue, after: PlanValue): DiffEntry[] {
  const out: DiffEntry[] = [];
  // A null side (a new or deleted object) becomes { value: null }, which diffs like {}: null is empty.
  const root = (v: PlanValue) => (isContainer(v) && !Array.isArray(v) ? v : { value: v });
  walk(root(before), root(after), "", out);
  return out;
}
