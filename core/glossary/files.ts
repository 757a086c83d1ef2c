import { largestFitting } from "../bisect.ts";
import { JsonSyntaxError, lineColumn, parseJsonText } from "../plan/json-text.ts";
import { isRecord } from "../plan/values.ts";
import { isUtf16, UTF16_MESSAGE, withoutBom } from "../text-encoding.ts";
import type { NameChecker, NameUse } from "./check.ts";
import type { GlossaryFinding } from "./findings.ts";
import { isNameTarget } from "./targets.ts";
import { isPlanJson, isTerraformJson, namesInPlanJson, namesInTerraformJson } from "./terraform-names.ts";
import { namesInYaml, YamlInputError } from "./yaml-names.ts";

/** A file the check cannot use (broken JSON or YAML, an unknown target): the caller exits 2. */
export class UnusableInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UnusableInputError";
  }
}

export type FileKind = "terraform" | "plan" | "yaml" | "text" | "names" | "unrecognized";

export interface FileInput {
  /** Repository-relative path where possible; shown in findings. */
  readonly path: string;
  readonly content: string;
}

/** What kind of file a path holds, from its name (JSON is told apart by content in checkFile). */
export function kindByPath(path: string): FileKind | "json" {
  const lower = path.toLowerCase();
  if (lower.endsWith(".json")) return "json";
  if (lower.endsWith(".yaml") || lower.endsWith(".yml")) return "yaml";
  if (lower.endsWith(".md") || lower.endsWith(".markdown") || lower.endsWith(".txt")) return "text";
  if (lower.endsWith(".names")) return "names";
  return "unrecognized";
}

/**
 * Checks one file: names in Terraform JSON, plan JSON, Kubernetes YAML and `.names` lists against
 * their targets' limits and the glossary; prose (markdown, text) for deprecated synonyms.
 * Throws UnusableInputError (with file:line) for content it cannot read.
 */
export function checkFile(
  file: FileInput,
  checker: NameChecker,
): { kind: FileKind; findings: GlossaryFinding[] } {
  if (isUtf16(file.content)) throw new UnusableInputError(`${file.path}: ${UTF16_MESSAGE}`);
  const byPath = kindByPath(file.path);
  if (byPath === "text") return { kind: "text", findings: checker.checkText(file.content, file.path) };
  let kind: FileKind;
  let uses: NameUse[];
  if (byPath === "json") {
    const json = parseJson(file);
    if (isPlanJson(json)) {
      kind = "plan";
      uses = namesInPlanJson(json, file.path);
    } else if (isTerraformJson(json)) {
      kind = "terraform";
      uses = namesInTerraformJson(json, file.path);
    } else {
      return { kind: "unrecognized", findings: [] };
    }
  } else if (byPath === "yaml") {
    // A Helm template is Go text, not YAML: its names are known only once rendered (`helm template`).
    if (/\{\{-?\s/.test(file.content)) return { kind: "unrecognized", findings: [] };
    kind = "yaml";
    try {
      uses = namesInYaml(file.content, file.path);
    } catch (error) {
      if (error instanceof YamlInputError) throw new UnusableInputError(error.message);
      throw error;
    }
  } else if (byPath === "names") {
    kind = "names";
    uses = namesInList(file);
  } else {
    return { kind: "unrecognized", findings: [] };
  }
  const findings = uses.flatMap((u) => checker.check(u));
  return {
    kind,
    findings: kind === "terraform" || kind === "plan" ? withLines(findings, file.content) : findings,
  };
}

/**
 * A `.names` file: one `TARGET NAME` per line (e.g. `s3-bucket dev-state-tfstate`); blank lines and
 * lines starting with `#` are ignored. The name is the rest of the line, so tag values may hold spaces.
 */
function namesInList(file: FileInput): NameUse[] {
  const uses: NameUse[] = [];
  file.content.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    // The line is trimmed: it starts with TARGET and the name after the blanks runs to its end.
    const match = /(\S+)\s+(.+)/.exec(line);
    const target = match?.[1] ?? line;
    if (!match || !isNameTarget(target)) {
      throw new UnusableInputError(
        `${file.path}:${i + 1}: expected 'TARGET NAME' with TARGET one of the name targets (see docs/glossary.md), got '${line}'`,
      );
    }
    uses.push({ file: file.path, line: i + 1, name: match[2] as string, target });
  });
  return uses;
}

function parseJson(file: FileInput): Readonly<Record<string, unknown>> {
  let value: unknown;
  try {
    value = parseJsonText(withoutBom(file.content));
  } catch (error) {
    // JsonSyntaxError never quotes the input (plans and state may hold secrets); JSON.parse's own message does.
    if (!(error instanceof JsonSyntaxError)) throw error;
    const where = error.offset !== undefined ? `:${lineColumn(file.content, error.offset).line}` : "";
    throw new UnusableInputError(`${file.path}${where}: not valid JSON: ${error.problem}`);
  }
  if (!isRecord(value)) {
    throw new UnusableInputError(
      `${file.path}: expected a JSON object (Terraform JSON or a plan), got ${Array.isArray(value) ? "an array" : value === null ? "null" : typeof value}`,
    );
  }
  return value;
}

/**
 * Adds a line to each finding: where its name stands as a JSON string, searched on from where the previous
 * finding's name stood (findings come in the order of the resources), else back from there. So a plan with
 * thousands of findings is read about once, not once per finding.
 */
function withLines(findings: GlossaryFinding[], content: string): GlossaryFinding[] {
  // Stryker disable next-line ConditionalExpression: a fast path only: with no findings the map below returns none either
  if (findings.length === 0) return findings;
  const lineStarts = [0];
  // Stryker disable next-line ArithmeticOperator: a start moved back by two changes only the line of the last character before a newline and of the newline, and a name's quote can stand at neither
  for (const newline of content.matchAll(/\n/g)) lineStarts.push(newline.index + 1);
  const lineAt = (offset: number) =>
    // Stryker disable next-line ArithmeticOperator: a higher bound only adds a step: lineStarts past the end is undefined, compares false and moves the search down
    largestFitting(0, lineStarts.length - 1, (line) => (lineStarts[line] as number) <= offset) + 1;
  let cursor = 0;
  return findings.map((f) => {
    const needle = JSON.stringify(f.name);
    // Forward first; then the nearest place before (a resource's attributes need not come in check order).
    let at = content.indexOf(needle, cursor);
    if (at === -1) at = content.lastIndexOf(needle, cursor);
    if (at === -1) return f;
    cursor = at;
    return { ...f, line: lineAt(at) };
  });
}
