import { actionLabel } from "../actions.ts";
import { attributeDiff } from "../diff.ts";
import { planDigest } from "../digest.ts";
import { displayValue } from "../format.ts";
import { summaryLine } from "../review.ts";
import { maskSecrets } from "../secrets.ts";
import type { PlanReview, ResourceChange, ReviewKind } from "../types.ts";
import { countColumns, inReviewOrder, oneLine } from "./common.ts";

export interface TextOptions {
  /** Use ANSI colours. @default false */
  readonly color?: boolean;
  /** Digest to print; computed when absent. */
  readonly digest?: string;
}

const CODES = { red: 31, green: 32, yellow: 33, magenta: 35, cyan: 36, bold: 1, dim: 2 } as const;

type Paint = (style: keyof typeof CODES, text: string) => string;

const KIND_STYLE: Partial<Record<ReviewKind, keyof typeof CODES>> = {
  create: "green",
  update: "yellow",
  delete: "red",
  replace: "magenta",
  unknown: "red",
  import: "cyan",
  move: "cyan",
  forget: "yellow",
};

const SEVERITY_STYLE = { critical: "red", high: "red", medium: "yellow", low: "cyan", info: "dim" } as const;

function changeLines(change: ResourceChange, paint: Paint): string[] {
  const style = KIND_STYLE[change.kind] ?? "dim";
  const extra = [
    change.previousAddress ? `moved from ${oneLine(change.previousAddress)}` : "",
    change.actionReason ?? "",
    change.deposed ? `deposed ${change.deposed}` : "",
  ].filter(Boolean);
  const lines = [
    `${paint(style, paint("bold", oneLine(change.address)))}: ${paint(style, actionLabel(change))}${extra.length ? ` (${extra.join("; ")})` : ""}`,
  ];
  if (change.kind === "read") return lines;
  for (const e of attributeDiff(change.before, change.after)) {
    const path = oneLine(e.path);
    if (e.op === "add") lines.push(paint("green", `    + ${path} = ${displayValue(e.after, 400)}`));
    else if (e.op === "remove") lines.push(paint("red", `    - ${path} = ${displayValue(e.before, 400)}`));
    else
      lines.push(
        paint("yellow", `    ~ ${path} = ${displayValue(e.before, 400)} -> ${displayValue(e.after, 400)}`),
      );
  }
  return lines;
}

/** The review for a terminal: counts, findings, then every change with its diff (no truncation). */
export function renderText(review: PlanReview, options: TextOptions = {}): string {
  const paint: Paint = options.color
    ? (style, text) => `\u001b[${CODES[style]}m${text}\u001b[0m`
    : (_s, text) => text;
  const out: string[] = [paint("bold", "Terraform plan review"), ""];
  if (review.errored)
    out.push(paint("red", "! Terraform reported errors while planning: this plan is partial."));
  if (!review.complete) out.push(paint("yellow", "! The plan is incomplete: some changes are deferred."));
  for (const note of review.notes) out.push(paint("dim", note));
  for (const warning of review.warnings) out.push(paint("yellow", `warning: ${oneLine(warning)}`));
  out.push(
    countColumns(review.counts)
      .map((c) => `${c.label} ${review.counts[c.kind]}`)
      .join(", "),
    summaryLine(review.summary),
    "",
  );
  if (review.findings.length > 0) {
    out.push(paint("bold", `Findings (${review.findings.length}):`));
    for (const f of review.findings) {
      out.push(
        `  ${paint(SEVERITY_STYLE[f.severity], f.severity.padEnd(8))} ${f.rule}  ${f.address ? oneLine(f.address) : "(plan)"}: ${oneLine(f.reason)}`,
      );
    }
    out.push("");
  }
  const shown = inReviewOrder(review.changes.filter((c) => c.kind !== "noop"));
  if (shown.length > 0) {
    out.push(paint("bold", "Changes:"));
    for (const change of shown) out.push(...changeLines(change, paint));
    out.push("");
  }
  if (review.drift.length > 0) {
    out.push(paint("bold", "Drift (changed outside Terraform):"));
    for (const d of review.drift) out.push(...changeLines(d, paint));
    out.push("");
  }
  const outputs = review.outputs.filter((o) => o.kind !== "noop");
  if (outputs.length > 0) {
    out.push(paint("bold", "Outputs:"));
    for (const o of outputs) out.push(`  ${oneLine(o.name)}: ${o.kind} = ${displayValue(o.after, 200)}`);
    out.push("");
  }
  for (const c of review.checks)
    out.push(
      `check ${c.address || c.kind}: ${c.status}${c.problems.length ? `: ${c.problems.join("; ")}` : ""}`,
    );
  out.push(`Plan digest ${options.digest ?? planDigest(review)}`);
  return `${maskSecrets(out.join("\n"))}\n`;
}
