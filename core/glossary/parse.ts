import {
  type DeprecatedSynonym,
  type ExternalName,
  type Glossary,
  type SynonymScope,
  TERM_KINDS,
  type Term,
  type TermKind,
} from "./glossary.ts";
import { boundedDistance } from "./suggest.ts";

/**
 * Reads glossary.md. The document is for people; these parts of it are also machine-read:
 *
 * - one `Owners: @a, @b` line: who must approve a change to the glossary;
 * - every table whose header is `| Term | Short form | Kind | Definition | Owner | Deprecated synonyms |`;
 * - every table whose header is `| External name | Owner | Why |`.
 *
 * Other tables and prose are ignored. Any problem is reported with file:line, all at once.
 */

export interface GlossaryProblem {
  readonly file: string;
  readonly line: number;
  readonly message: string;
}

export class GlossaryError extends Error {
  constructor(readonly problems: readonly GlossaryProblem[]) {
    super(`glossary is malformed:\n${problems.map((p) => `  ${p.file}:${p.line}: ${p.message}`).join("\n")}`);
    this.name = "GlossaryError";
  }
}

const TERMS_HEADER = ["term", "short form", "kind", "definition", "owner", "deprecated synonyms"];
const EXTERNAL_HEADER = ["external name", "owner", "why"];
const TOKEN = /^[a-z][a-z0-9]*$/;
const EXTERNAL = /^[a-z0-9][a-z0-9._/-]*$/;
const NONE = new Set(["", "-", "—", "–", "n/a", "none"]);
const NAMES_ONLY = /\s*\(names only\)\s*$/i;
const SEPARATOR = /^\s*\|?\s*:?-{3,}/;
const OWNERS_LINE = /^\s*(?:\*\*)?owners(?:\*\*)?\s*:\s*(?:\*\*)?\s*(.*)$/i;

/** Parses glossary.md, throwing a GlossaryError that lists every problem with file:line. */
export function parseGlossary(text: string, file = "glossary.md"): Glossary {
  const problems: GlossaryProblem[] = [];
  const problem = (line: number, message: string) => problems.push({ file, line, message });
  const lines = text.split(/\r?\n/);

  let owners: string[] | undefined;
  const termRows: { cells: string[]; line: number }[] = [];
  const externalRows: { cells: string[]; line: number }[] = [];

  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i] as string;
    const ownersMatch = OWNERS_LINE.exec(raw);
    if (ownersMatch) {
      if (owners) problem(i + 1, "a second 'Owners:' line; the glossary has exactly one");
      // Stryker disable next-line StringLiteral: the group (.*) takes part in every match; the fallback is for the type
      owners = (ownersMatch[1] ?? "")
        .split(",")
        .map((o) => stripCode(o))
        .filter((o) => o.length > 0);
      if (owners.length === 0) problem(i + 1, "'Owners:' lists nobody; expected e.g. 'Owners: @org/team'");
      continue;
    }
    if (!isTableLine(raw)) continue;
    const header = splitRow(raw).map((c) => c.toLowerCase());
    const kind = sameCells(header, TERMS_HEADER)
      ? "terms"
      : sameCells(header, EXTERNAL_HEADER)
        ? "external"
        : "";
    // Skip this table whether or not it is one we read.
    let j = i + 1;
    // Stryker disable next-line StringLiteral: past the last line; any text without dashes fails the test as "" does
    const hasSeparator = SEPARATOR.test(lines[j] ?? "");
    const meant = kind ? undefined : meantHeader(header);
    if (meant) {
      // A misspelt, renamed or extra column must not make the parser skip a table of terms.
      problem(
        i + 1,
        `glossary table header must be exactly | ${meant.join(" | ")} | (case aside), got | ${header.join(" | ")} |`,
      );
    } else if (kind && !hasSeparator) {
      // The header's own line when nothing follows it (the "" after a final newline is no line either).
      const last = j >= lines.length || (j === lines.length - 1 && lines[j] === "");
      problem(last ? i + 1 : j + 1, "table header is not followed by a separator row like '|---|---|'");
    } else if (!kind && !hasSeparator) {
      // In markdown this is not a table at all; usually rows cut off from their table by a blank line.
      problem(
        i + 1,
        "table rows without a header and '|---|' separator row (a blank line inside a table cuts it in two)",
      );
    }
    if (hasSeparator) j++;
    while (j < lines.length && isTableLine(lines[j] as string)) {
      if (kind) {
        const cells = splitRow(lines[j] as string);
        const expected = kind === "terms" ? TERMS_HEADER.length : EXTERNAL_HEADER.length;
        if (cells.length !== expected) {
          problem(j + 1, `table row has ${cells.length} cells, expected ${expected} (${header.join(" | ")})`);
        } else {
          (kind === "terms" ? termRows : externalRows).push({ cells, line: j + 1 });
        }
      }
      j++;
    }
    if (kind && lines[j]?.includes("|")) {
      problem(j + 1, "table row must start with '|'; the table above ends on the line before");
    }
    i = j - 1;
  }

  if (!owners) problem(1, "no 'Owners:' line; expected one like 'Owners: @org/platform, @org/security'");
  if (termRows.length === 0) {
    problem(1, `no term table; expected a table with header | ${TERMS_HEADER.join(" | ")} |`);
  }

  const terms: Term[] = [];
  const tokens = new Map<string, Term>();
  const declaredAt = new Map<string, number>();
  for (const { cells, line } of termRows) {
    const [termCell, shortCell, kindCell, definition, owner, synonymCell] = cells as [
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    const term = stripCode(termCell).toLowerCase();
    const short = stripCode(shortCell).toLowerCase();
    const kind = kindCell.toLowerCase();
    if (!TOKEN.test(term)) {
      problem(line, `term '${termCell}' must be one lowercase token of letters and digits, e.g. 'db'`);
      continue;
    }
    if (!(TERM_KINDS as readonly string[]).includes(kind)) {
      problem(line, `term '${term}' has kind '${kindCell}'; expected one of ${TERM_KINDS.join(", ")}`);
    }
    if (definition === "") problem(line, `term '${term}' has no definition`);
    if (stripCode(owner) === "") problem(line, `term '${term}' has no owner`);
    const shortForm = NONE.has(short) ? undefined : short;
    if (shortForm !== undefined && !TOKEN.test(shortForm)) {
      problem(line, `short form '${shortCell}' of '${term}' must be one lowercase token`);
    }
    if (shortForm === term) problem(line, `short form of '${term}' repeats the term; write '—' for none`);
    const synonyms: DeprecatedSynonym[] = [];
    for (const piece of splitList(synonymCell)) {
      const scope: SynonymScope = NAMES_ONLY.test(piece) ? "names" : "everywhere";
      const synonym = stripCode(piece.replace(NAMES_ONLY, "")).toLowerCase();
      if (!TOKEN.test(synonym)) {
        problem(line, `deprecated synonym '${piece}' of '${term}' must be one lowercase token`);
        continue;
      }
      synonyms.push({ synonym, scope, line });
    }
    const entry: Term = {
      term,
      ...(shortForm !== undefined ? { shortForm } : {}),
      kind: kind as TermKind,
      definition,
      owner: stripCode(owner),
      synonyms,
      line,
    };
    for (const [token, what] of [
      [term, "term"],
      [shortForm, "short form"],
    ] as const) {
      if (token === undefined) continue;
      const earlier = declaredAt.get(token);
      if (earlier !== undefined) {
        problem(
          line,
          what === "term"
            ? `duplicate term '${token}' (already declared at line ${earlier})`
            : `short form '${token}' of '${term}' is already used at line ${earlier}`,
        );
        continue;
      }
      declaredAt.set(token, line);
      tokens.set(token, entry);
    }
    terms.push(entry);
  }

  const synonymMap = new Map<string, { term: Term; scope: SynonymScope }>();
  for (const term of terms) {
    for (const s of term.synonyms) {
      const asTerm = tokens.get(s.synonym);
      if (asTerm) {
        problem(
          s.line,
          `deprecated synonym '${s.synonym}' of '${term.term}' is also a term or short form (line ${asTerm.line})`,
        );
        continue;
      }
      const earlier = synonymMap.get(s.synonym);
      if (earlier) {
        problem(
          s.line,
          `deprecated synonym '${s.synonym}' is listed for both '${earlier.term.term}' (line ${earlier.term.line}) and '${term.term}'`,
        );
        continue;
      }
      synonymMap.set(s.synonym, { term, scope: s.scope });
    }
  }

  const externalNames: ExternalName[] = [];
  const external = new Set<string>();
  for (const { cells, line } of externalRows) {
    const [nameCell, owner, reason] = cells as [string, string, string];
    const name = stripCode(nameCell).toLowerCase();
    if (!EXTERNAL.test(name)) {
      problem(line, `external name '${nameCell}' must be lowercase letters, digits, '-', '.', '_' or '/'`);
      continue;
    }
    if (external.has(name)) {
      problem(line, `duplicate external name '${name}'`);
      continue;
    }
    if (stripCode(owner) === "") problem(line, `external name '${name}' has no owner`);
    external.add(name);
    externalNames.push({ name, owner: stripCode(owner), reason, line });
  }

  // No owners is a problem above; `!owners` tells the compiler.
  if (problems.length > 0 || !owners) throw new GlossaryError(problems);
  return {
    file,
    owners,
    terms,
    externalNames,
    tokens,
    synonyms: synonymMap,
    external,
  };
}

/**
 * The glossary header a table's header was meant to be, if it looks like one: its first cell is "term" or
 * "external name" (or nearly, with as many columns), or it has two or more of that header's cells.
 * Other tables are prose.
 */
function meantHeader(header: readonly string[]): readonly string[] | undefined {
  // Stryker disable next-line StringLiteral: splitRow returns at least one cell; the fallback is for the type
  const first = header[0] ?? "";
  for (const expected of [TERMS_HEADER, EXTERNAL_HEADER]) {
    const head = expected[0] as string;
    const near = boundedDistance(first, head, 2) <= 2 && header.length === expected.length;
    const shared = header.filter((c) => expected.includes(c)).length;
    if (first === head || near || shared >= 2) return expected;
  }
  return undefined;
}

function isTableLine(line: string): boolean {
  return line.trimStart().startsWith("|");
}

/** Cells of a markdown table row, trimmed; `\|` inside a cell is a literal pipe. */
function splitRow(line: string): string[] {
  // Only table lines are split, and they start with "|".
  let body = line.trim().slice(1);
  if (body.endsWith("|") && !body.endsWith("\\|")) body = body.slice(0, -1);
  return body.split(/(?<!\\)\|/).map((c) => c.replace(/\\\|/g, "|").trim());
}

function sameCells(actual: readonly string[], expected: readonly string[]): boolean {
  return actual.length === expected.length && actual.every((c, i) => c === expected[i]);
}

/** The items of a (trimmed) cell. */
function splitList(cell: string): string[] {
  if (NONE.has(cell.toLowerCase())) return [];
  return cell
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

function stripCode(cell: string): string {
  return cell
    .trim()
    .replace(/^`(.*)`$/, "$1")
    .trim();
}
