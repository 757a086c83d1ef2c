import { actionLabel, KIND_ORDER } from "../actions.ts";
import { moduleOf } from "../address.ts";
import { attributeDiff } from "../diff.ts";
import { planDigest } from "../digest.ts";
import { type RiskFinding, SEVERITIES } from "../findings.ts";
import { displayValue } from "../format.ts";
import { maskSecrets } from "../secrets.ts";
import type { PlanReview, ResourceChange } from "../types.ts";
import { byModuleInReviewOrder, countColumns, inReviewOrder, oneLine } from "./common.ts";

export interface MarkdownOptions {
  /** Hard limit on the length of the result (GitHub rejects comments over 65,536). @default 60000 */
  readonly maxChars?: number;
  /** Most diff lines shown per change. @default 40 */
  readonly maxDiffLines?: number;
  /** Digest to print; computed when absent. */
  readonly digest?: string;
  /** A Markdown section on the plan's cost (core/cost costSection), shown after the header. */
  readonly costSection?: string;
}

/** An inline code span that survives backticks in the text. */
export function code(text: string): string {
  const clean = oneLine(text);
  const longest = Math.max(0, ...(clean.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  const pad = clean.startsWith("`") || clean.endsWith("`") ? " " : "";
  return `${fence}${pad}${clean}${pad}${fence}`;
}

/** Text safe inside a table cell. */
function cell(text: string): string {
  return text.replace(/\|/g, "\\|");
}

function html(text: string): string {
  return oneLine(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function fenceFor(body: string): string {
  const longest = Math.max(2, ...(body.match(/`+/g) ?? []).map((run) => run.length));
  return "`".repeat(longest + 1);
}

const ICON: Record<string, string> = {
  critical: "🛑 critical",
  high: "🔴 high",
  medium: "🟠 medium",
  low: "🟡 low",
  info: "ℹ️ info",
};

function header(review: PlanReview): string {
  const lines = ["### Terraform plan review", ""];
  if (review.errored)
    lines.push("> [!CAUTION]\n> Terraform reported errors while planning: this plan is partial.\n");
  if (!review.complete)
    lines.push("> [!WARNING]\n> The plan is incomplete: some changes are deferred to a later plan.\n");
  if (!review.applyable)
    lines.push("> [!NOTE]\n> Terraform marks this plan as not applyable (nothing to apply).\n");
  for (const note of review.notes) lines.push(`> ${note}`, "");
  const shown = countColumns(review.counts);
  lines.push(
    `| ${shown.map((c) => c.label).join(" | ")} |`,
    `|${shown.map(() => "---:").join("|")}|`,
    `| ${shown.map((c) => String(review.counts[c.kind])).join(" | ")} |`,
    "",
  );
  if (review.changes.length === 0) lines.push("No resource changes.", "");
  return `${lines.join("\n")}\n`;
}

function severitySummary(findings: readonly RiskFinding[]): string {
  return SEVERITIES.map((s) => [s, findings.filter((f) => f.severity === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`)
    .join(", ");
}

/**
 * Addresses as a list: in full, or grouped under their module (shorter when many share a module),
 * capped at `cap` addresses with a count of the rest.
 */
function addressList(addresses: readonly string[], grouped: boolean, cap: number): string {
  const shown = addresses.slice(0, cap);
  const more = addresses.length - shown.length;
  const tail = more > 0 ? `, …and ${more} more` : "";
  if (!grouped) return `${shown.map((a) => (a ? code(a) : "(plan)")).join(", ")}${tail}`;
  const modules = new Map<string, string[]>();
  for (const address of shown) {
    const module = address ? moduleOf(address) : "";
    const local = module && address.startsWith(`${module}.`) ? address.slice(module.length + 1) : address;
    modules.set(module, [...(modules.get(module) ?? []), local ? code(local) : "(plan)"]);
  }
  const groups = [...modules].map(
    ([module, list]) => `${module ? code(module) : "root"}: ${list.join(", ")}`,
  );
  return `${groups.join("; ")}${tail}`;
}

/**
 * Findings, destructive changes and drift at a level of detail: 0 full (tables, reasons, labels);
 * 1 grouped per rule with full addresses; 2 addresses grouped per module; 3 as 2, capped at `cap`.
 */
function mandatory(review: PlanReview, level: number, cap = Number.POSITIVE_INFINITY): string {
  const lines: string[] = [];
  const findings = review.findings;
  const grouped = level >= 2;
  if (findings.length > 0) {
    lines.push(`#### Findings (${findings.length}: ${severitySummary(findings)})`, "");
    if (level === 0) {
      lines.push("| severity | rule | address | reason |", "|---|---|---|---|");
      for (const f of findings) {
        lines.push(
          `| ${ICON[f.severity]} | ${cell(code(f.rule))} | ${f.address ? cell(code(f.address)) : "(plan)"} | ${cell(oneLine(f.reason))} |`,
        );
      }
    } else {
      const groups = new Map<string, RiskFinding[]>();
      for (const f of findings) {
        const key = `${f.severity}\u0000${f.rule}`;
        const list = groups.get(key);
        if (list) list.push(f);
        else groups.set(key, [f]);
      }
      for (const list of groups.values()) {
        const first = list[0] as RiskFinding;
        const addresses = addressList(
          list.map((f) => f.address),
          grouped,
          cap,
        );
        lines.push(
          `- ${ICON[first.severity]} ${code(first.rule)} ×${list.length}: ${cell(addresses)}. E.g. ${oneLine(first.reason)}`,
        );
      }
    }
    lines.push("");
  }
  const destructive = inReviewOrder(review.changes.filter((c) => c.destructive));
  if (destructive.length > 0) {
    lines.push(`#### Destructive changes (${destructive.length})`, "");
    if (level === 0) {
      for (const c of destructive) {
        const reason = c.actionReason ? ` (${oneLine(c.actionReason)})` : "";
        lines.push(`- ${code(c.address)}: **${actionLabel(c)}**${reason}`);
      }
    } else {
      for (const kind of KIND_ORDER) {
        const ofKind = destructive.filter((c) => c.kind === kind);
        if (ofKind.length === 0) continue;
        lines.push(
          `- **${kind}** (${ofKind.length}): ${addressList(
            ofKind.map((c) => c.address),
            grouped,
            cap,
          )}`,
        );
      }
    }
    lines.push("");
  }
  if (review.drift.length > 0) {
    lines.push(`#### Drift: changed outside Terraform (${review.drift.length})`, "");
    if (level === 0) {
      for (const d of review.drift) {
        const paths = attributeDiff(d.before, d.after).map((e) => e.path);
        const listed = paths.slice(0, 10).map(code).join(", ");
        lines.push(
          `- ${code(d.address)}: ${d.actions.join(", ")}${paths.length ? ` (${listed}${paths.length > 10 ? ", …" : ""})` : ""}`,
        );
      }
    } else {
      lines.push(
        addressList(
          review.drift.map((d) => d.address),
          grouped,
          cap,
        ),
      );
    }
    lines.push("");
  }
  return lines.length > 0 ? `${lines.join("\n")}\n` : "";
}

function diffLine(op: string, path: string, before: string | undefined, after: string | undefined): string {
  if (op === "add") return `+ ${path} = ${after}`;
  if (op === "remove") return `- ${path} = ${before}`;
  return `~ ${path} = ${before} -> ${after}`;
}

/** One change with its attribute diff, as Markdown. */
function changeBlock(change: ResourceChange, maxDiffLines: number): string {
  const extra = [
    change.previousAddress ? `moved from ${code(change.previousAddress)}` : "",
    change.importing
      ? `imported${change.importing.id ? ` from id ${code(maskSecrets(change.importing.id))}` : ""}`
      : "",
    change.actionReason ? oneLine(change.actionReason) : "",
    change.replacePaths?.length
      ? `replace forced by ${change.replacePaths.map((p) => code(p.join("."))).join(", ")}`
      : "",
    change.deposed ? `deposed object ${code(change.deposed)}` : "",
  ].filter(Boolean);
  const title = `**${code(change.address)}**: ${actionLabel(change)}${extra.length ? ` (${extra.join("; ")})` : ""}`;
  if (change.kind === "read") return `${title}\n`;
  const entries = attributeDiff(change.before, change.after);
  if (entries.length === 0) return `${title}\n`;
  const lines = entries
    .slice(0, maxDiffLines)
    .map((e) =>
      diffLine(
        e.op,
        oneLine(e.path),
        e.before === undefined ? undefined : displayValue(e.before),
        e.after === undefined ? undefined : displayValue(e.after),
      ),
    );
  if (entries.length > maxDiffLines) lines.push(`# …and ${entries.length - maxDiffLines} more attributes`);
  const body = lines.join("\n");
  const fence = fenceFor(body);
  return `${title}\n\n${fence}diff\n${body}\n${fence}\n`;
}

function outputsSection(review: PlanReview): string {
  const changed = review.outputs.filter((o) => o.kind !== "noop");
  if (changed.length === 0) return "";
  const lines = [`#### Outputs (${changed.length} changing)`, ""];
  for (const o of changed) {
    const value = o.after === null ? "" : ` = ${code(displayValue(o.after, 120))}`;
    lines.push(`- ${code(o.name)}: ${o.kind}${value}`);
  }
  return `${lines.join("\n")}\n\n`;
}

function checksSection(review: PlanReview): string {
  if (review.checks.length === 0) return "";
  const lines = ["#### Checks", ""];
  for (const c of review.checks) {
    const problems = c.problems.length ? `: ${c.problems.map(oneLine).join("; ")}` : "";
    lines.push(`- ${code(c.address || c.kind)}: ${c.status}${problems}`);
  }
  return `${lines.join("\n")}\n\n`;
}

/**
 * The pull-request comment. Always within `maxChars`: the header, the counts, every finding and every
 * destructive change come first; per-module diffs fill the remaining room and the comment says what was cut.
 */
export function renderMarkdown(review: PlanReview, options: MarkdownOptions = {}): string {
  const maxChars = options.maxChars ?? 60_000;
  const maxDiffLines = options.maxDiffLines ?? 40;
  const digest = options.digest ?? planDigest(review);
  const footer = `\n---\nPlan digest ${code(digest)} · plan format ${code(review.formatVersion)}${review.terraformVersion ? ` · terraform ${code(review.terraformVersion)}` : ""}\n`;
  // Room for the "cut" note and for secret masks that lengthen the text.
  const reserve = 600;
  const head = header(review) + (options.costSection ? `\n${options.costSection}` : "");
  let budget = maxChars - reserve - head.length - footer.length;
  let core = "";
  // Each finding or destructive change needs at least ~40 characters at levels 0 and 1: skip levels that cannot fit.
  const entries =
    review.findings.length + review.changes.filter((c) => c.destructive).length + review.drift.length;
  const firstLevel = entries * 40 > budget ? 2 : 0;
  for (const level of [0, 1, 2].filter((l) => l >= firstLevel)) {
    core = mandatory(review, level);
    if (core.length <= budget) break;
  }
  if (core.length > budget) {
    // Cap the address lists: the largest cap that fits.
    let low = 0;
    let high = Math.max(review.findings.length, review.changes.length, review.drift.length);
    while (low < high) {
      const mid = Math.ceil((low + high) / 2);
      if (mandatory(review, 3, mid).length <= budget) low = mid;
      else high = mid - 1;
    }
    core = mandatory(review, 3, low);
  }
  budget -= core.length;

  const parts: string[] = [head, core];
  const cut: string[] = [];
  for (const section of [checksSection(review), outputsSection(review)]) {
    if (section.length <= budget) {
      parts.push(section);
      budget -= section.length;
    } else if (section) {
      cut.push("a section of outputs or checks");
    }
  }
  const detailed = review.changes.filter((c) => c.kind !== "noop");
  let shownChanges = 0;
  if (detailed.length > 0) {
    const title = "#### Changes by module\n\n";
    if (title.length < budget) {
      parts.push(title);
      budget -= title.length;
      const modules = byModuleInReviewOrder(detailed);
      outer: for (const [module, changes] of modules) {
        const open = `<details><summary>${module ? html(module) : "root module"} (${changes.length} change${changes.length === 1 ? "" : "s"})</summary>\n\n`;
        const close = "</details>\n\n";
        if (open.length + close.length >= budget) break;
        const blocks: string[] = [];
        let used = open.length + close.length;
        for (const change of changes) {
          const block = `${changeBlock(change, maxDiffLines)}\n`;
          if (used + block.length > budget) {
            if (blocks.length > 0) parts.push(open, ...blocks, close);
            budget -= used;
            break outer;
          }
          blocks.push(block);
          used += block.length;
          shownChanges++;
        }
        parts.push(open, ...blocks, close);
        budget -= used;
      }
    }
  }
  if (shownChanges < detailed.length) {
    cut.push(`the attribute diffs of ${detailed.length - shownChanges} of ${detailed.length} changes`);
  }
  if (cut.length > 0) {
    parts.push(
      `> [!NOTE]\n> Cut to fit a pull-request comment: ${cut.join("; ")}. Counts, findings and destructive changes are complete above; run \`sluice plan review <plan> --format json\` for everything.\n`,
    );
  }
  parts.push(footer);
  const text = maskSecrets(parts.join(""));
  return text.length <= maxChars
    ? text
    : `${text.slice(0, maxChars - 40)}\n\n…(cut at ${maxChars} characters)\n`;
}
