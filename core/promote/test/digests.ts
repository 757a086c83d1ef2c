/** `text` with `from` replaced by `to` in the entry of app `app` only (other apps may share a placeholder digest). */
export function withAppDigest(text: string, app: string, from: string, to: string): string {
  const start = text.indexOf(`\n  ${app}:\n`);
  if (start < 0) throw new Error(`no app ${app} in the values text`);
  const at = text.indexOf(from, start);
  if (at < 0) throw new Error(`app ${app} has no digest ${from}`);
  return text.slice(0, at) + to + text.slice(at + from.length);
}

/** The 1-based line of app `app`'s `digest:` in the values text (diff hunks and errors name it). */
export function appDigestLine(text: string, app: string): number {
  const lines = text.split("\n");
  const start = lines.indexOf(`  ${app}:`);
  const at = lines.findIndex((line, i) => i > start && /^\s+digest:/.test(line));
  if (start < 0 || at < 0) throw new Error(`no digest of app ${app} in the values text`);
  return at + 1;
}
