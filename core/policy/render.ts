import type { Decision, RuleResult } from "./decision.ts";
import { shortDigest } from "./short-digest.ts";

/** The decision as stable, pretty-printed JSON (key order is fixed by construction). */
export function renderJson(decision: Decision): string {
  return `${JSON.stringify(decision, null, 2)}\n`;
}

const ICON: Record<Decision["state"], string> = { approved: "✅", pending: "⏳", blocked: "⛔" };

function ruleLine(r: RuleResult): string {
  const state =
    r.state === "not-applicable"
      ? "not applicable"
      : r.state === "unsatisfied" && r.effect === "none"
        ? "unsatisfied (advisory, does not block)"
        : r.state;
  return `- **${r.name}** (${r.enforcement}): ${state}`;
}

/** The decision as a pull-request comment: state first, then what to do, then the details. */
export function renderMarkdown(decision: Decision): string {
  const d = decision;
  const out: string[] = [];
  const pr = d.pullRequest;
  const title = pr.repository && pr.number !== undefined ? ` for ${pr.repository}#${pr.number}` : "";
  out.push(`## ${ICON[d.state]} Change control${title}: ${d.state}`, "", d.summary, "");
  if (d.errors.length > 0) {
    out.push("### Errors", "", ...d.errors.map((e) => `- ${e}`), "");
  }
  if (d.unblock.length > 0) {
    out.push("### What would unblock it", "", ...d.unblock.map((u) => `- ${u}`), "");
  }
  out.push(
    "### Facts",
    "",
    `- Head: \`${pr.headSha.slice(0, 7)}\` into \`${pr.baseBranch}\`, author @${pr.author}`,
    `- Plan: ${d.plan.state}: ${d.plan.message}${d.plan.digest ? ` (digest \`${shortDigest(d.plan.digest)}\`)` : ""}`,
    `- Environments: ${d.environments.length > 0 ? d.environments.map((e) => `${e.name} (${e.because.join("; ")})`).join(", ") : "none recognised"}`,
    `- Schedule: ${d.schedule.state}: ${d.schedule.messages.join("; ")}`,
    "",
  );
  if (d.emergency) {
    const e = d.emergency;
    out.push(
      "### Emergency override",
      "",
      `- Label \`${e.label}\`: ${e.accepted ? "accepted" : "not accepted"}${e.by ? `, requested by @${e.by}` : ""}`,
      ...(e.reason ? [`- Reason: ${e.reason}`] : []),
      ...e.messages.map((m) => `- ${m}`),
      "",
    );
  }
  out.push("### Approvals", "");
  if (d.approvals.length === 0) out.push("- No approval counts yet.");
  for (const a of d.approvals) out.push(`- @${a.user} counts: ${a.basis}`);
  for (const n of d.notCounted) out.push(`- ${n.reason}`);
  for (const c of d.changesRequested)
    out.push(`- @${c.user} requested changes on \`${c.commitId.slice(0, 7)}\``);
  out.push("", "### Rules", "");
  for (const r of d.rules) {
    out.push(ruleLine(r));
    for (const w of r.why)
      out.push(`  - ${r.state === "not-applicable" ? "does not apply: " : "applies: "}${w}`);
    if (r.counted.length > 0) out.push(`  - counted: ${r.counted.map((u) => `@${u}`).join(", ")}`);
    for (const n of r.notCounted) out.push(`  - ${n.reason}`);
    for (const u of r.unblock)
      out.push(`  - ${r.effect === "none" ? "would be satisfied by" : "to satisfy"}: ${u}`);
    if (r.override) out.push(`  - overridden by @${r.override.by}: ${r.override.reason}`);
  }
  if (d.warnings.length > 0) out.push("", "### Warnings", "", ...d.warnings.map((w) => `- ${w}`));
  out.push("", `<sub>Policy \`${d.policy}\`, evaluated at ${d.evaluatedAt}.</sub>`, "");
  return out.join("\n");
}
