import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { costFacts, diffPlan, type PlanCostDiff } from "../../core/cost/diff.ts";
import { type Estimate, estimate, StackInputError } from "../../core/cost/estimate.ts";
import { pricingRegion } from "../../core/cost/plan-cost.ts";
import { type PriceBook, PriceDataError, parsePriceData } from "../../core/cost/prices.ts";
import { costSection, diffJson, diffText, estimateJson, estimateText } from "../../core/cost/render.ts";
import { NO_USAGE, parseUsage, type Usage, UsageError } from "../../core/cost/usage.ts";
import { PlanInputError, parsePlan } from "../../core/plan/parse.ts";
import type { NormalizedPlan } from "../../core/plan/types.ts";
import { type CliIo, type Command, ExitCode, oneOf, parseOptions, UserError } from "../command.ts";
import { readSynthesizedStacks } from "../synth-output.ts";

const FORMATS = ["text", "markdown", "json"] as const;
/** The price book shipped with Sluice. */
export const DEFAULT_PRICES = new URL("../../core/cost/aws-prices.json", import.meta.url);

function readText(path: string | URL, shown: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UserError(
      `${shown}: cannot read (${code === "ENOENT" ? "no such file" : (code ?? "unreadable")})`,
    );
  }
}

/** Reads and validates price data (the shipped file unless --prices is given). */
export function loadPrices(file: string | undefined, io: CliIo): PriceBook {
  const path = file ? resolve(io.cwd, file) : DEFAULT_PRICES;
  const shown = file ?? "core/cost/aws-prices.json";
  try {
    return parsePriceData(readText(path, shown), shown);
  } catch (error) {
    if (error instanceof PriceDataError) throw new UserError(error.message);
    throw error;
  }
}

function loadUsage(file: string, io: CliIo): Usage {
  try {
    return parseUsage(readText(resolve(io.cwd, file), file), file);
  } catch (error) {
    if (error instanceof UsageError) throw new UserError(error.message);
    throw error;
  }
}

/** usage/<env>.yml when it exists, else no usage. */
function defaultUsage(env: string, io: CliIo): Usage {
  const file = `usage/${env}.yml`;
  return existsSync(resolve(io.cwd, file)) ? loadUsage(file, io) : NO_USAGE;
}

export function runEstimate(args: readonly string[], io: CliIo): Estimate {
  const parsed = parseOptions("cost estimate", {
    args: [...args],
    options: {
      env: { type: "string", multiple: true },
      prices: { type: "string" },
      usage: { type: "string" },
      format: { type: "string" },
    },
    allowPositionals: true,
  });
  if (parsed.positionals.length > 1)
    throw new UserError("expects at most one cdktf output folder; see `sluice cost estimate --help`");
  const prices = loadPrices(parsed.values.prices, io);
  const envs = parsed.values.env;
  if (parsed.values.usage && envs?.length !== 1)
    throw new UserError("--usage FILE needs exactly one --env (a usage file is per environment)");
  const stacks = readSynthesizedStacks(parsed.positionals[0] ?? "cdktf.out", io.cwd);
  const usageFile = parsed.values.usage;
  try {
    const all = estimate(stacks, prices, {
      usage: (env) => (usageFile ? loadUsage(usageFile, io) : defaultUsage(env, io)),
    });
    if (!envs) return all;
    const missing = envs.filter((e) => !all.environments.some((x) => x.name === e));
    if (missing.length > 0)
      throw new UserError(
        `--env ${missing.join(", ")}: no such environment (found ${all.environments.map((e) => e.name).join(", ")})`,
      );
    const environments = all.environments.filter((e) => envs.includes(e.name));
    return { ...all, environments, totalMonthlyCost: environments.reduce((t, e) => t + e.monthlyCost, 0n) };
  } catch (error) {
    if (error instanceof StackInputError) throw new UserError(error.message);
    throw error;
  }
}

export const costEstimate: Command = {
  path: ["cost", "estimate"],
  summary:
    "Monthly cost of each environment from the synthesized stacks, with right-sizing findings (offline)",
  help: `Usage: sluice cost estimate [cdktf.out] [--env E ...] [--usage FILE] [--prices FILE] [--format text|markdown|json]

Estimates the on-demand monthly cost of each environment, by stack, by resource and by component, from
the synthesized Terraform JSON (run \`npm run synth\` first), with prices shipped in the repository
(core/cost/aws-prices.json; no network). The region comes from each stack's aws provider. Usage-based
components (GB processed, requests, log ingest, MAUs) are read from usage/<env>.yml when it exists;
otherwise they are listed as "depends on usage" and left out of the totals. See docs/cost.md.

Options:
  --env E         only this environment (repeatable)
  --usage FILE    the usage file (with exactly one --env); default usage/<env>.yml if present
  --prices FILE   another price file of the same shape
  --format F      text (default), markdown or json (Infracost's field names; money as decimal strings)

Exit codes: 0 estimated; 2 unusable input (no stacks, bad usage or price file, bad options).`,
  async run(args, io) {
    const format = oneOf("format", formatOf(args), FORMATS, "text");
    const e = runEstimate(args, io);
    io.stdout(format === "json" ? estimateJson(e) : estimateText(e, format === "markdown"));
    return ExitCode.ok;
  },
};

function formatOf(args: readonly string[]): string | undefined {
  const i = args.findIndex((a) => a === "--format" || a.startsWith("--format="));
  if (i < 0) return undefined;
  const a = args[i] as string;
  return a.includes("=") ? a.slice(a.indexOf("=") + 1) : args[i + 1];
}

/** Prices a plan file (or stdin); exported for the plan review command and the benchmark. */
export function costOfPlanText(
  text: string,
  source: string,
  prices: PriceBook,
  options: { region?: string; usage?: Usage },
): PlanCostDiff {
  let plan: ReturnType<typeof parsePlan>;
  try {
    plan = parsePlan(text, source);
  } catch (error) {
    if (error instanceof PlanInputError) throw new UserError(error.message);
    throw error;
  }
  const region = options.region ?? pricingRegion(plan, text);
  if (!region)
    throw new UserError(
      `${source}: the plan names no aws provider region; pass --region (e.g. --region eu-west-1)`,
    );
  if (!prices.regions.includes(region))
    throw new UserError(`--region ${region}: no prices for it (have ${prices.regions.join(", ")})`);
  return diffPlan(plan, prices, { region, ...(options.usage && { usage: options.usage }) });
}

export const costDiff: Command = {
  path: ["cost", "diff"],
  summary: "Monthly cost before and after each change of a plan (terraform show -json), and the delta",
  help: `Usage: sluice cost diff <plan.json|-> [--region R] [--usage FILE] [--prices FILE] [--format text|markdown|json|facts]

Prices each resource a plan changes before and after, and the delta (a replaced resource counts once on
each side; a deleted one only before, a created one only after). The region comes from the plan's aws
provider configuration, or from each resource's own \`region\` attribute, or --region.

Options:
  --region R      the region when the plan does not say
  --usage FILE    the environment's usage file (see docs/cost.md)
  --prices FILE   another price file of the same shape
  --format F      text (default), markdown, json (Infracost's field names), or facts: the \`cost\` object
                  that goes into the stack's plan facts for \`sluice policy eval\`

Exit codes: 0 priced; 2 unusable input.`,
  async run(args, io) {
    const parsed = parseOptions("cost diff", {
      args: [...args],
      options: {
        region: { type: "string" },
        usage: { type: "string" },
        prices: { type: "string" },
        format: { type: "string" },
      },
      allowPositionals: true,
    });
    const format = oneOf("format", parsed.values.format, [...FORMATS, "facts"] as const, "text");
    if (parsed.positionals.length !== 1)
      throw new UserError("expects one plan file (or - for stdin); see `sluice cost diff --help`");
    const input = parsed.positionals[0] as string;
    const text = input === "-" ? await io.readStdin() : readText(resolve(io.cwd, input), input);
    const prices = loadPrices(parsed.values.prices, io);
    const usage = parsed.values.usage ? loadUsage(parsed.values.usage, io) : undefined;
    const d = costOfPlanText(text, input === "-" ? "stdin" : input, prices, {
      ...(parsed.values.region && { region: parsed.values.region }),
      ...(usage && { usage }),
    });
    io.stdout(
      format === "json"
        ? diffJson(d)
        : format === "facts"
          ? `${JSON.stringify(costFacts(d), null, 2)}\n`
          : diffText(d, format === "markdown"),
    );
    return ExitCode.ok;
  },
};

/** The plan review's cost section: the delta and its top drivers, or why there is none. */
export function planCostSection(plan: NormalizedPlan, text: string, io: CliIo): string {
  const region = pricingRegion(plan, text);
  if (!region)
    return "### Cost\n\nNot estimated: the plan names no aws provider region (see `sluice cost diff --region`).\n";
  const prices = loadPrices(undefined, io);
  if (!prices.regions.includes(region)) return `### Cost\n\nNot estimated: no prices for ${region}.\n`;
  return costSection(diffPlan(plan, prices, { region }));
}
