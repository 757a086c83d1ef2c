import { ExactNumber, type PlanValue } from "./values.ts";

/**
 * JSON parsing that can keep the exact digits of numbers a float64 would round (Node 20's JSON.parse
 * has no access to the source text of a number).
 *
 * Plans are parsed with plain JSON.parse first; the caller then checks the values it keeps with
 * `hasUnsafeInteger` (a walk over far less than the whole text) and only when one is found parses again
 * with `exact`: number tokens of 16+ digits outside strings whose digits a float64 would change become
 * tagged strings before JSON.parse and ExactNumber after it.
 */

/** Where and why JSON.parse gave up; never includes text from the input (it may hold secrets). */
export class JsonSyntaxError extends Error {
  constructor(
    readonly problem: string,
    /** 0-based offset of the problem, when JSON.parse reported one. */
    readonly offset: number | undefined,
    /** True when the text ends before the JSON does. */
    readonly truncated: boolean,
  ) {
    super(problem);
    this.name = "JsonSyntaxError";
  }
}

// A JSON-escaped NUL cannot come from a number, so real strings only collide if they begin with this exact tag.
const TAG = "\u0000sluice-exact-number:";
const TAG_IN_JSON = "\\u0000sluice-exact-number:";
const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
// A JSON string (skipped whole, so that no digits in it are read), or a number token outside strings: one follows
// "[", ":" or "," and an integer beyond 2^53 has 16 or more digits. Anchoring on the punctuation keeps the scan
// cheap on digit-heavy text.
const STRING_OR_LONG_NUMBER = /"[^"\\]*(?:\\.[^"\\]*)*"|[[:,]\s*(-?\d{16,}[\d.eE+-]*)/g;

/** True when the literal does not survive a round trip through a float64. */
function losesDigits(literal: string): boolean {
  const value = Number(literal);
  if (/^-?\d+$/.test(literal)) return !Number.isSafeInteger(value);
  return String(value) !== literal;
}

/** Number tokens (outside strings) whose digits a float64 would change, as [start, end) offsets. */
function findLongNumbers(text: string): [number, number][] {
  const found: [number, number][] = [];
  for (const match of text.matchAll(STRING_OR_LONG_NUMBER)) {
    const literal = match[1];
    if (literal !== undefined && NUMBER.test(literal) && losesDigits(literal)) {
      const end = match.index + match[0].length;
      found.push([end - literal.length, end]);
    }
  }
  return found;
}

function restore(value: unknown): unknown {
  if (typeof value === "string") {
    return value.startsWith(TAG) ? new ExactNumber(value.slice(TAG.length)) : value;
  }
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) value[i] = restore(item);
  } else {
    // for...in visits nothing in null, a number or a boolean.
    const record = value as Record<string, unknown>;
    for (const key in record) record[key] = restore(record[key]);
  }
  return value;
}

function syntaxError(text: string, error: unknown): JsonSyntaxError {
  const message = error instanceof Error ? error.message : String(error);
  const at = /at position (\d+)/.exec(message);
  const offset = at ? Number(at[1]) : undefined;
  const end = text.trimEnd().length;
  if (/Unexpected end of JSON input/.test(message) || (offset !== undefined && offset >= end)) {
    return new JsonSyntaxError("the JSON ends early (truncated?)", end, true);
  }
  // V8 quotes a snippet of the input in some messages; keep only the fixed wording before it.
  const problem = (message.split(" in JSON at position")[0] ?? message).replace(/,? ?".*/s, "");
  const safeProblem = problem.startsWith("Unexpected token") ? "unexpected character" : problem;
  // Empty when the message is only a snippet: `"NaN" is not valid JSON`.
  return new JsonSyntaxError(safeProblem || "invalid JSON", offset, false);
}

/**
 * True when a parsed value holds an integer JSON.parse could not keep exactly (beyond 2^53): the sign
 * that the text must be parsed again with `exact`.
 */
export function hasUnsafeInteger(value: unknown): boolean {
  if (typeof value === "number") return Number.isInteger(value) && !Number.isSafeInteger(value);
  // null goes on to for...in, which visits nothing in it.
  if (typeof value !== "object") return false;
  // Stryker disable next-line BlockStatement: without it arrays are walked by for...in over their indices, with the same result; this is the fast path
  if (Array.isArray(value)) {
    for (const item of value) if (hasUnsafeInteger(item)) return true;
    return false;
  }
  const record = value as Record<string, unknown>;
  for (const key in record) if (hasUnsafeInteger(record[key])) return true;
  return false;
}

function parseOrThrow(text: string): PlanValue {
  try {
    return JSON.parse(text) as PlanValue;
  } catch (error) {
    throw syntaxError(text, error);
  }
}

/**
 * Parses JSON text; throws JsonSyntaxError on bad JSON. With `exact`, numbers whose digits a float64
 * would change become ExactNumber (slower: the text is scanned and rewritten first).
 */
export function parseJsonText(text: string, exact = false): PlanValue {
  const spans = exact ? findLongNumbers(text) : [];
  if (spans.length === 0) return parseOrThrow(text);
  const parts: string[] = [];
  let last = 0;
  for (const [start, end] of spans) {
    parts.push(text.slice(last, start), `"${TAG_IN_JSON}`, text.slice(start, end), '"');
    last = end;
  }
  parts.push(text.slice(last));
  let parsed: unknown;
  try {
    parsed = JSON.parse(parts.join(""));
  } catch {
    // Report the position in the caller's text, not in the rewritten one.
    parseOrThrow(text);
    // Stryker disable next-line StringLiteral,BooleanLiteral,CallExpression: unreachable while the rewrite is right (it only turns number tokens of valid JSON into strings); fails closed if it is not
    throw new JsonSyntaxError("invalid JSON", undefined, false);
  }
  return restore(parsed) as PlanValue;
}

/** 1-based line and column of an offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const lines = text.slice(0, offset).split("\n");
  return { line: lines.length, column: offset - text.lastIndexOf("\n", offset - 1) };
}
