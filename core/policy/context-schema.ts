import { z } from "zod";
import { CHANGE_KINDS, SEVERITIES } from "../plan/findings.ts";
import type { ChangeContext } from "./context.ts";
import type { ParseResult } from "./parse.ts";
import { LocatedDocument } from "./source-errors.ts";

const login = z.string().min(1);
const sha = z.string().regex(/^[0-9a-f]{7,64}$/i, "a commit SHA (hex)");
const changeKind = z.enum(CHANGE_KINDS);
const severity = z.enum(SEVERITIES);
const isoTime = z.iso.datetime({
  offset: true,
  error: "an ISO 8601 time such as 2026-06-02T07:30:00Z",
});

const planFacts = z.object({
  digest: z.string().min(1),
  changes: z.array(z.object({ address: z.string(), type: z.string(), kind: changeKind })),
  findings: z.array(
    z.object({
      rule: z.string(),
      severity,
      address: z.string(),
      resourceType: z.string().optional(),
      reason: z.string(),
    }),
  ),
  drift: z.array(z.object({ address: z.string(), type: z.string() })).default([]),
  errored: z.boolean().default(false),
  complete: z.boolean().optional(),
  cost: z
    .strictObject({
      currency: z.literal("USD"),
      pastTotalMonthlyCost: z.string().regex(/^-?\d+(\.\d{1,12})?$/, 'a decimal USD string such as "120.5"'),
      totalMonthlyCost: z.string().regex(/^-?\d+(\.\d{1,12})?$/, 'a decimal USD string such as "120.5"'),
      diffTotalMonthlyCost: z.string().regex(/^-?\d+(\.\d{1,12})?$/, 'a decimal USD string such as "120.5"'),
      drivers: z.array(z.strictObject({ address: z.string(), diffMonthlyCost: z.string() })).optional(),
    })
    .optional(),
});

/** The JSON shape of a change context (camelCase, as in `ChangeContext`); unknown fields are errors. */
export const contextSchema = z.strictObject({
  $schema: z.string().optional(),
  description: z.string().optional(),
  repository: z.string().optional(),
  number: z.number().int().optional(),
  author: login,
  headSha: sha,
  baseBranch: z.string().min(1),
  lastPusher: login,
  labels: z.array(z.string()).default([]),
  commits: z
    .array(
      z.strictObject({
        sha,
        author: login.optional(),
        committer: login.optional(),
        message: z.string().default(""),
      }),
    )
    .default([]),
  files: z
    .array(
      z.strictObject({
        path: z.string().min(1),
        additions: z.number().int().min(0).default(0),
        deletions: z.number().int().min(0).default(0),
      }),
    )
    .default([]),
  reviews: z
    .array(
      z.strictObject({
        user: login,
        state: z.enum(["APPROVED", "CHANGES_REQUESTED", "DISMISSED", "COMMENTED"]),
        commitId: sha,
        submittedAt: isoTime,
        planDigest: z.string().min(1).optional(),
        diffDigest: z.string().min(1).optional(),
      }),
    )
    .default([]),
  organization: z.strictObject({ login: login, members: z.array(login).default([]) }),
  teams: z.record(z.string(), z.array(login)).default({}),
  emails: z.record(z.string(), login).optional(),
  codeowners: z.string().optional(),
  diffDigest: z.string().min(1).optional(),
  plan: z
    .strictObject({
      commit: sha,
      stacks: z.array(z.strictObject({ name: z.string().min(1), facts: planFacts })).min(1),
    })
    .optional(),
  glossaryFindings: z
    .array(
      z.object({
        file: z.string(),
        line: z.number().int().optional(),
        name: z.string(),
        target: z.string(),
        rule: z.string(),
        message: z.string(),
        suggestion: z.string().optional(),
      }),
    )
    .default([]),
  override: z.strictObject({ by: login, reason: z.string() }).optional(),
});

/** Parses a change context from JSON (or YAML) text, with file:line errors. */
export function parseContext(text: string, fileName: string): ParseResult<ChangeContext> {
  const doc = new LocatedDocument(fileName, text);
  if (doc.syntaxErrors.length > 0) return { ok: false, errors: doc.syntaxErrors };
  const parsed = contextSchema.safeParse(doc.value);
  if (!parsed.success) return { ok: false, errors: doc.zodErrors(parsed.error.issues) };
  const { $schema: _schema, description: _description, ...context } = parsed.data;
  const value: ChangeContext = context;
  return { ok: true, value };
}
