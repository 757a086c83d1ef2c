import { secureDefaultRules } from "../../core/rules/index.ts";
import { formatViolations, runRules } from "../../core/rules/run.ts";
import { type Command, ExitCode, oneOf, parseOptions, UserError } from "../command.ts";
import { formatAnnotation } from "../github-annotations.ts";
import { readSynthesizedStacks } from "../synth-output.ts";

export const rulesCheck: Command = {
  path: ["rules", "check"],
  summary: "Run the secure-default rule set over synthesized stacks",
  help: `Usage: sluice rules check [PATH] [--format text|json|github]

Runs every secure-default rule (see \`sluice rules list\`) over synthesized Terraform JSON.
PATH is cdktf.out (the default), one stack folder, or one cdk.tf.json file. Anything that is not a
stack cdktf synthesized (a plan, state, other JSON) is refused. A stack's environment, for the
prod-only rules, is read from its content (default tags, backend key), not from its folder name.

--format github prints one GitHub Actions error annotation a violation (title: the rule; message:
stack, address and what is wrong), for a workflow step.

Exit codes: 0 no violation, 1 violations found, 2 unusable input.

Example:
  npm run synth && npx sluice rules check cdktf.out --format json`,
  async run(args, io) {
    const { values, positionals } = parseOptions("rules check", {
      args: [...args],
      allowPositionals: true,
      options: { format: { type: "string" } },
    });
    const format = oneOf("format", values.format, ["text", "json", "github"], "text");
    if (positionals.length > 1) throw new UserError(`expected at most one PATH, got ${positionals.length}`);
    const stacks = readSynthesizedStacks(positionals[0] ?? "cdktf.out", io.cwd);
    const violations = runRules(stacks, secureDefaultRules);
    if (format === "json") {
      io.stdout(`${JSON.stringify({ stacks: stacks.map((s) => s.name), violations }, null, 2)}\n`);
    } else if (format === "github") {
      // Synthesized stacks are build output, not files of the pull request: the annotations go on the run.
      for (const v of violations) {
        const where = [v.stack, v.address].filter((p) => p !== "").join(" ");
        io.stdout(
          `${formatAnnotation({ level: "error", title: `rules/${v.rule}`, message: `${where}: ${v.message}` })}\n`,
        );
      }
      io.stdout(`${violations.length} violation(s) in ${stacks.length} stack(s)\n`);
    } else if (violations.length > 0) {
      io.stdout(
        `${formatViolations(violations)}\n${violations.length} violation(s) in ${stacks.length} stack(s)\n`,
      );
    } else {
      io.stdout(`no violations: ${secureDefaultRules.length} rules over ${stacks.length} stack(s)\n`);
    }
    return violations.length > 0 ? ExitCode.findings : ExitCode.ok;
  },
};

export const rulesList: Command = {
  path: ["rules", "list"],
  summary: "List the secure-default rules",
  help: "Usage: sluice rules list\n\nPrints each rule's id and what it enforces.",
  async run(args, io) {
    if (args.length > 0) throw new UserError(`takes no arguments, got '${args.join(" ")}'`);
    const width = Math.max(0, ...secureDefaultRules.map((r) => r.id.length));
    io.stdout(`${secureDefaultRules.map((r) => `${r.id.padEnd(width)}  ${r.description}`).join("\n")}\n`);
    return ExitCode.ok;
  },
};
