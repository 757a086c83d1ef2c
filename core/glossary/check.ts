import type { GlossaryFinding } from "./findings.ts";
import type { Glossary, Term } from "./glossary.ts";
import { isShortenHash, shortenName } from "./shorten.ts";
import { closestTokens } from "./suggest.ts";
import { checkLimits, type NameTarget, TARGETS } from "./targets.ts";
import { literalText, splitTokens, splitWords } from "./tokens.ts";

/** `/aws/rds/instance/<identifier>/<log>` and `/aws/containerinsights/<cluster>/<log>`, named by AWS. */
const AWS_FIXED_LOG_GROUP = /^\/aws\/(?:rds\/instance|containerinsights)\/([^/]+)\/[a-z]+$/;
/** One name found somewhere, with the target whose rules apply to it. */
export interface NameUse {
  readonly file: string;
  readonly line?: number;
  /** Where in the file, e.g. a Terraform address; shown in messages. */
  readonly address?: string;
  readonly name: string;
  readonly target: NameTarget;
  /** Check tokens against the glossary; defaults to the target's setting (tag keys are exempt). */
  readonly tokens?: boolean;
  /**
   * The name holds Terraform references (`${…}`) whose values are known only at apply: its limits cannot
   * be checked, but the words written around the references must still be glossary terms.
   */
  readonly partial?: boolean;
}

export type TokenVerdict =
  | { readonly kind: "ok" }
  | { readonly kind: "deprecated"; readonly replacement: Term; readonly namesOnly: boolean }
  | { readonly kind: "unknown"; readonly suggestions: readonly string[] };

const OK: TokenVerdict = { kind: "ok" };

/**
 * Tokens of their own kind, not words: numbers (indexes, account ids) and availability-zone suffixes
 * (`1a`, as in `subnet-1a`). Region names and zone ids are taken out of a name whole before it is split.
 */
const OWN_KIND = /^(?:\d+|\d[a-f])$/;
const REGION =
  /(?<![A-Za-z0-9])(?:us|eu|ap|sa|ca|me|af|il|mx|cn)-(?:gov-|iso-|isob-)?(?:north|south|east|west|central|northeast|northwest|southeast|southwest)-\d{1,2}[a-f]?(?![A-Za-z0-9])/gi;
const ZONE_ID = /(?<![A-Za-z0-9])[a-z]{3,4}\d{1,2}-az\d{1,2}(?![A-Za-z0-9])/gi;

/**
 * Checks names against one glossary. Builds the token map once; a token's verdict (including the
 * edit-distance suggestions for unknown tokens) is computed once per distinct token and cached, so
 * checking n names costs O(total tokens).
 */
export class NameChecker {
  private readonly verdicts = new Map<string, TokenVerdict>();
  private readonly vocabulary: readonly string[];

  constructor(readonly glossary: Glossary) {
    // Deprecated synonyms are candidates too ('databse' is close to 'database'), mapped to their term.
    // Stryker disable next-line MethodExpression: closestTokens orders its candidates itself (distance, then name)
    this.vocabulary = [...glossary.tokens.keys(), ...glossary.synonyms.keys()].sort();
  }

  /** The verdict on one lowercase token. */
  token(token: string): TokenVerdict {
    let verdict = this.verdicts.get(token);
    if (verdict) return verdict;
    if (this.glossary.tokens.has(token) || OWN_KIND.test(token)) {
      verdict = OK;
    } else {
      const synonym = this.glossary.synonyms.get(token);
      verdict = synonym
        ? { kind: "deprecated", replacement: synonym.term, namesOnly: synonym.scope === "names" }
        : { kind: "unknown", suggestions: this.suggest(token) };
    }
    this.verdicts.set(token, verdict);
    return verdict;
  }

  private suggest(token: string): string[] {
    const out: string[] = [];
    for (const candidate of closestTokens(token, this.vocabulary, 6)) {
      const term = this.glossary.synonyms.get(candidate)?.term.term ?? candidate;
      if (!out.includes(term)) out.push(term);
    }
    return out.slice(0, 3);
  }

  /** Every rule `use.name` breaks: the target's limits, then each token not in the glossary. */
  check(use: NameUse): GlossaryFinding[] {
    const findings: GlossaryFinding[] = [];
    const { name, target } = use;
    const where = use.address ? `${use.address}: ` : "";
    const base = {
      file: use.file,
      ...(use.line !== undefined ? { line: use.line } : {}),
      name,
      target,
    };
    const spec = TARGETS[target];
    for (const v of use.partial ? [] : checkLimits(name, target)) {
      const suggestion = limitSuggestion(name, target, v.rule);
      findings.push({
        ...base,
        rule: v.rule,
        message: `${where}${target} name '${name}' ${v.message}`,
        ...(suggestion !== undefined ? { suggestion } : {}),
      });
    }
    if (!(use.tokens ?? spec.glossaryTokens)) return findings;
    if (this.glossary.external.has(name.toLowerCase())) return findings;
    // AWS-required affixes are not words: the `alias/` of KMS aliases, the `.fifo` of FIFO queues and topics.
    let tokenSource = use.partial ? literalText(name) : name;
    if (target === "kms-alias" && tokenSource.startsWith("alias/")) tokenSource = tokenSource.slice(6);
    if (tokenSource.endsWith(".fifo")) tokenSource = tokenSource.slice(0, -5);
    // Log groups whose names AWS fixes around one identifier of ours (RDS log exports, Container
    // Insights): the service path and log type are AWS's words, only the identifier is checked.
    const fixed = target === "log-group" ? AWS_FIXED_LOG_GROUP.exec(tokenSource) : null;
    if (fixed?.[1]) tokenSource = fixed[1];
    let tokens = splitTokens(tokenSource);
    // Region names and zone ids are looked for only once a word is not a term (rare), then the name is
    // split again without them; nothing has been reported yet at that point.
    // Stryker disable next-line StringLiteral: a fast path only: every region name and zone id has a "-", so without one the search below finds nothing and the tokens stay the same
    let regionsOut = !tokenSource.includes("-");
    let unknown: { token: string; best?: string }[] | undefined;
    let reported: Set<string> | undefined;
    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i] as string;
      const verdict = this.token(token);
      if (verdict.kind === "ok") continue;
      if (!regionsOut) {
        regionsOut = true;
        // Stryker disable next-line StringLiteral: REGION and ZONE_ID match only between non-alphanumerics or the ends, so removing a match instead of blanking it joins no two tokens
        const stripped = tokenSource.replace(REGION, " ").replace(ZONE_ID, " ");
        // Stryker disable next-line ConditionalExpression: a fast path only: splitting an unchanged name again gives the same tokens, and the loop restarts with regionsOut set, so it cannot repeat
        if (stripped !== tokenSource) {
          tokens = splitTokens(stripped);
          i = -1;
          continue;
        }
      }
      if (i === tokens.length - 1 && i > 0 && isShortenHash(token)) continue;
      if (reported?.has(token)) continue;
      reported ??= new Set();
      reported.add(token);
      if (verdict.kind === "deprecated") {
        const term = verdict.replacement.term;
        findings.push({
          ...base,
          rule: "deprecated-synonym",
          message: `${where}'${name}' uses '${token}', a deprecated synonym of the glossary term '${term}'.`,
          suggestion: replaceToken(name, token, term),
        });
        continue;
      }
      unknown ??= [];
      unknown.push({ token, ...(verdict.suggestions[0] ? { best: verdict.suggestions[0] } : {}) });
    }
    if (unknown) findings.push(this.unknownFinding(base, where, name, unknown));
    return findings;
  }

  /** The one finding of a name's unknown tokens (kept out of `check`, which runs for every name). */
  private unknownFinding(
    base: Omit<GlossaryFinding, "rule" | "message">,
    where: string,
    name: string,
    unknown: readonly { token: string; best?: string }[],
  ): GlossaryFinding {
    const only = unknown.length === 1 ? unknown[0] : undefined;
    if (only) {
      const verdict = this.token(only.token) as Extract<TokenVerdict, { kind: "unknown" }>;
      const [best, ...others] = verdict.suggestions;
      return {
        ...base,
        rule: "unknown-token",
        message:
          `${where}'${name}': '${only.token}' is not a glossary term` +
          (best
            ? `; did you mean '${best}'${others.length > 0 ? ` (or ${others.map((o) => `'${o}'`).join(", ")})` : ""}?`
            : ".") +
          " Use a term from glossary.md or add one there.",
        ...(best ? { suggestion: replaceToken(name, only.token, best) } : {}),
      };
    }
    // One finding per name, listing every unknown token; the suggestion replaces each one that has a term.
    const guessed = unknown.filter((u) => u.best !== undefined);
    let suggestion = name;
    for (const u of guessed) suggestion = replaceToken(suggestion, u.token, u.best as string);
    return {
      ...base,
      rule: "unknown-token",
      message:
        `${where}'${name}': ${unknown.map((u) => `'${u.token}'`).join(", ")} are not glossary terms` +
        (guessed.length > 0
          ? `; did you mean ${guessed.map((u) => `'${u.best}' for '${u.token}'`).join(", ")}?`
          : ".") +
        " Use terms from glossary.md or add them there.",
      ...(guessed.length > 0 ? { suggestion } : {}),
    };
  }

  /**
   * Deprecated synonyms in prose (docs, PR titles). Only synonyms deprecated "everywhere" count;
   * words that are merely not terms are fine in prose. URLs are skipped.
   */
  checkText(text: string, file: string, target = "text"): GlossaryFinding[] {
    const findings: GlossaryFinding[] = [];
    const lines = text.split(/\r?\n/);
    let ignoring = false;
    lines.forEach((raw, i) => {
      if (/glossary-ignore-start/.test(raw)) ignoring = true;
      if (/glossary-ignore-end/.test(raw)) {
        ignoring = false;
        return;
      }
      if (ignoring || /glossary-ignore-line/.test(raw)) return;
      // Stryker disable next-line StringLiteral: findings carry the line, not the column, so blanking the URL or cutting it out is the same
      const line = raw.replace(/\b[a-z][a-z0-9+.-]*:\/\/\S+/gi, (url) => " ".repeat(url.length));
      for (const { word } of splitWords(line)) {
        const synonym = this.glossary.synonyms.get(word);
        if (synonym?.scope !== "everywhere") continue;
        findings.push({
          file,
          line: i + 1,
          name: word,
          target,
          rule: "deprecated-synonym",
          message: `'${word}' is a deprecated synonym of the glossary term '${synonym.term.term}'`,
          suggestion: synonym.term.term,
        });
      }
    });
    return findings;
  }
}

/** `name` with the first occurrence of `token` (matched case-insensitively) replaced. */
/** `name` with `token` replaced where it stands as a whole token (so `at` in `that-at` is the second one). */
function replaceToken(name: string, token: string, replacement: string): string {
  const lower = name.toLowerCase();
  let first = -1;
  for (let at = lower.indexOf(token); at >= 0; at = lower.indexOf(token, at + 1)) {
    if (first < 0) first = at;
    if (startsToken(name, at) && startsToken(name, at + token.length)) {
      return name.slice(0, at) + replacement + name.slice(at + token.length);
    }
  }
  // Stryker disable next-line ConditionalExpression: `token` always occurs in `name` (it was split from it), so `first` is never -1 here
  return first < 0 ? name : name.slice(0, first) + replacement + name.slice(first + token.length);
}

/** Whether a token boundary (the ends, a separator, or a lower-to-upper case change) is at index `i`. */
function startsToken(name: string, i: number): boolean {
  const before = name[i - 1];
  const here = name[i];
  if (before === undefined || here === undefined) return true;
  const alnum = /[A-Za-z0-9]/;
  if (!alnum.test(before) || !alnum.test(here)) return true;
  return /[a-z0-9]/.test(before) && /[A-Z]/.test(here);
}

function limitSuggestion(name: string, target: NameTarget, rule: string): string | undefined {
  const spec = TARGETS[target];
  switch (rule) {
    case "too-long":
      return shortenName(name, spec.maxLength, spec.requiredSuffix);
    case "uppercase":
      return name.toLowerCase();
    case "underscore":
      return name.replaceAll("_", "-");
    case "double-hyphen":
      return name.replace(/-{2,}/g, "-");
    case "trailing-hyphen":
      return name.replace(/-+$/, "");
    case "fifo-suffix":
      return `${name}.fifo`;
    // Stryker disable next-line ConditionalExpression: without the default clause the switch falls through to the same undefined
    default:
      return undefined;
  }
}
