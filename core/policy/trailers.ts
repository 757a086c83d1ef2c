/** A `Co-authored-by: Name <email>` trailer of a commit message. */
export interface CoAuthor {
  readonly name: string;
  readonly email: string;
  /** The GitHub login it resolves to, when known. */
  readonly login?: string;
}

const TRAILER = /^\s*co-authored-by:\s*(.*?)\s*<([^<>\s]+)>\s*$/i;
const NOREPLY = /^(?:\d+\+)?([^@]+)@users\.noreply\.github\.com$/i;

/**
 * Reads every `Co-authored-by` line of a commit message. Git puts trailers in the last paragraph; this reads
 * them anywhere, so a misplaced trailer still disqualifies its co-author (fail closed).
 */
export function parseCoAuthors(message: string, emails: Readonly<Record<string, string>> = {}): CoAuthor[] {
  const byEmail = new Map(Object.entries(emails).map(([e, l]) => [e.toLowerCase(), l]));
  const out: CoAuthor[] = [];
  for (const line of message.split(/\r?\n/)) {
    const m = TRAILER.exec(line);
    if (!m) continue;
    // Stryker disable next-line StringLiteral: group 1 takes part in every match of TRAILER, so `?? ""` never applies
    const name = m[1] ?? "";
    // Stryker disable next-line StringLiteral: group 2 takes part in every match of TRAILER, so `?? ""` never applies
    const email = m[2] ?? "";
    const login = byEmail.get(email.toLowerCase()) ?? NOREPLY.exec(email)?.[1];
    out.push(login ? { name, email, login } : { name, email });
  }
  return out;
}

/**
 * Whether a co-author is the person with this login: by resolved login, or, when the e-mail could not be
 * resolved, by a name or e-mail local part equal to the login (so an unresolved co-author errs on "same person").
 */
export function isCoAuthor(coAuthor: CoAuthor, login: string): boolean {
  const l = login.toLowerCase();
  if (coAuthor.login) return coAuthor.login.toLowerCase() === l;
  return coAuthor.name.toLowerCase() === l || coAuthor.email.split("@")[0]?.toLowerCase() === l;
}
