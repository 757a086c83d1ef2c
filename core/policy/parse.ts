import type { Policy, Predicates, Requirement } from "./policy.ts";
import { type PolicyYaml, policySchema, type RequirementYaml } from "./schema.ts";
import { LocatedDocument, type SourceError, sortErrors } from "./source-errors.ts";

export type ParseResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly errors: readonly SourceError[] };

/**
 * Parses and validates change-control.yaml. Every error names file:line:column, the field, the bad value
 * and what was expected; references to undeclared teams and environments are errors too.
 */
export function parsePolicy(yamlText: string, fileName: string): ParseResult<Policy> {
  const doc = new LocatedDocument(fileName, yamlText);
  if (doc.syntaxErrors.length > 0) return { ok: false, errors: doc.syntaxErrors };
  // An empty document (nothing, only comments, or `---`) reads as null; a document with syntax errors returned above.
  if (doc.value === null) {
    return {
      ok: false,
      errors: [doc.errorAt([], "the file is empty, expected a policy with version and rules")],
    };
  }
  const parsed = policySchema.safeParse(doc.value);
  if (!parsed.success) return { ok: false, errors: doc.zodErrors(parsed.error.issues) };
  const errors = checkReferences(parsed.data, doc);
  if (errors.length > 0) return { ok: false, errors: sortErrors(errors) };
  return { ok: true, value: toPolicy(parsed.data, fileName) };
}

function checkReferences(y: PolicyYaml, doc: LocatedDocument): SourceError[] {
  const errors: SourceError[] = [];
  const teams = Object.keys(y.teams ?? {}).sort();
  const envs = Object.keys(y.environments ?? {}).sort();
  /** A check that every name in a list at `path` is declared under `section`. */
  const refsTo =
    (declared: readonly string[], what: string, section: string) =>
    (path: PropertyKey[], list: readonly string[] | undefined) => {
      list?.forEach((name, i) => {
        if (declared.includes(name)) return;
        const known = declared.length > 0 ? declared.join(", ") : "none are declared";
        errors.push(
          doc.errorAt([...path, i], `got "${name}", expected ${what} declared under ${section} (${known})`),
        );
      });
    };
  const teamRef = refsTo(teams, "a team", "teams");
  const envRef = refsTo(envs, "an environment", "environments");
  const requirementRefs = (path: PropertyKey[], r: RequirementYaml) => {
    teamRef([...path, "approvals", "from", "teams"], r.approvals?.from?.teams);
    teamRef([...path, "distinct_teams", "teams"], r.distinct_teams?.teams);
    if (r.distinct_teams) {
      const pool = r.distinct_teams.teams?.length ?? teams.length;
      if (r.distinct_teams.count > pool) {
        errors.push(
          doc.errorAt(
            [...path, "distinct_teams", "count"],
            `got ${r.distinct_teams.count}, expected at most ${pool} (the number of teams it can draw from)`,
          ),
        );
      }
    }
    r.all?.forEach((c, i) => {
      requirementRefs([...path, "all", i], c);
    });
    r.any?.forEach((c, i) => {
      requirementRefs([...path, "any", i], c);
    });
  };

  const seen = new Map<string, number>();
  y.rules.forEach((rule, i) => {
    const path = ["rules", i];
    const first = seen.get(rule.name);
    if (first !== undefined) {
      errors.push(
        doc.errorAt([...path, "name"], `got "${rule.name}", expected a unique name (rules[${first}] has it)`),
      );
    } else seen.set(rule.name, i);
    const enforcement = rule.enforcement ?? "hard-mandatory";
    if (enforcement === "soft-mandatory" && !rule.override_teams) {
      errors.push(
        doc.errorAt(
          [...path, "enforcement"],
          "soft-mandatory needs override_teams: the teams that may override it",
        ),
      );
    }
    if (enforcement !== "soft-mandatory" && rule.override_teams) {
      errors.push(
        doc.errorAt(
          [...path, "override_teams"],
          `only soft-mandatory rules can be overridden, this rule is ${enforcement}`,
          true,
        ),
      );
    }
    teamRef([...path, "override_teams"], rule.override_teams);
    teamRef([...path, "if", "author_teams"], rule.if?.author_teams);
    teamRef([...path, "if", "author_not_in_teams"], rule.if?.author_not_in_teams);
    envRef([...path, "if", "environments"], rule.if?.environments);
    requirementRefs([...path, "requires"], rule.requires);
  });
  if (y.emergency) requirementRefs(["emergency", "requires"], y.emergency.requires);

  const zone = (path: PropertyKey[], tz: string | undefined) => {
    if (tz !== undefined && !isTimeZone(tz)) {
      errors.push(
        doc.errorAt(path, `got "${tz}", expected an IANA time zone such as "Europe/Amsterdam" or "UTC"`),
      );
    }
  };
  y.change_windows?.forEach((w, i) => {
    envRef(["change_windows", i, "environments"], w.environments);
    zone(["change_windows", i, "time_zone"], w.time_zone);
    if (w.from >= w.to) {
      errors.push(
        doc.errorAt(["change_windows", i, "to"], `got "${w.to}", expected a time after from (${w.from})`),
      );
    }
  });
  y.freezes?.forEach((f, i) => {
    envRef(["freezes", i, "environments"], f.environments);
    zone(["freezes", i, "time_zone"], f.time_zone);
    for (const key of ["from", "to"] as const) {
      if (!isCalendarDate(f[key])) {
        errors.push(doc.errorAt(["freezes", i, key], `got "${f[key]}", expected a real calendar date`));
      }
    }
    if (f.from > f.to) {
      errors.push(
        doc.errorAt(["freezes", i, "to"], `got "${f.to}", expected a date on or after from (${f.from})`),
      );
    }
  });
  return errors;
}

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

function isCalendarDate(text: string): boolean {
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text;
}

function toRequirement(r: RequirementYaml): Requirement {
  if (r.approvals) {
    return {
      kind: "approvals",
      count: r.approvals.count,
      users: r.approvals.from?.users ?? [],
      teams: r.approvals.from?.teams ?? [],
      organization: r.approvals.from?.organization ?? false,
    };
  }
  if (r.distinct_teams) {
    return { kind: "distinct-teams", count: r.distinct_teams.count, teams: r.distinct_teams.teams ?? [] };
  }
  if (r.code_owners) return { kind: "code-owners" };
  if (r.all) return { kind: "all", of: r.all.map(toRequirement) };
  if (r.any) return { kind: "any", of: r.any.map(toRequirement) };
  // Stryker disable next-line StringLiteral: unreachable, the schema's refinement lets through exactly one kind
  throw new Error("requirement without a kind (the schema should have rejected it)");
}

function toPredicates(p: NonNullable<PolicyYaml["rules"][number]["if"]> | undefined): Predicates {
  if (!p) return {};
  const out: { -readonly [K in keyof Predicates]: Predicates[K] } = {};
  if (p.changed_files)
    out.changedFiles = { include: p.changed_files.include, exclude: p.changed_files.exclude ?? [] };
  if (p.environments) out.environments = p.environments;
  if (p.plan) {
    out.plan = {
      ...(p.plan.actions && { actions: p.plan.actions }),
      ...(p.plan.resource_types && { resourceTypes: p.plan.resource_types }),
      ...(p.plan.addresses && { addresses: p.plan.addresses }),
    };
  }
  if (p.plan_findings) {
    out.planFindings = {
      ...(p.plan_findings.severity_at_least && { severityAtLeast: p.plan_findings.severity_at_least }),
      ...(p.plan_findings.rules && { rules: p.plan_findings.rules }),
    };
  }
  if (p.glossary_findings) {
    out.glossaryFindings = p.glossary_findings === true ? {} : { rules: p.glossary_findings.rules };
  }
  if (p.labels) out.labels = p.labels;
  if (p.base_branches) out.baseBranches = p.base_branches;
  if (p.author_teams) out.authorTeams = p.author_teams;
  if (p.author_not_in_teams) out.authorNotInTeams = p.author_not_in_teams;
  if (p.cost) {
    out.cost = {
      ...(p.cost.monthly_increase_over !== undefined && {
        monthlyIncreaseOver: p.cost.monthly_increase_over,
      }),
      ...(p.cost.percent_increase_over !== undefined && {
        percentIncreaseOver: p.cost.percent_increase_over,
      }),
    };
  }
  if (p.size) {
    out.size = {
      ...(p.size.files_over !== undefined && { filesOver: p.size.files_over }),
      ...(p.size.lines_over !== undefined && { linesOver: p.size.lines_over }),
    };
  }
  if (p.policy_files_changed !== undefined) out.policyFilesChanged = p.policy_files_changed;
  return out;
}

function toPolicy(y: PolicyYaml, file: string): Policy {
  return {
    file,
    teams: y.teams ?? {},
    environments: Object.fromEntries(
      Object.entries(y.environments ?? {}).map(([k, v]) => [
        k,
        { paths: v.paths ?? [], stacks: v.stacks ?? [], addresses: v.addresses ?? [] },
      ]),
    ),
    separationOfDuties: {
      approverOutsideAuthorTeams: y.separation_of_duties?.approver_outside_author_teams ?? false,
      ignoredCommitters: y.separation_of_duties?.ignored_committers ?? ["web-flow"],
    },
    changeWindows: (y.change_windows ?? []).map((w) => ({
      name: w.name,
      environments: w.environments ?? [],
      timeZone: w.time_zone,
      days: w.days,
      from: w.from,
      to: w.to,
    })),
    freezes: (y.freezes ?? []).map((f) => ({
      name: f.name,
      environments: f.environments ?? [],
      timeZone: f.time_zone ?? "UTC",
      from: f.from,
      to: f.to,
      reason: f.reason,
    })),
    ...(y.emergency && {
      emergency: {
        label: y.emergency.label,
        minReasonLength: y.emergency.min_reason_length ?? 20,
        requires: toRequirement(y.emergency.requires),
      },
    }),
    rules: y.rules.map((r) => ({
      name: r.name,
      ...(r.description !== undefined && { description: r.description }),
      enforcement: r.enforcement ?? "hard-mandatory",
      overrideTeams: r.override_teams ?? [],
      when: toPredicates(r.if),
      requires: toRequirement(r.requires),
    })),
  };
}
