import { actionLabel } from "../actions.ts";
import { attributeDiff } from "../diff.ts";
import { planDigest } from "../digest.ts";
import { maskSecrets } from "../secrets.ts";
import type { PlanReview, ResourceChange } from "../types.ts";
import { ExactNumber, isMasked, isSensitive, maskLabel, type PlanValue, UNKNOWN } from "../values.ts";

function diffOf(before: PlanValue, after: PlanValue) {
  return attributeDiff(before, after).map((e) => ({
    path: e.path,
    op: e.op,
    ...(e.before !== undefined ? { before: e.before } : {}),
    ...(e.after !== undefined ? { after: e.after } : {}),
    ...(isSensitive(e.before) ? { beforeSensitive: true } : {}),
    ...(isSensitive(e.after) ? { afterSensitive: true } : {}),
    ...(e.after === UNKNOWN ? { afterUnknown: true } : {}),
  }));
}

function changeJson(c: ResourceChange) {
  return {
    address: c.address,
    moduleAddress: c.moduleAddress,
    mode: c.mode,
    type: c.type,
    name: c.name,
    ...(c.index !== undefined ? { index: c.index } : {}),
    action: c.kind,
    actions: c.actions,
    description: actionLabel(c),
    destructive: c.destructive,
    ...(c.replaceOrder ? { replaceOrder: c.replaceOrder } : {}),
    ...(c.actionReason ? { actionReason: c.actionReason } : {}),
    ...(c.replacePaths ? { replacePaths: c.replacePaths } : {}),
    ...(c.previousAddress ? { previousAddress: c.previousAddress } : {}),
    ...(c.importing ? { importing: c.importing } : {}),
    ...(c.deposed ? { deposed: c.deposed } : {}),
    diff: diffOf(c.before, c.after),
  };
}

const EXACT = "\u0000sluice-exact:";

/**
 * The review as JSON for machines: counts, changes with masked per-attribute diffs, findings, drift,
 * outputs, deferred changes, checks and status. Masked values appear as "(sensitive)" or
 * "(known after apply)" with a flag beside them; long numbers keep their exact digits.
 */
export function renderJson(review: PlanReview, options: { readonly digest?: string } = {}): string {
  const document = {
    source: review.source,
    formatVersion: review.formatVersion,
    ...(review.terraformVersion ? { terraformVersion: review.terraformVersion } : {}),
    digest: options.digest ?? planDigest(review),
    errored: review.errored,
    complete: review.complete,
    applyable: review.applyable,
    counts: review.counts,
    summary: review.summary,
    findings: review.findings,
    changes: review.changes.map(changeJson),
    drift: review.drift.map(changeJson),
    outputs: review.outputs.map((o) => ({
      name: o.name,
      action: o.kind,
      actions: o.actions,
      sensitive: o.sensitive,
      before: o.before,
      after: o.after,
    })),
    deferred: review.deferred.map((d) => ({ reason: d.reason, change: changeJson(d.change) })),
    checks: review.checks,
    notes: review.notes,
    warnings: review.warnings,
  };
  const text = JSON.stringify(
    document,
    function (this: Record<string, unknown>, key: string, value: unknown) {
      const raw = this[key];
      if (raw instanceof ExactNumber) return `${EXACT}${raw.digits}`;
      if (isMasked(raw)) return maskLabel(raw);
      return value;
    },
    2,
  );
  // Long numbers go out as bare JSON numbers with every digit.
  return `${maskSecrets(text.replace(/"\\u0000sluice-exact:([-+.0-9eE]+)"/g, "$1"))}\n`;
}
