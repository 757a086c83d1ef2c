import { largestFitting } from "../../bisect.ts";
import { actionLabel, KIND_ORDER } from "../actions.ts";
import { attributeDiff } from "../diff.ts";
import { planDigest } from "../digest.ts";
import { type RiskFinding, SEVERITIES } from "../findings.ts";
import { displayValue } from "../format.ts";
import { summaryLine } from "../review.ts";
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
  if (review.warnings.length > 0) {
    const shown = review.warnings.slice(0, 10).map((w) => `> - ${oneLine(w)}`);
    if (review.warnings.length > 10) shown.push(`> - …and ${review.warnings.length - 10} more warnings`);
    lines.push(`> [!WARNING]\n> Parts of the plan could not be read as expected:\n${shown.join("\n")}\n`);
  }
  const shown = countColumns(review.counts);
  lines.push(
    `| ${shown.map((c) => c.label).join(" | ")} |`,
    `|${shown.map(() => "---:").join("|")}|`,
    `| ${shown.map((c) => String(review.counts[c.kind])).join(" | ")} |`,
    "",
    `Terraform's summary: ${summaryLine(review.summary)}`,
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

const urgent = (f: RiskFinding) => f.severity === "critical" || f.severity === "high";

/** What a compact list left out, for the note at the end. */
interface Cut {
  readonly what: string;
  readonly total: number;
  readonly shown: number;
}

/** A list as one item a line under its heading line, at most `cap` items, then how many more. */
function itemLines(items: readonly string[], cap: number, what: string, cuts: Cut[]): string[] {
  const shown = items.slice(0, cap);
  const lines = shown.map((item) => `  - ${item}`);
  if (shown.length < items.length) {
    lines.push(`  - …and ${items.length - shown.length} more`);
    cuts.push({ what, total: items.length, shown: shown.length });
  }
  return lines;
}

const addressItem = (address: string) => (address ? code(address) : "(plan)");

/**
 * Critical and high findings, one a line with their resource and reason: they come first and are never
 * cut (unless `urgentCap` says otherwise, when nothing else fits). `full` gives every finding this way.
 */
function urgentSection(review: PlanReview, full: boolean, urgentCap: number, cuts: Cut[]): string {
  const findings = review.findings;
  if (findings.length === 0) return "";
  const lines = [`#### Findings (${findings.length}: ${severitySummary(findings)})`, ""];
  if (full) {
    lines.push("| severity | rule | address | reason |", "|---|---|---|---|");
    for (const f of findings) {
      lines.push(
        `| ${ICON[f.severity]} | ${cell(code(f.rule))} | ${f.address ? cell(code(f.address)) : "(plan)"} | ${cell(oneLine(f.reason))} |`,
      );
    }
    return `${lines.join("\n")}\n\n`;
  }
  const first = findings.filter(urgent);
  for (const f of first.slice(0, urgentCap)) {
    lines.push(`- ${ICON[f.severity]} ${code(f.rule)} ${addressItem(f.address)}: ${oneLine(f.reason)}`);
  }
  if (first.length > urgentCap) {
    lines.push(`- …and ${first.length - urgentCap} more critical or high findings`);
    cuts.push({ what: "critical and high findings", total: first.length, shown: urgentCap });
  }
  return `${lines.join("\n")}\n\n`;
}

/**
 * Medium, low and info findings grouped per rule, then destructive changes and drift: one address a line,
 * each list capped at `cap` addresses. Empty when `full` (the findings table already holds them).
 */
function listSections(review: PlanReview, full: boolean, cap: number, cuts: Cut[]): string {
  const lines: string[] = [];
  if (!full) {
    const groups = new Map<string, RiskFinding[]>();
    for (const f of review.findings.filter((f) => !urgent(f))) {
      const key = `${f.severity}\u0000${f.rule}`;
      const list = groups.get(key);
      if (list) list.push(f);
      else groups.set(key, [f]);
    }
    for (const list of groups.values()) {
      const first = list[0] as RiskFinding;
      lines.push(
        `- ${ICON[first.severity]} ${code(first.rule)} ×${list.length}, e.g. ${oneLine(first.reason)}`,
      );
      lines.push(
        ...itemLines(
          list.map((f) => addressItem(f.address)),
          cap,
          `${first.severity} ${first.rule} findings`,
          cuts,
        ),
      );
    }
    if (lines.length > 0) lines.push("");
  }
  const destructive = inReviewOrder(review.changes.filter((c) => c.destructive));
  if (destructive.length > 0) {
    lines.push(`#### Destructive changes (${destructive.length})`, "");
    if (full) {
      for (const c of destructive) {
        const reason = c.actionReason ? ` (${oneLine(c.actionReason)})` : "";
        lines.push(`- ${code(c.address)}: **${actionLabel(c)}**${reason}`);
      }
    } else {
      for (const kind of KIND_ORDER) {
        const ofKind = destructive.filter((c) => c.kind === kind);
        if (ofKind.length === 0) continue;
        lines.push(`- **${kind}** (${ofKind.length}):`);
        lines.push(
          ...itemLines(
            ofKind.map((c) => code(c.address)),
            cap,
            `${kind} changes`,
            cuts,
          ),
        );
      }
    }
    lines.push("");
  }
  if (review.drift.length > 0) {
    lines.push(`#### Drift: changed outside Terraform (${review.drift.length})`, "");
    if (full) {
      for (const d of review.drift) {
        const paths = attributeDiff(d.before, d.after).map((e) => e.path);
        const listed = paths.slice(0, 10).map(code).join(", ");
        lines.push(
          `- ${code(d.address)}: ${d.actions.join(", ")}${paths.length ? ` (${listed}${paths.length > 10 ? ", …" : ""})` : ""}`,
        );
      }
    } else {
      lines.push(
        ...itemLines(
          review.drift.map((d) => code(d.address)),
          cap,
          "drifted resources",
          cuts,
        ).map((l) => l.slice(2)),
      );
    }
    lines.push("");
  }
  return lines.length > 0 ? `${lines.join("\n")}\n` : "";
}

function diffLine(op: string, path: string, before: string, after: string): string {
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
    // A side that is absent ("add" has no before, "remove" no after) is not shown.
    .map((e) => diffLine(e.op, oneLine(e.path), displayValue(e.before), displayValue(e.after)));
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

const critOpen = (n: number) => `#### Critical changes (${n})\n\n`;

/**
 * Diffs of the changes with a critical finding, within `room`: as many diff lines each as fit (down to
 * one); only when even that does not fit, as many changes as fit.
 */
function criticalDiffs(
  critical: readonly ResourceChange[],
  maxDiffLines: number,
  room: number,
): { text: string; shown: readonly ResourceChange[]; lines: number } {
  if (critical.length === 0) return { text: "", shown: [], lines: maxDiffLines };
  const open = critOpen(critical.length);
  const blocks = (lines: number) => critical.map((c) => `${changeBlock(c, lines)}\n`);
  const size = (lines: number) => open.length + blocks(lines).reduce((n, b) => n + b.length, 0);
  const fits = (l: number) => size(l) <= room;
  const lines = fits(maxDiffLines) ? maxDiffLines : largestFitting(1, maxDiffLines, fits);
  const all = blocks(lines);
  let used = open.length;
  let count = 0;
  while (count < all.length && used + (all[count] as string).length <= room)
    used += (all[count++] as string).length;
  if (count === 0) return { text: "", shown: [], lines };
  return { text: `${open}${all.slice(0, count).join("")}`, shown: critical.slice(0, count), lines };
}

/**
 * The pull-request comment, always within `maxChars`. First the counts, then every critical and high
 * finding with its resource, then the other findings, destructive changes and drift (one address a line,
 * capped when long), then the diff of every change with a critical finding, then the other diffs per module
 * as room allows. The note at the end says what was cut and only calls complete what is.
 */
export function renderMarkdown(review: PlanReview, options: MarkdownOptions = {}): string {
  const maxChars = options.maxChars ?? 60_000;
  const maxDiffLines = options.maxDiffLines ?? 40;
  const digest = options.digest ?? planDigest(review);
  const footer = `\n---\nPlan digest ${code(digest)} · plan format ${code(review.formatVersion)}${review.terraformVersion ? ` · terraform ${code(review.terraformVersion)}` : ""}\n`;
  // Room for the "cut" note and for secret masks that lengthen the text.
  const reserve = 1200;
  const head = header(review) + (options.costSection ? `\n${options.costSection}` : "");
  let budget = maxChars - reserve - head.length - footer.length;

  const criticalAt = new Set(review.findings.filter((f) => f.severity === "critical").map((f) => f.address));
  const critical = inReviewOrder(
    review.changes.filter((c) => c.kind !== "noop" && criticalAt.has(c.address)),
  );
  let crit = criticalDiffs(critical, maxDiffLines, Number.POSITIVE_INFINITY);
  let cuts: Cut[] = [];
  let core = "";
  // Each finding or destructive change needs at least ~40 characters in full: skip that form when it cannot fit.
  const entries =
    review.findings.length + review.changes.filter((c) => c.destructive).length + review.drift.length;
  if (entries * 40 <= budget) {
    core = urgentSection(review, true, 0, cuts) + listSections(review, true, 0, cuts);
  }
  if (core === "" || core.length + crit.text.length > budget) {
    cuts = [];
    // Stryker disable next-line MethodExpression: any upper bound at or above the urgent count gives the same cap (the section stops growing there)
    const urgentCount = review.findings.filter(urgent).length;
    const urgentFits = (cap: number) => urgentSection(review, false, cap, []).length <= budget / 2;
    const urgentCap = urgentFits(urgentCount) ? urgentCount : largestFitting(0, urgentCount, urgentFits);
    const first = urgentSection(review, false, urgentCap, cuts);
    const room = budget - first.length;
    const lists = listSections(review, false, Number.POSITIVE_INFINITY, []);
    // When the lists and every critical diff fit, room - lists.length holds them all: the same diffs again.
    crit = criticalDiffs(critical, maxDiffLines, Math.max(Math.floor(room / 2), room - lists.length));
    const listRoom = room - crit.text.length;
    const longest = Math.max(review.findings.length, review.changes.length, review.drift.length);
    const cap =
      lists.length <= listRoom
        ? longest
        : largestFitting(0, longest, (c) => listSections(review, false, c, []).length <= listRoom);
    core = first + listSections(review, false, cap, cuts);
  }
  budget -= core.length + crit.text.length;

  const parts: string[] = [head, core, crit.text];
  const cut: string[] = cuts.map((c) => `the list of ${c.what} (${c.shown} of ${c.total} shown)`);
  if (crit.shown.length < critical.length) {
    cut.push(`the diffs of ${critical.length - crit.shown.length} of ${critical.length} critical changes`);
  } else if (crit.lines < maxDiffLines) {
    cut.push(`the diffs of critical changes to ${crit.lines} line(s) each`);
  }
  for (const section of [checksSection(review), outputsSection(review)]) {
    if (section.length <= budget) {
      parts.push(section);
      budget -= section.length;
    } else if (section) {
      cut.push("a section of outputs or checks");
    }
  }
  // Critical changes have their own section (and their own line in the note when some did not fit).
  const criticalSet = new Set(critical);
  const detailed = review.changes.filter((c) => c.kind !== "noop" && !criticalSet.has(c));
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
        // A module that has no room for its first change is left out below, with the rest.
        const blocks: string[] = [];
        let used = open.length + close.length;
        for (const change of changes) {
          const block = `${changeBlock(change, maxDiffLines)}\n`;
          if (used + block.length > budget) {
            if (blocks.length > 0) parts.push(open, ...blocks, close);
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
    cut.push(`the attribute diffs of ${detailed.length - shownChanges} of ${detailed.length} other changes`);
  }
  if (cut.length > 0) {
    const complete = ["the counts"];
    if (!cuts.some((c) => c.what === "critical and high findings"))
      complete.push("every critical and high finding");
    if (cuts.length === 0) complete.push("every other finding, destructive change and drifted resource");
    if (critical.length > 0 && crit.shown.length === critical.length)
      complete.push("a diff of every critical change");
    parts.push(
      `> [!NOTE]\n> Cut to fit a pull-request comment: ${cut.join("; ")}. Shown in full above: ${complete.join(", ")}. Run \`sluice plan review <plan> --format json\` for everything.\n`,
    );
  }
  parts.push(footer);
  const text = maskSecrets(parts.join(""));
  return text.length <= maxChars
    ? text
    : `${text.slice(0, maxChars - 40)}\n\n…(cut at ${maxChars} characters)\n`;
}
