import { App } from "cdktf";
import { readSynthesizedStacks } from "../cli/synth-output.ts";
import { secureDefaultRules } from "../core/rules/index.ts";
import { formatViolations, runRules } from "../core/rules/run.ts";
import { environments } from "../environments/index.ts";
import { formatIssues, validateEnvironments } from "../environments/validate.ts";
import { buildPlatform } from "./app.ts";

/**
 * `npm run synth`: validate the environments, synthesize every stack, then run the secure-default
 * rule set over what was written. Any problem exits 1 with every issue listed and no stack trace.
 * `npx cdktf synth` runs this same file through cdktf.json (it sets CDKTF_OUTDIR).
 */
function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

const issues = validateEnvironments(environments);
if (issues.length > 0) fail(`Invalid environment configuration:\n${formatIssues(issues)}`);

const outdir = process.env.SLUICE_OUTDIR || process.env.CDKTF_OUTDIR || "cdktf.out";
const app = new App({ outdir });
try {
  buildPlatform(
    app,
    environments.map((e) => e.config),
  );
  app.synth();
} catch (error) {
  fail(`Synth failed: ${error instanceof Error ? error.message : String(error)}`);
}

const stacks = readSynthesizedStacks(outdir, process.cwd());
const violations = runRules(stacks, secureDefaultRules);
if (violations.length > 0) {
  fail(`Secure-default rule violations:\n${formatViolations(violations)}\n${violations.length} violation(s)`);
}
process.stdout.write(
  `Synthesized ${stacks.length} stacks into ${outdir}/stacks: ${stacks.map((s) => s.name).join(", ")}\n` +
    `${secureDefaultRules.length} secure-default rules: no violations\n`,
);
