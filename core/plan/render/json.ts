import { actionLabel } from "../actions.ts";
import { attributeDiff } from "../diff.ts";
import { planDigest } from "../digest.ts";
import { maskSecrets } from "../secrets.ts";
import type { PlanReview, ResourceChange } from "../types.ts";
import { ExactNumber, isMasked, isSensitive, maskLabel, type PlanValue, UNKNOWN } from "../values.ts";

/**
 * Version of the JSON document's shape. Raised when a field is removed or changes meaning; new fields
 * may appear without a raise.
 */
export const JSON_SCHEMA_VERSION = 1;

const EXACT = "\u0000sluice-exact:";

/** A masked value as plain JSON data: markers as their labels, long numbers as a placeholder string. */
function plain(value: PlanValue | undefined): unknown {
  if (typeof value !== "object" || value === null) return value;
  if (isMasked(value)) return maskLabel(value);
  if (value instanceof ExactNumber) return `${EXACT}${value.digits}`;
  if (Array.isArray(value)) return value.map(plain);
  const out: Record<string, unknown> = {};
  for (const key in value) out[key] = plain(value[key]);
  return out;
}

// Objects are built field by field, in the order the document has always had: conditional spreads cost a
// temporary object and a generic copy each, for every attribute of every change. A field set to undefined
// is left out by JSON.stringify, as if never set.
function diffOf(before: PlanValue, after: PlanValue) {
  return attributeDiff(before, after).map((e) => {
    const entry: Record<string, unknown> = { path: e.path, op: e.op };
    entry.before = plain(e.before);
    entry.after = plain(e.after);
    if (isSensitive(e.before)) entry.beforeSensitive = true;
    if (isSensitive(e.after)) entry.afterSensitive = true;
    if (e.after === UNKNOWN) entry.afterUnknown = true;
    return entry;
  });
}

function changeJson(c: ResourceChange) {
  const out: Record<string, unknown> = {
    address: c.address,
    moduleAddress: c.moduleAddress,
    mode: c.mode,
    type: c.type,
    name: c.name,
  };
  out.index = plain(c.index);
  out.action = c.kind;
  out.actions = c.actions;
  out.description = actionLabel(c);
  out.destructive = c.destructive;
  out.replaceOrder = c.replaceOrder;
  if (c.actionReason) out.actionReason = c.actionReason;
  out.replacePaths = c.replacePaths;
  if (c.previousAddress) out.previousAddress = c.previousAddress;
  out.importing = c.importing;
  if (c.deposed) out.deposed = c.deposed;
  out.diff = diffOf(c.before, c.after);
  return out;
}

/**
 * One value as pretty JSON at `depth` levels of two-space indentation, with known secret shapes masked
 * and long numbers written back as bare numbers with every digit.
 */
function pretty(value: unknown, depth: number): string {
  const text = JSON.stringify(value, null, 2)
    .replaceAll("\n", `\n${"  ".repeat(depth)}`)
    .replace(/"\\u0000sluice-exact:([-+.0-9eE]+)"/g, "$1");
  return maskSecrets(text);
}

/** `"key": [items…],` at depth 1, one item a chunk (never the last field). */
function* arrayField<T>(key: string, items: readonly T[], toJson: (item: T) => unknown) {
  if (items.length === 0) {
    yield `  ${JSON.stringify(key)}: [],\n`;
    return;
  }
  yield `  ${JSON.stringify(key)}: [\n`;
  for (let i = 0; i < items.length; i++) {
    yield `    ${pretty(toJson(items[i] as T), 2)}${i + 1 < items.length ? ",\n" : "\n"}`;
  }
  yield "  ],\n";
}

/**
 * The review as JSON for machines, in pieces: the document is never held whole, so a plan of tens of
 * thousands of changes costs the memory of one change at a time. Joined, the pieces are the same
 * document `renderJson` returns.
 */
export function* renderJsonChunks(
  review: PlanReview,
  options: { readonly digest?: string } = {},
): Generator<string> {
  const head = {
    schemaVersion: JSON_SCHEMA_VERSION,
    source: review.source,
    formatVersion: review.formatVersion,
    ...(review.terraformVersion ? { terraformVersion: review.terraformVersion } : {}),
    digest: options.digest ?? planDigest(review),
    errored: review.errored,
    complete: review.complete,
    applyable: review.applyable,
    counts: review.counts,
    summary: review.summary,
  };
  const headText = pretty(head, 0);
  yield `${headText.slice(0, -2)},\n`;
  yield* arrayField("findings", review.findings, (f) => f);
  yield* arrayField("changes", review.changes, changeJson);
  yield* arrayField("drift", review.drift, changeJson);
  const tail = {
    outputs: review.outputs.map((o) => ({
      name: o.name,
      action: o.kind,
      actions: o.actions,
      sensitive: o.sensitive,
      before: plain(o.before),
      after: plain(o.after),
    })),
    deferred: review.deferred.map((d) => ({ reason: d.reason, change: changeJson(d.change) })),
    checks: review.checks,
    notes: review.notes,
    warnings: review.warnings,
  };
  yield `${pretty(tail, 0).slice(2)}\n`;
}

/**
 * The review as JSON for machines: schema version, counts, terraform's summary, changes with masked
 * per-attribute diffs, findings, drift, outputs, deferred changes, checks and status. Masked values
 * appear as "(sensitive)" or "(known after apply)" with a flag beside them; long numbers keep their
 * exact digits.
 */
export function renderJson(review: PlanReview, options: { readonly digest?: string } = {}): string {
  return [...renderJsonChunks(review, options)].join("");
}
