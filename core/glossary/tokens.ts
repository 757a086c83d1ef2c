/**
 * Splits a name into its tokens: on every character that is not a letter or digit (`-`, `_`, `.`, `/`,
 * `:`, spaces) and on case changes (`ProdDatabase` → prod, database; `HTTPServer` → http, server).
 * Digits stay with the letters before them, so `s3` and `ec2` are one token. Tokens are lowercased.
 */
export function splitTokens(name: string): string[] {
  // Fast path for the usual all-lowercase name: no case changes to find.
  // Stryker disable next-line ConditionalExpression: a fast path only: the loop below splits a name without capitals the same way
  if (!/[A-Z]/.test(name)) return name.split(/[^a-z0-9]/).filter((t) => t !== "");
  const out: string[] = [];
  // Runs of separators give empty chunks, skipped.
  for (const chunk of name.split(/[^A-Za-z0-9]/)) {
    if (chunk === "") continue;
    // Without lowercase letters a chunk is one token (`EC2X`, `HTTP`); without capitals the split finds no place.
    if (!/[a-z]/.test(chunk)) {
      out.push(chunk.toLowerCase());
      continue;
    }
    // Every place it splits at has a character on both sides, so no part is empty.
    for (const part of chunk.split(/(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])/))
      out.push(part.toLowerCase());
  }
  return out;
}

/** Words of prose: split on non-alphanumerics only (prose case carries no meaning), lowercased. */
export function splitWords(text: string): { word: string; index: number }[] {
  const out: { word: string; index: number }[] = [];
  for (const match of text.matchAll(/[A-Za-z0-9]+/g)) {
    out.push({ word: match[0].toLowerCase(), index: match.index });
  }
  return out;
}

/** `value` with every `${…}` (balanced braces) replaced by a space. */
export function literalText(value: string): string {
  // Stryker disable next-line ConditionalExpression: a fast path only: the loop below copies a value without references as it is
  // Stryker disable next-line StringLiteral: a fast path only, as above (includes("") is true, so the loop does the work)
  if (!value.includes("${")) return value;
  let out = "";
  for (let i = 0; i < value.length; i++) {
    if (value[i] === "$" && value[i + 1] === "{") {
      let depth = 0;
      let j = i + 1;
      // Stryker disable next-line EqualityOperator: one more step reads value[value.length], undefined, and changes nothing
      for (; j < value.length; j++) {
        if (value[j] === "{") depth++;
        else if (value[j] === "}" && --depth === 0) break;
      }
      out += " ";
      i = j;
      continue;
    }
    out += value[i];
  }
  return out;
}
