import { isMap, isNode, isScalar, LineCounter, parseDocument } from "yaml";
import type { z } from "zod";

/** A problem in an input file, located by line and column (1-based) and by field path. */
export interface SourceError {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** Field path, e.g. "rules[2].enforcement"; "" for the whole document. */
  readonly path: string;
  readonly message: string;
}

/** `file:line:col: path: message`, the form every CLI error takes. */
export function formatSourceError(e: SourceError): string {
  return `${e.file}:${e.line}:${e.column}: ${e.path ? `${e.path}: ` : ""}${e.message}`;
}

type PathKey = string | number;

export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out;
}

/** Short, single-line rendering of a bad value for messages. */
export function describeValue(value: unknown): string {
  if (value === undefined) return "nothing";
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/**
 * A YAML (or JSON, which YAML reads too) document with positions, so validation issues found on the plain
 * value can be mapped back to file:line.
 */
export class LocatedDocument {
  readonly value: unknown;
  readonly syntaxErrors: readonly SourceError[];
  private readonly doc: ReturnType<typeof parseDocument>;
  private readonly lines = new LineCounter();

  constructor(
    readonly file: string,
    text: string,
  ) {
    this.doc = parseDocument(text, { lineCounter: this.lines, prettyErrors: false, uniqueKeys: true });
    const errors: SourceError[] = this.doc.errors.map((err) => {
      const pos = this.lines.linePos(err.pos[0]);
      return { file, line: pos.line, column: pos.col, path: "", message: firstLine(err.message) };
    });
    let value: unknown;
    if (errors.length === 0) {
      // An alias without its anchor, or too many aliases (yaml's default limit), throws only here.
      try {
        value = this.doc.toJS();
      } catch (err) {
        errors.push(this.errorAt([], firstLine((err as Error).message)));
      }
    }
    this.syntaxErrors = errors;
    this.value = value;
  }

  /** The error for a field: positioned at the deepest node of `path` that exists. */
  errorAt(path: readonly PropertyKey[], message: string, atKey = false): SourceError {
    return { file: this.file, ...this.position(path, atKey), path: formatPath(path), message };
  }

  /** The plain value at `path`, or undefined. */
  valueAt(path: readonly PropertyKey[]): unknown {
    let current: unknown = this.value;
    for (const key of path) {
      if (current === null || typeof current !== "object") return undefined;
      current = (current as Record<PathKey, unknown>)[key as PathKey];
    }
    return current;
  }

  /** Maps zod issues to located, readable errors. */
  zodErrors(issues: readonly z.core.$ZodIssue[]): SourceError[] {
    const out: SourceError[] = [];
    for (const issue of issues) {
      if (issue.code === "unrecognized_keys") {
        for (const key of issue.keys) {
          out.push(this.errorAt([...issue.path, key], `unknown field '${key}'`, true));
        }
        continue;
      }
      out.push(this.errorAt(issue.path, this.describeIssue(issue)));
    }
    return sortErrors(out);
  }

  private describeIssue(issue: z.core.$ZodIssue): string {
    const value = this.valueAt(issue.path);
    const got = value === undefined ? "missing" : `got ${describeValue(value)}`;
    switch (issue.code) {
      case "invalid_type":
        return `${got}, expected ${issue.expected}`;
      case "invalid_value":
        return `${got}, expected ${issue.values.map((v) => describeValue(v)).join(" or ")}`;
      case "too_small":
        return `${got}, expected ${issue.origin === "array" ? `at least ${issue.minimum} item(s)` : issue.origin === "string" ? "a non-empty string" : `at least ${issue.minimum}`}`;
      case "too_big":
        return `${got}, expected at most ${issue.maximum}`;
      case "invalid_format":
        return `${got}, expected ${issue.message}`;
      case "invalid_key":
        return `${got}, invalid key: ${issue.issues.map((i) => i.message).join("; ")}`;
      case "invalid_union":
        return `${got}, expected ${issue.message === "Invalid input" ? "one of the allowed forms" : issue.message}`;
      default:
        return `${got}, expected ${issue.message}`;
    }
  }

  private position(path: readonly PropertyKey[], atKey: boolean): { line: number; column: number } {
    let offset = this.doc.contents?.range?.[0] ?? 0;
    for (let i = 1; i <= path.length; i++) {
      const sub = path.slice(0, i) as PathKey[];
      const node = this.doc.getIn(sub, true);
      if (i === path.length && atKey) {
        const parent = this.doc.getIn(path.slice(0, -1) as PathKey[], true) ?? this.doc.contents;
        if (isMap(parent)) {
          const pair = parent.items.find((p) => isScalar(p.key) && p.key.value === path[i - 1]);
          if (pair && isNode(pair.key) && pair.key.range) offset = pair.key.range[0];
        }
        break;
      }
      if (!isNode(node) || !node.range) break;
      offset = node.range[0];
    }
    const pos = this.lines.linePos(offset);
    return { line: pos.line, column: pos.col };
  }
}

export function sortErrors(errors: SourceError[]): SourceError[] {
  return errors.sort((a, b) => a.line - b.line || a.column - b.column || a.message.localeCompare(b.message));
}

function firstLine(text: string): string {
  return text.split("\n")[0] ?? text;
}
