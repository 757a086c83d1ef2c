/**
 * The parsed glossary: plain data built once from glossary.md, then looked up per token.
 * See parse.ts for the document format and docs/glossary.md for the people's view.
 */

/** What a term names; the glossary rejects any other kind. */
export const TERM_KINDS = [
  "environment",
  "tenant",
  "team",
  "component",
  "resource",
  "qualifier",
  "technology",
] as const;
export type TermKind = (typeof TERM_KINDS)[number];

/** Where a deprecated synonym is rejected: in names and prose, or in names only. */
export type SynonymScope = "everywhere" | "names";

export interface DeprecatedSynonym {
  readonly synonym: string;
  readonly scope: SynonymScope;
  /** 1-based line of glossary.md that declares it. */
  readonly line: number;
}

export interface Term {
  /** Canonical spelling, lowercase, one token. */
  readonly term: string;
  /** Approved abbreviation, also accepted in names, or undefined. */
  readonly shortForm?: string;
  readonly kind: TermKind;
  readonly definition: string;
  /** Who decides what the term means (a team or GitHub handle). */
  readonly owner: string;
  readonly synonyms: readonly DeprecatedSynonym[];
  /** 1-based line of glossary.md that declares it. */
  readonly line: number;
}

/** A name chosen by someone else (AWS, Kubernetes, a vendor chart) that is accepted verbatim. */
export interface ExternalName {
  readonly name: string;
  readonly owner: string;
  readonly reason: string;
  readonly line: number;
}

export interface Glossary {
  /** The file it was read from, for messages. */
  readonly file: string;
  /** GitHub handles or teams whose approval a change to the glossary needs. */
  readonly owners: readonly string[];
  readonly terms: readonly Term[];
  readonly externalNames: readonly ExternalName[];
  /** Lowercase token → the term it belongs to (canonical spellings and short forms). */
  readonly tokens: ReadonlyMap<string, Term>;
  /** Lowercase deprecated synonym → the term that replaces it. */
  readonly synonyms: ReadonlyMap<string, { readonly term: Term; readonly scope: SynonymScope }>;
  /** Lowercase external names, accepted whole. */
  readonly external: ReadonlySet<string>;
}
