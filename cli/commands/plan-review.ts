import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { PlanInputError, parsePlan } from "../../core/plan/parse.ts";
import { renderJson } from "../../core/plan/render/json.ts";
import { renderMarkdown } from "../../core/plan/render/markdown.ts";
import { renderText } from "../../core/plan/render/text.ts";
import { reviewPlan } from "../../core/plan/review.ts";
import { type Command, ExitCode, oneOf, parseOptions, UserError } from "../command.ts";
import { planCostSection } from "./cost.ts";

const FORMATS = ["markdown", "json", "text"] as const;

const HELP = `Usage: sluice plan review <plan.json|-> [--format markdown|json|text]

Reviews the JSON form of a Terraform or OpenTofu plan (\`terraform show -json plan.tfplan\`):
counts per action, destructive and risky changes first, per-attribute diffs grouped per module,
risk findings for the change-control rules, drift, outputs, checks and a digest that binds an
approval to exactly these changes. Sensitive values are never shown.

Arguments:
  <plan.json>   the plan JSON file; "-" reads it from stdin

Options:
  --format markdown   a pull-request comment, always under 60,000 characters (default)
  --format json       everything, for machines: counts, changes, findings, drift, errored
  --format text       for a terminal, coloured unless NO_COLOR is set

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
    const color = format === "text" && !io.env.NO_COLOR && io.env.FORCE_COLOR !== "0";
    io.stdout(
      format === "json"
        ? renderJson(review)
        : format === "text"
          ? renderText(review, { color })
          : renderMarkdown(review, { costSection: planCostSection(review, text, io) }),
    );
    return ExitCode.ok;
  },
};
