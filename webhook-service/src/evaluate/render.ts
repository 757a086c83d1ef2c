import type { GlossaryFinding } from "../../../core/glossary/index.ts";
import { type Decision, renderMarkdown } from "../../../core/policy/index.ts";
import type { PullRequestSnapshot } from "../github/pull-request.ts";
import type { PlanReviewRecord } from "../plans/store.ts";

const MAX_FINDINGS = 50;

/** The pull request's one comment: the decision, the plan review summary per stack, the glossary findings. */
export function renderComment(input: {
  snapshot: PullRequestSnapshot;
  decision: Decision | undefined;
  serviceErrors: readonly string[];
  warnings: readonly string[];
  plans: readonly PlanReviewRecord[];
  glossaryFindings: readonly GlossaryFinding[];
}): string {
  const out: string[] = [];
  if (input.serviceErrors.length > 0 || !input.decision) {
    out.push(
      `## ⛔ Change control for ${input.snapshot.repository}#${input.snapshot.number}: blocked`,
      "",
      "Sluice could not evaluate this pull request, so it is not approved:",
      "",
      ...input.serviceErrors.map((e) => `- ${e}`),
      "",
    );
  }
  if (input.decision) out.push(renderMarkdown(input.decision).trimEnd(), "");
  if (input.warnings.length > 0) out.push(...input.warnings.map((w) => `- ⚠️ ${w}`), "");

  out.push("### Plan review", "");
  if (input.plans.length === 0) {
    out.push(
      `No plan uploaded for \`${input.snapshot.headSha.slice(0, 7)}\` yet: the decision stays pending until CI uploads one (\`sluice plan upload\`).`,
      "",
    );
  }
  for (const p of input.plans) {
    out.push(
      `<details><summary>Stack <code>${p.stack}</code>: digest <code>${p.planDigest.slice(0, 19)}</code>, ${p.findings.length} finding(s)</summary>`,
      "",
    );
    out.push(p.summaryMarkdown?.trim() || "(no summary uploaded)", "", "</details>", "");
  }

  out.push("### Glossary", "");
  if (input.glossaryFindings.length === 0) out.push("No naming findings.", "");
  else {
    for (const f of input.glossaryFindings.slice(0, MAX_FINDINGS)) {
      const where = f.line ? `${f.file}:${f.line}` : f.file;
      out.push(
        `- \`${where}\` \`${f.name}\` (${f.rule}): ${f.message}${f.suggestion ? ` Suggestion: \`${f.suggestion}\`` : ""}`,
      );
    }
    if (input.glossaryFindings.length > MAX_FINDINGS) {
      out.push(`- … and ${input.glossaryFindings.length - MAX_FINDINGS} more`);
    }
    out.push("");
  }
  out.push(
    `<sub>Head \`${input.snapshot.headSha}\`. Commands: \`/sluice recheck\`, \`/sluice explain\`, \`/sluice override <reason>\`.</sub>`,
  );
  return out.join("\n");
}
