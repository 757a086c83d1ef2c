import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { planCostFacts } from "../../core/cost/plan-cost.ts";
import { planFacts } from "../../core/plan/facts.ts";
import { PlanInputError, parsePlan } from "../../core/plan/parse.ts";
import { reviewPlan } from "../../core/plan/review.ts";
import { type ChangeContext, type ContextPlan, planDigest, type Review } from "../../core/policy/context.ts";
import { parseContext } from "../../core/policy/context-schema.ts";
import { evaluate } from "../../core/policy/evaluate.ts";
import { parsePolicy } from "../../core/policy/parse.ts";
import { renderJson, renderMarkdown } from "../../core/policy/render.ts";
import { formatSourceError, type SourceError } from "../../core/policy/source-errors.ts";
import { type CliIo, type Command, ExitCode, oneOf, parseOptions, UserError } from "../command.ts";
import { isTooLongForText, TOO_LARGE } from "../read-text.ts";
import { loadPrices } from "./cost.ts";

export const policyEval: Command = {
  path: ["policy", "eval"],
  summary: "Decide a pull request (described as JSON) against change-control.yaml, with what-if approvals",
  help: `Usage: sluice policy eval --policy FILE --context FILE [--plan STACK=PLAN.json ...] [--format markdown|json] [--as-of ISO] [--approve LOGIN ...]

Evaluates the change-control policy over a pull request described as JSON and prints the decision:
approved, pending or blocked, each rule's state, whose approvals counted and whose did not, and what
would unblock it. The context format is documented in docs/change-control.md; examples are in
docs/examples/policy/.

Options:
  --policy FILE     The policy (default: change-control.yaml in the current directory)
  --context FILE    The pull request as JSON ('-' reads standard input); JSON only
  --plan STACK=FILE The plan of one stack, as 'terraform show -json' prints it: its facts (changes,
                    risk findings, digest) are derived by plan review and replace the context's plan,
                    made for the head commit. Repeat for several stacks.
  --format FORMAT   markdown (default) or json (the Decision object)
  --as-of ISO       Evaluate at this time, e.g. 2026-06-02T10:00:00+02:00 (default: now); change
                    windows and freezes depend on it
  --approve LOGIN   What-if: add an approval by LOGIN on the head commit and the current plan, given
                    after every other review. Repeat for several people.

Exit codes: 0 approved, 1 pending or blocked, 2 unusable policy, context or arguments.

Examples:
  sluice policy eval --context docs/examples/policy/prod-approved.json --as-of 2026-06-02T10:00:00+02:00
  sluice policy eval --context pr.json --approve bob --format json
  sluice policy eval --context pr.json --plan prod-platform=plan.json --approve carol`,
  async run(args, io) {
    const { values } = parseOptions("policy eval", {
      args: [...args],
      allowPositionals: false,
      options: {
        policy: { type: "string" },
        context: { type: "string" },
        format: { type: "string" },
        "as-of": { type: "string" },
        approve: { type: "string", multiple: true },
        plan: { type: "string", multiple: true },
      },
    });
    const format = oneOf("format", values.format, ["markdown", "json"], "markdown");
    if (!values.context) throw new UserError("--context FILE is required. Run `sluice policy eval --help`.");
    const now = values["as-of"] === undefined ? new Date() : asOf(values["as-of"]);

    const policyFile = values.policy ?? "change-control.yaml";
    const policy = parsePolicy(await read(policyFile, io), policyFile);
    if (!policy.ok) throw located("the policy is not valid", policy.errors);
    const context = parseContext(await read(values.context, io), values.context);
    if (!context.ok) throw located("the context is not valid", context.errors);

    const planned = values.plan ? withPlans(context.value, await readPlans(values.plan, io)) : context.value;
    const decision = evaluate(policy.value, withApprovals(planned, values.approve ?? [], now), now);
    io.stdout(format === "json" ? renderJson(decision) : renderMarkdown(decision));
    return decision.state === "approved" ? ExitCode.ok : ExitCode.findings;
  },
};

function asOf(text: string): Date {
  const date = new Date(text);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text) || Number.isNaN(date.getTime())) {
    throw new UserError(
      `--as-of: got '${text}', expected an ISO 8601 time such as 2026-06-02T10:00:00+02:00`,
    );
  }
  return date;
}

async function read(file: string, io: CliIo): Promise<string> {
  if (file === "-") return io.readStdin();
  try {
    return readFileSync(resolve(io.cwd, file), "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (isTooLongForText(error)) throw new UserError(`${file}: ${TOO_LARGE}`);
    throw new UserError(
      `${file}: cannot read (${code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a directory, expected a file" : (code ?? "unreadable")})`,
    );
  }
}

function located(what: string, errors: readonly SourceError[]): UserError {
  return new UserError(`${what}:\n${errors.map((e) => `  ${formatSourceError(e)}`).join("\n")}`);
}

/** Adds hypothetical approvals on the head commit, current plan and diff, later than every real review. */
function withApprovals(context: ChangeContext, logins: readonly string[], now: Date): ChangeContext {
  if (logins.length === 0) return context;
  const latest = Math.max(now.getTime(), ...context.reviews.map((r) => Date.parse(r.submittedAt) + 1000));
  const digest = context.plan ? planDigest(context.plan) : undefined;
  const added: Review[] = logins.map((user) => ({
    user: user.replace(/^@/, ""),
    state: "APPROVED",
    commitId: context.headSha,
    submittedAt: new Date(latest).toISOString(),
    ...(digest !== undefined && { planDigest: digest }),
    ...(context.diffDigest !== undefined && { diffDigest: context.diffDigest }),
  }));
  return { ...context, reviews: [...context.reviews, ...added] };
}

/** `--plan STACK=FILE` values: each plan file read and reviewed into the facts the policy tests. */
async function readPlans(specs: readonly string[], io: CliIo): Promise<ContextPlan["stacks"]> {
  const given = new Map<string, string>();
  for (const spec of specs) {
    const match = /^([^=]+)=(.+)$/.exec(spec);
    if (!match) {
      throw new UserError(`--plan: got '${spec}', expected STACK=FILE such as prod-platform=plan.json`);
    }
    const [, name, file] = match as unknown as [string, string, string];
    if (given.has(name)) throw new UserError(`--plan: stack '${name}' is given twice`);
    given.set(name, file);
  }
  const stacks: ContextPlan["stacks"][number][] = [];
  for (const [name, file] of given) {
    const text = await read(file, io);
    try {
      const plan = parsePlan(text, file === "-" ? "stdin" : file);
      const cost = planCostFacts(plan, text, loadPrices(undefined, io));
      stacks.push({ name, facts: { ...planFacts(reviewPlan(plan)), ...(cost && { cost }) } });
    } catch (error) {
      if (error instanceof PlanInputError) throw new UserError(`--plan ${name}: ${error.message}`);
      throw error;
    }
  }
  return stacks;
}

/** The context with its plan replaced by the given stacks, as made for the head commit. */
function withPlans(context: ChangeContext, stacks: ContextPlan["stacks"]): ChangeContext {
  return { ...context, plan: { commit: context.headSha, stacks } };
}
