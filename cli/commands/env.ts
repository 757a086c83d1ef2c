import { environments } from "../../environments/index.ts";
import { formatIssues, validateEnvironments } from "../../environments/validate.ts";
import { type Command, ExitCode, UserError } from "../command.ts";

export const envCheck: Command = {
  path: ["env", "check"],
  summary: "Validate the environments in environments/",
  help: `Usage: sluice env check

Validates dev, staging and prod (environments/*.ts): field formats, node group sizes,
overlapping VPC CIDRs and the protections prod requires. Every problem is printed at once
with its file, field path and value.

Exit codes: 0 valid, 1 problems found.`,
  async run(args, io) {
    if (args.length > 0) throw new UserError(`takes no arguments, got '${args.join(" ")}'`);
    const issues = validateEnvironments(environments);
    if (issues.length > 0) {
      io.stderr(`${formatIssues(issues)}\n${issues.length} problem(s)\n`);
      return ExitCode.findings;
    }
    io.stdout(`${environments.map((e) => e.config.name).join(", ")}: valid\n`);
    return ExitCode.ok;
  },
};
