import { NameChecker } from "../../core/glossary/check.ts";
import { GlossaryError } from "../../core/glossary/parse.ts";
import { checkGlossaryTokens } from "../../environments/glossary-tokens.ts";
import { environments } from "../../environments/index.ts";
import { formatIssues, validateEnvironments } from "../../environments/validate.ts";
import { repositoryGlossary } from "../../modules/naming/repository-glossary.ts";
import { type Command, ExitCode, UserError } from "../command.ts";

export const envCheck: Command = {
  path: ["env", "check"],
  summary: "Validate the environments in environments/",
  help: `Usage: sluice env check

Validates dev, staging and prod (environments/*.ts): field formats, node group sizes,
overlapping VPC CIDRs and the protections prod requires, and the words names are built from
against glossary.md as synth does (the environment name is an environment term; node group,
queue and app-client names are glossary terms). Every problem is printed at once with its file,
field path and value.

Exit codes: 0 valid, 1 problems found, 2 glossary.md unusable.`,
  async run(args, io) {
    if (args.length > 0) throw new UserError(`takes no arguments, got '${args.join(" ")}'`);
    const issues = [...validateEnvironments(environments), ...glossaryIssues(environments)];
    if (issues.length > 0) {
      io.stderr(`${formatIssues(issues)}\n${issues.length} problem(s)\n`);
      return ExitCode.findings;
    }
    io.stdout(`${environments.map((e) => e.config.name).join(", ")}: valid\n`);
    return ExitCode.ok;
  },
};

/** Glossary problems of the environments' words, as synth would find them. */
export function glossaryIssues(envs: Parameters<typeof checkGlossaryTokens>[0]) {
  let checker: NameChecker;
  try {
    checker = new NameChecker(repositoryGlossary());
  } catch (error) {
    if (error instanceof GlossaryError) throw new UserError(error.message);
    throw error;
  }
  return checkGlossaryTokens(envs, checker);
}
