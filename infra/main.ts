import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
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
 * `npx cdktf synth` runs this same file through cdktf.json (it sets CDKTF_OUTDIR); `npx cdktf synth --hcl`
 * writes HCL, after the rules have passed on the JSON form.
 */
function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

const issues = validateEnvironments(environments);
if (issues.length > 0) fail(`Invalid environment configuration:\n${formatIssues(issues)}`);

const outdir = process.env.SLUICE_OUTDIR || process.env.CDKTF_OUTDIR || "cdktf.out";
// `cdktf synth --hcl` sets SYNTH_HCL_OUTPUT: stacks are then written as HCL (cdk.tf), which the rule set
// cannot read. The rules run over a JSON synth of the same app in a temporary folder; the HCL goes to outdir.
const hclVariable = process.env.SYNTH_HCL_OUTPUT;
const hcl = hclVariable === "true" || hclVariable === "1";

function synth(into: string, asHcl: boolean): void {
  // cdktf reads the variable itself (App and every stack), so it is set for exactly this synth.
  if (asHcl) process.env.SYNTH_HCL_OUTPUT = "true";
  else delete process.env.SYNTH_HCL_OUTPUT;
  try {
    const app = new App({ outdir: into });
    buildPlatform(
      app,
      environments.map((e) => e.config),
    );
    app.synth();
  } catch (error) {
    fail(
      `Synth failed${asHcl ? " (HCL output)" : ""}: ${error instanceof Error ? error.message : String(error)}`,
    );
  } finally {
    if (hclVariable === undefined) delete process.env.SYNTH_HCL_OUTPUT;
    else process.env.SYNTH_HCL_OUTPUT = hclVariable;
  }
}

const checked = hcl ? mkdtempSync(join(tmpdir(), "sluice-synth-json-")) : outdir;
let stacks: ReturnType<typeof readSynthesizedStacks>;
try {
  synth(checked, false);
  try {
    stacks = readSynthesizedStacks(checked, process.cwd());
  } catch (error) {
    fail(`Synth output unreadable: ${error instanceof Error ? error.message : String(error)}`);
  }
} finally {
  if (hcl) rmSync(checked, { recursive: true, force: true });
}
const violations = runRules(stacks, secureDefaultRules);
if (violations.length > 0) {
  fail(`Secure-default rule violations:\n${formatViolations(violations)}\n${violations.length} violation(s)`);
}
if (hcl) synth(outdir, true);
process.stdout.write(
  `Synthesized ${stacks.length} stacks into ${outdir}/stacks${hcl ? " as HCL (cdk.tf)" : ""}: ${stacks.map((s) => s.name).join(", ")}\n` +
    `${secureDefaultRules.length} secure-default rules: no violations${hcl ? " (checked on the JSON form of the same stacks)" : ""}\n`,
);
