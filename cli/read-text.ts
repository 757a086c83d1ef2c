import { readFileSync } from "node:fs";
import { UserError } from "./command.ts";

/**
 * Node.js holds at most 0x1fffffe8 characters (about 512 MiB) in one string; reading a larger file as text
 * throws an error without a code: "Cannot create a string longer than …" (readFileSync) or a RangeError
 * "Invalid string length" (fs/promises readFile).
 */
export function isTooLongForText(error: unknown): boolean {
  return (
    error instanceof Error &&
    (/string longer than/i.test(error.message) ||
      (error instanceof RangeError && /invalid string length/i.test(error.message)))
  );
}

/** The one-line reason for a file too large to read as text, after its name. */
export const TOO_LARGE =
  "is too large to read as text: over 512 MiB, more than Node.js can hold in one string";

/** Reads a file as UTF-8 text; a file too large for a string is a UserError naming it, not an internal error. */
export function readTextFileSync(path: string, display: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    if (isTooLongForText(error)) throw new UserError(`${display}: ${TOO_LARGE}`);
    throw error;
  }
}
