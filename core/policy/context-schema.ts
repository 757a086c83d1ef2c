import { z } from "zod";
import { largestFitting } from "../bisect.ts";
import { CHANGE_KINDS, SEVERITIES } from "../plan/findings.ts";
import { isUtf16, UTF16_MESSAGE, withoutBom } from "../text-encoding.ts";
import type { ChangeContext } from "./context.ts";
import type { ParseResult } from "./parse.ts";
import { LocatedDocument, type SourceError } from "./source-errors.ts";

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
  override: z
    .strictObject({ by: login, reason: z.string(), rules: z.array(z.string().min(1)).min(1).optional() })
    .optional(),
});

/** True when `prefix` is valid JSON or could still become valid JSON (it ends early, nothing is wrong yet). */
function viablePrefix(prefix: string): boolean {
  try {
    JSON.parse(prefix);
    return true;
  } catch (error) {
    // JSON.parse throws only SyntaxError.
    const message = (error as SyntaxError).message;
    const at = /at position (\d+)/.exec(message);
    return (
      /Unexpected end of JSON input|Unterminated string/.test(message) ||
      (at !== null && Number(at[1]) >= prefix.length)
    );
  }
}

/**
 * Where JSON.parse gave up, as one located error: the first character after the longest prefix that could
 * still be JSON (found by bisection, as Node 20 does not always say where). The input is not quoted.
 */
function jsonSyntaxError(text: string, fileName: string): SourceError {
  const truncated = viablePrefix(text);
  // Not truncated, the whole text is not viable: the first bad character ends the longest viable prefix.
  // Stryker disable next-line ArithmeticOperator: a higher bound only adds a step: a prefix longer than the text is the text, not viable
  const longestViable = () => largestFitting(0, text.length - 1, (n) => viablePrefix(text.slice(0, n)));
  const offset = truncated ? text.trimEnd().length : longestViable();
  const char = text.charAt(offset);
  const problem = truncated
    ? "the JSON ends early (truncated?)"
    : /[\x21-\x7e]/.test(char)
      ? `unexpected '${char}'`
      : "unexpected character";
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  const column = offset - (before.lastIndexOf("\n") + 1) + 1;
  return {
    file: fileName,
    line,
    column,
    path: "",
    message: `not valid JSON: ${problem} (a change context is JSON)`,
  };
}

/** Parses a change context from JSON text (JSON only), with file:line errors. */
export function parseContext(raw: string, fileName: string): ParseResult<ChangeContext> {
  if (isUtf16(raw)) {
    return { ok: false, errors: [{ file: fileName, line: 1, column: 1, path: "", message: UTF16_MESSAGE }] };
  }
  const text = withoutBom(raw);
  try {
    JSON.parse(text);
  } catch {
    return { ok: false, errors: [jsonSyntaxError(text, fileName)] };
  }
  const doc = new LocatedDocument(fileName, text);
  if (doc.syntaxErrors.length > 0) return { ok: false, errors: doc.syntaxErrors };
  const parsed = contextSchema.safeParse(doc.value);
  if (!parsed.success) return { ok: false, errors: doc.zodErrors(parsed.error.issues) };
  const { $schema: _schema, description: _description, ...context } = parsed.data;
  const value: ChangeContext = context;
  return { ok: true, value };
}
