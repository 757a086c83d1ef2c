import { createHash } from "node:crypto";

/** Length of the hash that replaces the tail of a shortened name. */
export const HASH_LENGTH = 8;

/**
 * Shortens `name` to at most `maxLength` characters, deterministically: whole `-`-separated tokens
 * from the start are kept and the rest is replaced by `-` and the first 8 hex digits of the SHA-256 of
 * the whole name, so two long names that share a prefix still differ. `suffix` (e.g. `.fifo`) is kept.
 * A name that already fits is returned unchanged.
 */
export function shortenName(name: string, maxLength: number, suffix = ""): string {
  if (name.length <= maxLength) return name;
  const hash = createHash("sha256").update(name).digest("hex").slice(0, HASH_LENGTH);
  const room = maxLength - suffix.length - HASH_LENGTH - 1;
  if (room < 1) throw new Error(`cannot shorten '${name}' to ${maxLength} characters`);
  // The kept tokens end at least 9 characters plus the suffix's length before the end of the name, so they never
  // reach into the suffix: it need not be cut off first.
  let kept = "";
  for (const part of name.split("-")) {
    const next = kept === "" ? part : `${kept}-${part}`;
    if (next.length > room) break;
    kept = next;
  }
  // The first token alone is too long: cut it (the hash still tells names apart).
  if (kept === "") kept = name.slice(0, room);
  return `${kept}-${hash}${suffix}`;
}

/** True for a token that shortenName may have produced as the last token of a name. */
export function isShortenHash(token: string): boolean {
  return token.length === HASH_LENGTH && /^[0-9a-f]+$/.test(token);
}
