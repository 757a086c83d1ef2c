import type { Severity } from "../plan/findings.ts";
import type { CompiledRule } from "./compile.ts";
import type { ChangeContext } from "./context.ts";
import { costCondition } from "./cost.ts";
import type { Facts } from "./facts.ts";
import type { Roster } from "./people.ts";

/** Whether a rule applies: yes, no, or "unknown" when a plan condition cannot be read without a current plan. */
export interface Applicability {
  readonly applies: boolean | "unknown";
  readonly why: readonly string[];
}

type Outcome = { readonly result: boolean | "unknown"; readonly why: string };

const SEVERITY_RANK: Record<Severity, number> = { info: 0, low: 1, medium: 2, high: 3, critical: 4 };

const NO_PLAN = "no current plan to read";

/**
 * Evaluates a rule's `if`: every condition must hold. Stops at the first condition that does not
 * (cheap conditions are checked first), so a rule that does not apply says why in one line.
 */
export function applies(
  compiled: CompiledRule,
  context: ChangeContext,
  facts: Facts,
  roster: Roster,
): Applicability {
  const w = compiled.rule.when;
  const why: string[] = [];
  let unknown = false;
  const checks: (() => Outcome | undefined | false)[] = [
    () => w.labels && labels(w.labels, facts),
    () => compiled.baseBranches && baseBranch(compiled, context),
    () => w.authorTeams && authorIn(w.authorTeams, context, roster, true),
    () => w.authorNotInTeams && authorIn(w.authorNotInTeams, context, roster, false),
    () => w.size && size(w.size, context, facts),
    () => w.policyFilesChanged !== undefined && policyFiles(w.policyFilesChanged, facts),
    () => w.environments && environments(w.environments, facts),
    () => w.glossaryFindings && glossary(w.glossaryFindings.rules, context),
    () => w.planFindings && planFindings(w.planFindings, facts, w.environments),
    () => w.plan && planChanges(compiled, facts),
    () => w.cost && costCondition(w.cost, w.environments, facts.cost),
    () => compiled.include && changedFiles(compiled, context),
  ];
  for (const check of checks) {
    const outcome = check();
    if (!outcome) continue;
    if (outcome.result === false) return { applies: false, why: [outcome.why] };
    if (outcome.result === "unknown") unknown = true;
    why.push(outcome.why);
  }
  if (why.length === 0) why.push("every pull request (the rule has no conditions)");
  return { applies: unknown ? "unknown" : true, why };
}

function labels(wanted: readonly string[], facts: Facts): Outcome {
  const hit = wanted.filter((l) => facts.labels.has(l.toLowerCase()));
  return hit.length > 0
    ? { result: true, why: `has label ${hit.map((l) => `'${l}'`).join(", ")}` }
    : { result: false, why: `has none of the labels ${wanted.map((l) => `'${l}'`).join(", ")}` };
}

function baseBranch(compiled: CompiledRule, context: ChangeContext): Outcome {
  // Only called when the rule has base_branches, so both are set.
  const ok = (compiled.baseBranches as (p: string) => boolean)(context.baseBranch);
  const list = (compiled.rule.when.baseBranches as readonly string[]).join(", ");
  return ok
    ? { result: true, why: `targets ${context.baseBranch}` }
    : { result: false, why: `targets ${context.baseBranch}, not ${list}` };
}

function authorIn(
  teams: readonly string[],
  context: ChangeContext,
  roster: Roster,
  wantIn: boolean,
): Outcome {
  const member = teams.filter((t) => roster.inTeam(context.author, t));
  const handles = teams.map((t) => roster.teamHandle(t)).join(", ");
  if (wantIn) {
    return member.length > 0
      ? {
          result: true,
          why: `the author @${context.author} is in ${member.map((t) => roster.teamHandle(t)).join(", ")}`,
        }
      : { result: false, why: `the author @${context.author} is not in ${handles}` };
  }
  return member.length === 0
    ? { result: true, why: `the author @${context.author} is not in ${handles}` }
    : {
        result: false,
        why: `the author @${context.author} is in ${member.map((t) => roster.teamHandle(t)).join(", ")}`,
      };
}

function size(s: { filesOver?: number; linesOver?: number }, context: ChangeContext, facts: Facts): Outcome {
  const parts: string[] = [];
  if (s.filesOver !== undefined && context.files.length > s.filesOver) {
    parts.push(`changes ${context.files.length} files (more than ${s.filesOver})`);
  }
  if (s.linesOver !== undefined && facts.totalLines > s.linesOver) {
    parts.push(`changes ${facts.totalLines} lines (more than ${s.linesOver})`);
  }
  return parts.length > 0
    ? { result: true, why: parts.join(" and ") }
    : {
        result: false,
        why: `is small: ${context.files.length} files, ${facts.totalLines} lines`,
      };
}

function policyFiles(wanted: boolean, facts: Facts): Outcome {
  const changed = facts.policyFiles.length > 0;
  const list = facts.policyFiles.join(", ");
  if (wanted) {
    return changed
      ? { result: true, why: `changes change-control files: ${list}` }
      : {
          result: false,
          why: "changes no change-control file (change-control.yaml, glossary.md, CODEOWNERS)",
        };
  }
  return changed
    ? { result: false, why: `changes change-control files: ${list}` }
    : { result: true, why: "changes no change-control file" };
}

function environments(wanted: readonly string[], facts: Facts): Outcome {
  const hit = wanted.filter((e) => facts.environments.has(e));
  if (hit.length > 0) {
    return {
      result: true,
      why: `touches ${hit.map((e) => `${e} (${facts.environments.get(e)?.join("; ")})`).join(", ")}`,
    };
  }
  const unknown = wanted.filter((e) => facts.environmentsUnknown.has(e));
  if (unknown.length > 0) {
    return { result: "unknown", why: `may touch ${unknown.join(", ")}: ${NO_PLAN}, so assumed to` };
  }
  return { result: false, why: `touches none of ${wanted.join(", ")}` };
}

function glossary(rules: readonly string[] | undefined, context: ChangeContext): Outcome {
  type Hit = ChangeContext["glossaryFindings"][number];
  const hits = context.glossaryFindings.filter((f) => !rules || rules.includes(f.rule));
  if (hits.length === 0) {
    return {
      result: false,
      why: rules ? `no glossary findings of ${rules.join(", ")}` : "no glossary findings",
    };
  }
  const first = [...hits].sort(
    (a, b) => a.file.localeCompare(b.file) || (a.line ?? 0) - (b.line ?? 0),
  )[0] as Hit;
  const where = ` (first: ${first.rule} '${first.name}' in ${first.file}${first.line ? `:${first.line}` : ""})`;
  return { result: true, why: `the glossary check found ${hits.length} finding(s)${where}` };
}

/**
 * With `environments` in the same condition, plan facts count only where they belong to one of those
 * environments (by stack or address), so a delete in a dev stack does not trigger a prod rule just because
 * the pull request also touches prod. A change no environment claims counts for every one (fail closed).
 */
function inEnvironments(
  wanted: readonly string[] | undefined,
  facts: Facts,
): ((stack: string, address: string) => boolean) | undefined {
  if (!wanted) return undefined;
  return (stack, address) => {
    const claimed = facts.environmentsOf(stack, address);
    return claimed.size === 0 || wanted.some((e) => claimed.has(e));
  };
}

function envNote(wanted: readonly string[] | undefined): string {
  return wanted ? ` in ${wanted.join(", ")}` : "";
}

function planFindings(
  p: { severityAtLeast?: Severity; rules?: readonly string[] },
  facts: Facts,
  environments: readonly string[] | undefined,
): Outcome {
  if (!facts.currentPlan) return { result: "unknown", why: `plan findings: ${NO_PLAN}, so assumed to apply` };
  const min = p.severityAtLeast ? SEVERITY_RANK[p.severityAtLeast] : 0;
  const belongs = inEnvironments(environments, facts);
  const hits = facts.currentPlan.stacks
    .flatMap((s) => (belongs ? s.facts.findings.filter((f) => belongs(s.name, f.address)) : s.facts.findings))
    .filter((f) => SEVERITY_RANK[f.severity] >= min && (!p.rules || p.rules.includes(f.rule)))
    .sort(
      (a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || a.address.localeCompare(b.address),
    );
  const wanted = `${p.severityAtLeast ? `severity ${p.severityAtLeast} or above` : "any severity"}${p.rules ? `, rules ${p.rules.join(", ")}` : ""}${envNote(environments)}`;
  const first = hits[0];
  if (!first) return { result: false, why: `plan review found no finding of ${wanted}` };
  return {
    result: true,
    why: `plan review found ${hits.length} finding(s) of ${wanted} (first: ${first.severity} ${first.rule}${first.address ? ` on ${first.address}` : ""})`,
  };
}

function planChanges(compiled: CompiledRule, facts: Facts): Outcome {
  if (!facts.currentPlan)
    return { result: "unknown", why: `planned changes: ${NO_PLAN}, so assumed to apply` };
  const p = compiled.rule.when.plan ?? {};
  const environments = compiled.rule.when.environments;
  const belongs = inEnvironments(environments, facts);
  let first: { address: string; kind: string } | undefined;
  let count = 0;
  // A plan has few resource types and many changes: each type is matched against the globs once.
  const typeMatches = new Map<string, boolean>();
  const typeMatcher = compiled.resourceTypes;
  for (const stack of facts.currentPlan.stacks) {
    for (const c of stack.facts.changes) {
      if (c.kind === "noop") continue;
      if (p.actions && !p.actions.includes(c.kind)) continue;
      if (typeMatcher) {
        let ok = typeMatches.get(c.type);
        // Stryker disable next-line ConditionalExpression: a cache; matching the type again gives the same answer
        if (ok === undefined) {
          ok = typeMatcher(c.type);
          // Stryker disable next-line CallExpression: a cache; without it each change matches its type again, same answer
          typeMatches.set(c.type, ok);
        }
        if (!ok) continue;
      }
      if (compiled.addresses && !compiled.addresses(c.address)) continue;
      if (belongs && !belongs(stack.name, c.address)) continue;
      count++;
      if (!first || c.address < first.address) first = { address: c.address, kind: c.kind };
    }
  }
  const wanted = [
    p.actions && `actions ${p.actions.join("/")}`,
    p.resourceTypes && `types ${p.resourceTypes.join(", ")}`,
    p.addresses && `addresses ${p.addresses.join(", ")}`,
    environments && `stacks of ${environments.join(", ")}`,
  ]
    .filter(Boolean)
    .join("; ");
  return first
    ? {
        result: true,
        why: `the plan has ${count} matching change(s)${wanted ? ` (${wanted})` : ""}, e.g. ${first.kind} ${first.address}`,
      }
    : { result: false, why: `the plan has no change matching ${wanted || "any change"}` };
}

function changedFiles(compiled: CompiledRule, context: ChangeContext): Outcome {
  const include = compiled.include as (p: string) => boolean;
  const exclude = compiled.exclude as (p: string) => boolean;
  const globs = (compiled.rule.when.changedFiles as { include: readonly string[] }).include.join(", ");
  for (const file of context.files) {
    if (include(file.path) && !exclude(file.path)) {
      return { result: true, why: `changes ${file.path} (matches ${globs})` };
    }
  }
  return { result: false, why: `changes no file matching ${globs}` };
}
