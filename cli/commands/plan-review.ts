import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import type { Severity } from "../../core/plan/findings.ts";
import { PlanInputError, parsePlan } from "../../core/plan/parse.ts";
import { renderJsonChunks } from "../../core/plan/render/json.ts";
import { renderMarkdown } from "../../core/plan/render/markdown.ts";
import { renderText } from "../../core/plan/render/text.ts";
import { reviewPlan, summaryLine } from "../../core/plan/review.ts";
import { maskSecrets } from "../../core/plan/secrets.ts";
import type { PlanReview } from "../../core/plan/types.ts";
import { type Command, ExitCode, oneOf, parseOptions, UserError, useColor } from "../command.ts";
import { type Annotation, formatAnnotation } from "../github-annotations.ts";
import { isTooLongForText, TOO_LARGE } from "../read-text.ts";
import { planCostSection } from "./cost.ts";

const FORMATS = ["markdown", "json", "text", "github"] as const;

const LEVEL: Record<Severity, Annotation["level"]> = {
  critical: "error",
  high: "error",
  medium: "warning",
  low: "notice",
  info: "notice",
};

/**
 * The review as GitHub workflow commands: one annotation a finding (critical and high as errors, medium
 * as warnings, the rest as notices), one a parser warning, then terraform's summary as a notice. A plan
 * names no source line, so the annotations belong to the run, not to a file.
 */
function githubAnnotations(review: PlanReview): string {
  const lines = review.findings.map((f) =>
    formatAnnotation({
      level: LEVEL[f.severity],
      title: `${f.rule} (${f.severity})`,
      message: f.address ? `${f.address}: ${f.reason}` : f.reason,
    }),
  );
  for (const warning of review.warnings) {
    lines.push(
      formatAnnotation({ level: "warning", title: "plan review", message: `${review.source}: ${warning}` }),
    );
  }
  const findings = review.findings.length === 1 ? "1 finding" : `${review.findings.length} findings`;
  lines.push(
    formatAnnotation({
      level: "notice",
      title: "Terraform plan review",
      message: `${summaryLine(review.summary)} ${findings}.`,
    }),
  );
  return `${lines.map(maskSecrets).join("\n")}\n`;
}

const HELP = `Usage: sluice plan review <plan.json|-> [--format markdown|json|text|github]

Reviews the JSON form of a Terraform or OpenTofu plan (\`terraform show -json plan.tfplan\`):
counts per action, destructive and risky changes first, per-attribute diffs grouped per module,
risk findings for the change-control rules, drift, outputs, checks and a digest that binds an
approval to exactly these changes. Sensitive values are never shown.

Arguments:
  <plan.json>   the plan JSON file; "-" reads it from stdin

Options:
  --format markdown   a pull-request comment, always under 60,000 characters (default)
  --format json       everything, for machines: counts, changes, findings, drift, errored
  --format text       for a terminal: coloured only when stdout is a terminal; NO_COLOR=1
                      turns colour off, FORCE_COLOR=1 on (FORCE_COLOR=0 off)
  --format github     GitHub Actions annotations (::error title=…::address: reason), one a
                      finding: critical and high as errors, medium as warnings, the rest as
                      notices, then terraform's summary line as a notice

Exit codes:
  0  the plan was reviewed; findings do not change the exit code (the policy engine decides)
  2  the input is not usable plan JSON (truncated, wrapped in log noise that cannot be
     removed safely, a state file, an HTML page, an unsupported format_version) or bad options

Examples:
  terraform show -json plan.tfplan > plan.json && sluice plan review plan.json
  terraform show -json plan.tfplan | sluice plan review - --format json
`;

export const planReview: Command = {
  path: ["plan", "review"],
  summary: "Review a Terraform plan (terraform show -json): counts, risks, masked diffs",
  help: HELP,
  async run(args, io) {
    const parsed = parseOptions("plan review", {
      args: [...args],
      options: { format: { type: "string" } },
      allowPositionals: true,
    });
    const format = oneOf("format", parsed.values.format, FORMATS, "markdown");
    if (parsed.positionals.length !== 1) {
      throw new UserError("expects one plan file (or - for stdin); see `sluice plan review --help`");
    }
    const input = parsed.positionals[0] as string;
    let text: string;
    let source: string;
    if (input === "-") {
      text = await io.readStdin();
      source = "stdin";
    } else {
      source = input;
      try {
        text = await readFile(resolve(io.cwd, input), "utf8");
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (isTooLongForText(error)) throw new UserError(`${input}: ${TOO_LARGE}`);
        throw new UserError(
          code === "ENOENT"
            ? `${input}: no such file`
            : code === "EISDIR"
              ? `${input}: is a directory`
              : `${input}: cannot read (${code ?? "error"})`,
        );
      }
    }
    let review: ReturnType<typeof reviewPlan>;
    try {
      review = reviewPlan(parsePlan(text, source));
    } catch (error) {
      if (error instanceof PlanInputError) throw new UserError(error.message);
      throw error;
    }
    for (const warning of review.warnings) io.stderr(`sluice plan review: warning: ${source}: ${warning}\n`);
    if (format === "github") {
      io.stdout(githubAnnotations(review));
      return ExitCode.ok;
    }
    if (format === "json") {
      // Written in pieces of about 1 MB: the whole document of a large plan never sits in memory.
      let pending: string[] = [];
      let size = 0;
      for (const chunk of renderJsonChunks(review)) {
        pending.push(chunk);
        size += chunk.length;
        if (size >= 1 << 20) {
          io.stdout(pending.join(""));
          pending = [];
          size = 0;
        }
      }
      io.stdout(pending.join(""));
      return ExitCode.ok;
    }
    io.stdout(
      format === "text"
        ? renderText(review, { color: useColor(io) })
        : renderMarkdown(review, { costSection: planCostSection(review, text, io) }),
    );
    return ExitCode.ok;
  },
};
