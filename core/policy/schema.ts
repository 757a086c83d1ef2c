import { z } from "zod";
import { CHANGE_KINDS, SEVERITIES } from "../plan/findings.ts";

/** The YAML shape of change-control.yaml (snake_case, strict: unknown keys are errors). */

const name = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "a lower-case kebab-case name (a-z, 0-9, -)");
const globs = z.array(z.string().min(1)).min(1);
const teamSlug = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9-]*\/[A-Za-z0-9._-]+$/, "a GitHub team slug 'org/team'");
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "a time 'HH:MM' (24-hour)");
/** A window's end may be midnight at the end of the day, "24:00". */
const endTime = z.string().regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, "a time 'HH:MM' (24-hour) or '24:00'");
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "a date 'YYYY-MM-DD'");
const weekday = z.enum(["mon", "tue", "wed", "thu", "fri", "sat", "sun"]);
const changeKind = z.enum(CHANGE_KINDS);
const severity = z.enum(SEVERITIES);

export interface RequirementYaml {
  approvals?: { count: number; from?: { users?: string[]; teams?: string[]; organization?: boolean } };
  distinct_teams?: { count: number; teams?: string[] };
  code_owners?: true;
  all?: RequirementYaml[];
  any?: RequirementYaml[];
}

export const REQUIREMENT_KEYS = ["approvals", "distinct_teams", "code_owners", "all", "any"] as const;

// The parts of a requirement that do not recurse are built once, here, not inside z.lazy: zod builds a lazy schema
// on first use and keeps it, so mutation testing would credit their checks to whichever test parsed a policy first.
const approvalsSchema = z.strictObject({
  count: z.number().int().min(1),
  from: z
    .strictObject({
      users: z.array(z.string().min(1)).optional(),
      teams: z.array(z.string().min(1)).optional(),
      organization: z.boolean().optional(),
    })
    .optional(),
});
const distinctTeamsSchema = z.strictObject({
  count: z.number().int().min(1),
  teams: z.array(z.string().min(1)).optional(),
});
const oneKind = { message: `exactly one of ${REQUIREMENT_KEYS.join(", ")}` };

export const requirementSchema: z.ZodType<RequirementYaml> = z.lazy(() =>
  z
    .strictObject({
      approvals: approvalsSchema.optional(),
      distinct_teams: distinctTeamsSchema.optional(),
      code_owners: z.literal(true).optional(),
      all: z.array(requirementSchema).min(1).optional(),
      any: z.array(requirementSchema).min(1).optional(),
    })
    .refine((r) => REQUIREMENT_KEYS.filter((k) => r[k] !== undefined).length === 1, oneKind),
);

const predicatesSchema = z.strictObject({
  changed_files: z
    .strictObject({ include: globs, exclude: z.array(z.string().min(1)).optional() })
    .optional(),
  environments: z.array(z.string().min(1)).min(1).optional(),
  plan: z
    .strictObject({
      actions: z.array(changeKind).min(1).optional(),
      resource_types: globs.optional(),
      addresses: globs.optional(),
    })
    .optional(),
  plan_findings: z
    .strictObject({ severity_at_least: severity.optional(), rules: z.array(z.string().min(1)).optional() })
    .optional(),
  glossary_findings: z
    .union([z.literal(true), z.strictObject({ rules: z.array(z.string().min(1)).min(1) })], {
      error: "true, or { rules: [glossary rule ids] }",
    })
    .optional(),
  labels: z.array(z.string().min(1)).min(1).optional(),
  base_branches: globs.optional(),
  author_teams: z.array(z.string().min(1)).min(1).optional(),
  author_not_in_teams: z.array(z.string().min(1)).min(1).optional(),
  size: z
    .strictObject({
      files_over: z.number().int().min(0).optional(),
      lines_over: z.number().int().min(0).optional(),
    })
    .optional(),
  policy_files_changed: z.boolean().optional(),
  cost: z
    .strictObject({
      monthly_increase_over: z.number().min(0).optional(),
      percent_increase_over: z.number().min(0).optional(),
    })
    .refine((c) => c.monthly_increase_over !== undefined || c.percent_increase_over !== undefined, {
      message: "monthly_increase_over (USD) and/or percent_increase_over",
    })
    .optional(),
});

const ruleSchema = z.strictObject({
  name,
  description: z.string().optional(),
  enforcement: z.enum(["advisory", "soft-mandatory", "hard-mandatory"]).optional(),
  override_teams: z.array(z.string().min(1)).min(1).optional(),
  if: predicatesSchema.optional(),
  requires: requirementSchema,
});

export const policySchema = z.strictObject({
  version: z.literal(1),
  teams: z.record(name, teamSlug).optional(),
  environments: z
    .record(
      name,
      z.strictObject({
        paths: globs.optional(),
        stacks: globs.optional(),
        addresses: globs.optional(),
      }),
    )
    .optional(),
  separation_of_duties: z
    .strictObject({
      approver_outside_author_teams: z.boolean().optional(),
      ignored_committers: z.array(z.string().min(1)).optional(),
    })
    .optional(),
  change_windows: z
    .array(
      z.strictObject({
        name,
        environments: z.array(z.string().min(1)).optional(),
        time_zone: z.string().min(1),
        days: z.array(weekday).min(1),
        from: hhmm,
        to: endTime,
      }),
    )
    .optional(),
  freezes: z
    .array(
      z.strictObject({
        name,
        environments: z.array(z.string().min(1)).optional(),
        time_zone: z.string().min(1).optional(),
        from: date,
        to: date,
        reason: z.string().min(1),
      }),
    )
    .optional(),
  emergency: z
    .strictObject({
      label: z.string().min(1),
      min_reason_length: z.number().int().min(1).optional(),
      requires: requirementSchema,
    })
    .optional(),
  rules: z.array(ruleSchema).min(1),
});

export type PolicyYaml = z.infer<typeof policySchema>;
