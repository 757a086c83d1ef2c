/**
 * Pattern masks for well-known secret shapes that providers fail to mark sensitive. Applied to every
 * string value a renderer shows and, as a last line of defence, to every rendered output as a whole.
 * Masks work on raw text and on JSON-escaped text alike (replacements contain no quote or backslash).
 */

interface SecretPattern {
  readonly name: string;
  readonly pattern: RegExp;
  /** Index of the capture group holding the secret; 0 masks the whole match. */
  readonly group: number;
}

const PATTERNS: readonly SecretPattern[] = [
  {
    name: "private-key",
    // A whole PEM block, or a BEGIN line with the key material after it when the END line is missing.
    pattern:
      /-----BEGIN [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----(?:[\s\S]*?-----END [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----|[A-Za-z0-9+/=\s\\:,-]*)/g,
    group: 0,
  },
  { name: "aws-access-key-id", pattern: /\b(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z0-9]{16}\b/g, group: 0 },
  {
    name: "aws-secret-access-key",
    pattern:
      // "aws_secret_access_key" needs no word of its own: the match starts at "secret" and the rest stays.
      /(secret_?access_?key)(["'\s:=\\]{1,6})([A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])/gi,
    group: 3,
  },
  { name: "github-token", pattern: /\b(?:ghp|gho|ghs|ghu|ghr)_[A-Za-z0-9]{30,}\b/g, group: 0 },
  { name: "github-token", pattern: /\bgithub_pat_[A-Za-z0-9_]{22,}/g, group: 0 },
  { name: "slack-token", pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}/g, group: 0 },
  {
    name: "slack-webhook",
    pattern: /https:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9/_-]+/g,
    group: 0,
  },
  { name: "jwt", pattern: /\beyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{10,}/g, group: 0 },
  {
    name: "url-credentials",
    pattern: /(\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@"'\\]+:)([^\s@"'\\/]+)(@)/gi,
    group: 2,
  },
  {
    name: "password-assignment",
    pattern: /\b(password|passwd|pwd|secret|api[_-]?key|access[_-]?token|auth[_-]?token)(=)([^\s&"'\\,;]+)/gi,
    group: 3,
  },
];

/**
 * A cheap test that lets most strings skip the patterns: the case-sensitive patterns' fixed parts, matched
 * case-sensitively (matched without case, "A[KSBC3]…" took every "action" and "assume" for a key id), and the
 * case-insensitive patterns' words without case.
 */
// Stryker disable next-line Regex: a broader prefilter only sends more text to the patterns (narrower ones are killed)
const MAYBE_SECRET_EXACT = /PRIVATE KEY|A[KSBC3][A-Z0-9]{3}|gh[pousr]_|github_pat_|xox|hooks\.slack|eyJ/;
const MAYBE_SECRET_ANY_CASE = /secret|:\/\/|pass|pwd|key|token/i;

/** The text with every well-known secret shape replaced by "(masked <kind>)". */
export function maskSecrets(text: string): string {
  // Stryker disable next-line ConditionalExpression: `false` only drops the fast path: text it skips matches no pattern
  if (!MAYBE_SECRET_EXACT.test(text) && !MAYBE_SECRET_ANY_CASE.test(text)) return text;
  let out = text;
  for (const { name, pattern, group } of PATTERNS) {
    pattern.lastIndex = 0;
    // Patterns with a group are written as consecutive groups covering the whole match.
    out = out.replace(pattern, (...args: unknown[]) => {
      if (group === 0) return `(masked ${name})`;
      const groups = args.slice(1, -2) as (string | undefined)[];
      // join() writes a group that took no part (undefined) as "".
      return groups.map((g, i) => (i + 1 === group ? `(masked ${name})` : g)).join("");
    });
  }
  return out;
}
