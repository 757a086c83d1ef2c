import { isUtf16, UTF16_MESSAGE } from "../text-encoding.ts";
import { classifyActions } from "./actions.ts";
import { moduleOf } from "./address.ts";
import { hasUnsafeInteger, JsonSyntaxError, lineColumn, parseJsonText } from "./json-text.ts";
import { applyMarks, unionMarks } from "./mask.ts";
import { maskSecrets } from "./secrets.ts";
import { hideSensitiveVariables } from "./sensitive-variables.ts";
import type { CheckResult, DeferredChange, NormalizedPlan, OutputChange, ResourceChange } from "./types.ts";
import { isRecord, type PlanValue, SENSITIVE, UNKNOWN } from "./values.ts";

/**
 * Input that is not usable plan JSON. The message names the source, the place and what was expected,
 * and never quotes the input (it may hold secrets).
 */
export class PlanInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PlanInputError";
  }
}

/** Plan JSON format 0.x and 1.x: "01.0" or "1." is no supported version. */
const SUPPORTED_VERSION = /^[01]\.\d/;

function describe(value: unknown): string {
  if (value === undefined) return "nothing (the field is missing)";
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  return `a ${typeof value}`;
}

function fail(source: string, field: string, expected: string, got: unknown): never {
  throw new PlanInputError(`${source}: ${field}: expected ${expected}, got ${describe(got)}`);
}

function optionalString(source: string, field: string, value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") fail(source, field, "a string", value);
  return value;
}

function requiredString(source: string, field: string, value: unknown): string {
  if (typeof value !== "string") fail(source, field, "a string", value);
  return value;
}

function optionalBoolean(source: string, field: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== "boolean") fail(source, field, "true or false", value);
  return value;
}

function stringList(source: string, field: string, value: unknown): string[] {
  if (!Array.isArray(value) || !value.every((a) => typeof a === "string")) {
    fail(source, field, "an array of strings", value);
  }
  return value as string[];
}

function optionalArray(source: string, field: string, value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) fail(source, field, "an array", value);
  return value;
}

/**
 * The address terraform would print, from module address, mode, type, name and index: Terraform 1.0.0
 * wrote `resource_drift` entries without an address.
 */
export function addressFrom(parts: {
  readonly moduleAddress?: string;
  readonly mode: string;
  readonly type: string;
  readonly name: string;
  readonly index?: unknown;
}): string {
  const module = parts.moduleAddress ? `${parts.moduleAddress}.` : "";
  const data = parts.mode === "data" ? "data." : "";
  const key =
    typeof parts.index === "number"
      ? `[${parts.index}]`
      : typeof parts.index === "string"
        ? `[${JSON.stringify(parts.index)}]`
        : "";
  return `${module}${data}${parts.type}.${parts.name}${key}`;
}

function normalizeChange(source: string, field: string, raw: unknown, warnings: string[]): ResourceChange {
  if (!isRecord(raw)) fail(source, field, "an object", raw);
  const type = requiredString(source, `${field}.type`, raw.type);
  const name = requiredString(source, `${field}.name`, raw.name);
  const mode = optionalString(source, `${field}.mode`, raw.mode) ?? "managed";
  let address: string;
  if (raw.address === undefined || raw.address === null) {
    const module = optionalString(source, `${field}.module_address`, raw.module_address);
    address = addressFrom({
      ...(module ? { moduleAddress: module } : {}),
      mode,
      type,
      name,
      index: raw.index,
    });
    warnings.push(`${field} has no address; derived ${address} from its module, mode, type, name and index.`);
  } else {
    address = requiredString(source, `${field}.address`, raw.address);
  }
  const change = raw.change;
  if (!isRecord(change)) fail(source, `${field}.change`, "an object", change);
  const actions = stringList(source, `${field}.change.actions`, change.actions);
  const previousAddress = optionalString(source, `${field}.previous_address`, raw.previous_address);
  const importingRaw = change.importing ?? raw.importing;
  const importing = isRecord(importingRaw)
    ? typeof importingRaw.id === "string"
      ? { id: importingRaw.id }
      : {}
    : undefined;
  const classified = classifyActions(actions, {
    importing: importing !== undefined,
    moved: previousAddress !== undefined && previousAddress !== address,
  });
  const replacePathsRaw = change.replace_paths ?? raw.replace_paths;
  const replacePaths = optionalArray(source, `${field}.change.replace_paths`, replacePathsRaw).map((p, i) =>
    optionalArray(source, `${field}.change.replace_paths[${i}]`, p).map((step) =>
      typeof step === "number" ? step : String(step),
    ),
  );
  // What is sensitive on either side is hidden on both, as terraform does.
  const sensitive = unionMarks(change.before_sensitive, change.after_sensitive);
  // Mask `after` first: it is compared with the raw `before` to tell whether a hidden value changed.
  const after = applyMarks(
    applyMarks(change.after as PlanValue, sensitive, SENSITIVE, { value: change.before }),
    change.after_unknown,
    UNKNOWN,
  );
  const before = applyMarks(change.before as PlanValue, sensitive, SENSITIVE);
  const moduleAddress =
    optionalString(source, `${field}.module_address`, raw.module_address) ?? moduleOf(address);
  const deposed = optionalString(source, `${field}.deposed`, raw.deposed);
  const actionReason = optionalString(source, `${field}.action_reason`, raw.action_reason);
  const providerName = optionalString(source, `${field}.provider_name`, raw.provider_name);
  // Optional fields are set one by one (same keys, same order as before): conditional object spreads
  // cost a temporary object and a generic copy each, ten times per change on plans of thousands.
  const out: { -readonly [K in keyof ResourceChange]: ResourceChange[K] } = {
    address,
    moduleAddress,
    mode,
    type,
    name,
  } as ResourceChange;
  if (raw.index !== undefined) out.index = raw.index as PlanValue;
  if (providerName !== undefined) out.providerName = providerName;
  if (deposed !== undefined) out.deposed = deposed;
  if (previousAddress !== undefined && previousAddress !== address) out.previousAddress = previousAddress;
  out.actions = actions;
  out.kind = classified.kind;
  if (classified.replaceOrder) out.replaceOrder = classified.replaceOrder;
  out.destructive = classified.destructive;
  if (actionReason !== undefined) out.actionReason = actionReason;
  if (replacePaths.length > 0) out.replacePaths = replacePaths;
  if (importing) out.importing = importing;
  out.before = before;
  out.after = after;
  return out;
}

/** Output names terraform marks sensitive anywhere (flags only; the plaintext next to them is never read). */
function sensitiveOutputNames(plan: Record<string, unknown>): Set<string> {
  const names = new Set<string>();
  const collect = (outputs: unknown) => {
    if (!isRecord(outputs)) return;
    for (const [name, output] of Object.entries(outputs)) {
      if (isRecord(output) && output.sensitive === true) names.add(name);
    }
  };
  if (isRecord(plan.planned_values)) collect(plan.planned_values.outputs);
  if (isRecord(plan.prior_state) && isRecord(plan.prior_state.values))
    collect(plan.prior_state.values.outputs);
  if (isRecord(plan.configuration) && isRecord(plan.configuration.root_module)) {
    collect(plan.configuration.root_module.outputs);
  }
  return names;
}

function normalizeOutputs(source: string, plan: Record<string, unknown>): OutputChange[] {
  const raw = plan.output_changes;
  if (raw === undefined || raw === null) return [];
  if (!isRecord(raw)) fail(source, "output_changes", "an object", raw);
  const flagged = sensitiveOutputNames(plan);
  return Object.entries(raw).map(([name, change]) => {
    const field = `output_changes[${JSON.stringify(name)}]`;
    if (!isRecord(change)) fail(source, field, "an object", change);
    const actions = stringList(source, `${field}.actions`, change.actions);
    const sensitive =
      flagged.has(name) || change.before_sensitive === true || change.after_sensitive === true;
    const marks = unionMarks(change.before_sensitive, change.after_sensitive);
    const before = sensitive ? SENSITIVE : applyMarks(change.before as PlanValue, marks, SENSITIVE);
    const after = sensitive
      ? change.after_unknown === true
        ? UNKNOWN
        : SENSITIVE
      : applyMarks(applyMarks(change.after as PlanValue, marks, SENSITIVE), change.after_unknown, UNKNOWN);
    return {
      name,
      actions,
      kind: classifyActions(actions).kind,
      sensitive,
      before: before ?? null,
      after: after ?? null,
    };
  });
}

/**
 * Entries of an auxiliary section (drift, checks, deferred changes): one that cannot be read is left out with a warning,
 * so a defect there never rejects the plan. The section itself not being an array is a warning too.
 */
function auxiliary<T>(
  source: string,
  section: string,
  raw: unknown,
  warnings: string[],
  read: (entry: unknown, field: string) => T,
): T[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) {
    warnings.push(`${section}: expected an array, got ${describe(raw)}; the section was ignored.`);
    return [];
  }
  const out: T[] = [];
  raw.forEach((entry, i) => {
    try {
      out.push(read(entry, `${section}[${i}]`));
    } catch (error) {
      if (!(error instanceof PlanInputError)) throw error;
      const prefix = `${source}: `;
      const message = error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
      warnings.push(`${message}; this ${section} entry was left out.`);
    }
  });
  return out;
}

function normalizeCheck(source: string, check: unknown, field: string): CheckResult {
  if (!isRecord(check)) fail(source, field, "an object", check);
  const address = isRecord(check.address) ? check.address : {};
  const display = optionalString(source, `${field}.address.to_display`, address.to_display) ?? "";
  const problems: string[] = [];
  for (const instance of optionalArray(source, `${field}.instances`, check.instances)) {
    if (!isRecord(instance)) continue;
    for (const problem of optionalArray(source, `${field}.instances[].problems`, instance.problems)) {
      if (isRecord(problem) && typeof problem.message === "string")
        problems.push(maskSecrets(problem.message));
    }
  }
  return {
    address: display,
    kind: optionalString(source, `${field}.address.kind`, address.kind) ?? "",
    status: optionalString(source, `${field}.status`, check.status) ?? "unknown",
    problems,
  };
}

function normalizeDeferred(
  source: string,
  entry: unknown,
  field: string,
  warnings: string[],
): DeferredChange {
  if (!isRecord(entry)) fail(source, field, "an object", entry);
  return {
    reason: optionalString(source, `${field}.reason`, entry.reason) ?? "unknown",
    change: normalizeChange(source, `${field}.resource_change`, entry.resource_change, warnings),
  };
}

function looksLikeState(plan: Record<string, unknown>): boolean {
  const planKeys = "resource_changes" in plan || "planned_values" in plan;
  if (planKeys) return false;
  return "values" in plan || (("lineage" in plan || "serial" in plan) && "resources" in plan);
}

/** Validates the top-level object and normalizes it, dropping variables, prior_state and planned_values. */
function normalizePlan(source: string, plan: PlanValue, notes: string[]): NormalizedPlan {
  if (!isRecord(plan)) {
    throw new PlanInputError(
      `${source}: expected a JSON object (the output of \`terraform show -json <planfile>\`), got ${describe(plan)}`,
    );
  }
  if (looksLikeState(plan)) {
    throw new PlanInputError(
      `${source}: this is a Terraform state file, not a plan; save a plan with \`terraform plan -out=plan.tfplan\` and review \`terraform show -json plan.tfplan\``,
    );
  }
  const formatVersion = plan.format_version;
  if (formatVersion === undefined) {
    throw new PlanInputError(
      `${source}: not terraform plan JSON: there is no format_version field (expected the output of \`terraform show -json <planfile>\`)`,
    );
  }
  if (typeof formatVersion !== "string")
    fail(source, "format_version", 'a version string such as "1.2"', formatVersion);
  if (!SUPPORTED_VERSION.test(formatVersion)) {
    throw new PlanInputError(
      `${source}: unsupported format_version ${JSON.stringify(formatVersion.slice(0, 20))}: Sluice reads plan JSON format 0.x and 1.x`,
    );
  }
  if (!("planned_values" in plan) && !("resource_changes" in plan)) {
    throw new PlanInputError(
      `${source}: not terraform plan JSON: it has format_version but neither planned_values nor resource_changes (is it \`terraform providers schema -json\` or \`terraform version -json\` output?)`,
    );
  }
  hideSensitiveVariables(plan);
  // A defect in a section the changes do not depend on is a warning, never a rejected plan.
  const warnings: string[] = [];
  const changes = optionalArray(source, "resource_changes", plan.resource_changes).map((c, i) =>
    normalizeChange(source, `resource_changes[${i}]`, c, warnings),
  );
  const drift = auxiliary(source, "resource_drift", plan.resource_drift, warnings, (c, field) =>
    normalizeChange(source, field, c, warnings),
  );
  const terraformVersion = optionalString(source, "terraform_version", plan.terraform_version);
  return {
    source,
    formatVersion,
    ...(terraformVersion !== undefined ? { terraformVersion } : {}),
    changes,
    drift,
    outputs: normalizeOutputs(source, plan),
    // Deferred changes are not applied by this plan (`complete: false` already flags it): auxiliary too.
    deferred: auxiliary(source, "deferred_changes", plan.deferred_changes, warnings, (d, field) =>
      normalizeDeferred(source, d, field, warnings),
    ),
    checks: auxiliary(source, "checks", plan.checks, warnings, (c, field) =>
      normalizeCheck(source, c, field),
    ),
    errored: optionalBoolean(source, "errored", plan.errored, false),
    complete: optionalBoolean(source, "complete", plan.complete, true),
    applyable: optionalBoolean(source, "applyable", plan.applyable, true),
    notes,
    warnings,
  };
}

function syntaxMessage(source: string, text: string, error: JsonSyntaxError): string {
  if (error.truncated) {
    const at = lineColumn(text, error.offset ?? text.length);
    return `${source}: truncated JSON: the text ends at line ${at.line}, column ${at.column} (byte ${error.offset ?? text.length}) before the plan JSON is complete`;
  }
  if (error.offset === undefined) return `${source}: invalid JSON: ${error.problem}`;
  const at = lineColumn(text, error.offset);
  return `${source}: invalid JSON at line ${at.line}, column ${at.column}: ${error.problem}`;
}

/** The syntax error of a text, or undefined when it parses. */
function syntaxErrorOf(text: string): JsonSyntaxError | undefined {
  try {
    parseJsonText(text);
    return undefined;
  } catch (error) {
    if (error instanceof JsonSyntaxError) return error;
    throw error;
  }
}

/** Rejects binary input by name: a saved plan file (a zip archive), NUL bytes, or bytes that are not UTF-8. */
function rejectBinary(source: string, text: string): void {
  const head = text.slice(0, 8192);
  if (head.startsWith("PK\u0003\u0004")) {
    throw new PlanInputError(
      `${source}: is a binary plan file (zip), not plan JSON; review \`terraform show -json <planfile>\` instead`,
    );
  }
  if (isUtf16(text)) throw new PlanInputError(`${source}: ${UTF16_MESSAGE}`);
  // U+FFFD is what UTF-8 decoding makes of bytes that are not text; one alone may be a real character.
  if (head.includes("\u0000") || (head.match(/\ufffd/g)?.length ?? 0) >= 8) {
    throw new PlanInputError(
      `${source}: is binary data, not plan JSON (expected the text output of \`terraform show -json <planfile>\`)`,
    );
  }
}

/**
 * The JSON object inside CI log noise: from the first line that starts with "{" to the last line that
 * ends with "}". Only used when that span parses as one JSON object; otherwise the input is rejected.
 */
function extractFromNoise(text: string): { json: string; before: number; after: number } | undefined {
  const lines = text.split("\n");
  const first = lines.findIndex((l) => l.trimStart().startsWith("{"));
  let last = -1;
  for (let i = lines.length - 1; i >= 0; i--) {
    if ((lines[i] as string).trimEnd().endsWith("}")) {
      last = i;
      break;
    }
  }
  if (first === -1 || last < first) return undefined;
  const before = lines.slice(0, first).filter((l) => l.trim() !== "").length;
  const after = lines.slice(last + 1).filter((l) => l.trim() !== "").length;
  if (before === 0 && after === 0) return undefined;
  return { json: lines.slice(first, last + 1).join("\n"), before, after };
}

/**
 * Parses `terraform show -json` output (Terraform or OpenTofu, format 0.x and 1.x) into a normalized plan
 * whose sensitive values are already masked. Throws PlanInputError on anything that is not usable plan JSON.
 */
export function parsePlan(text: string, source = "plan"): NormalizedPlan {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const trimmed = body.trimStart();
  if (trimmed === "") {
    throw new PlanInputError(
      `${source}: is empty; expected the output of \`terraform show -json <planfile>\``,
    );
  }
  if (trimmed.startsWith("<")) {
    const html = /^<(!doctype html|html|head|body|title)\b/i.test(trimmed);
    throw new PlanInputError(
      html
        ? `${source}: is an HTML page (an error or login page from a proxy or artifact store?), not plan JSON`
        : `${source}: is XML or HTML, not plan JSON`,
    );
  }
  let parsed: PlanValue;
  let json = body;
  const notes: string[] = [];
  try {
    parsed = parseJsonText(body);
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    rejectBinary(source, body);
    // A plan cut short is truncated, whatever lines the cut leaves at its end.
    if (error.truncated && trimmed.startsWith("{"))
      throw new PlanInputError(syntaxMessage(source, body, error));
    const extracted = extractFromNoise(body);
    if (!extracted) {
      if (!trimmed.startsWith("{")) {
        const jsonStart = body.search(/^[ \t]*\{/m);
        // Never 0 (nor 1): a first line of [ \t]*{ would make trimmed start with "{".
        if (jsonStart !== -1) {
          const rest = body.slice(jsonStart);
          // rest never parses: extraction failed, so no line from rest's first one on ends with "}".
          const problem = syntaxMessage("the JSON part", rest, syntaxErrorOf(rest) ?? error);
          throw new PlanInputError(
            `${source}: has non-JSON lines before the JSON (CI log output?) and the JSON is unusable: ${problem}`,
          );
        }
        const human =
          /Terraform will perform the following actions|Terraform used the selected providers/.test(body);
        throw new PlanInputError(
          human
            ? `${source}: is terraform's human-readable plan output; review \`terraform show -json <planfile>\` instead`
            : `${source}: is not JSON: expected a JSON object starting with "{" (the output of \`terraform show -json <planfile>\`)`,
        );
      }
      throw new PlanInputError(syntaxMessage(source, body, error));
    }
    json = extracted.json;
    try {
      parsed = parseJsonText(json);
    } catch (inner) {
      if (!(inner instanceof JsonSyntaxError)) throw inner;
      const rest = body.slice(body.search(/^[ \t]*\{/m));
      const whole = syntaxErrorOf(rest);
      if (whole?.truncated) {
        throw new PlanInputError(
          `${source}: has non-JSON lines before the JSON (CI log output?) and the JSON is truncated: ${syntaxMessage("the JSON part", rest, whole)}`,
        );
      }
      throw new PlanInputError(
        `${source}: has non-JSON lines around the JSON (CI log output?) and the text between them is not one JSON object: ${syntaxMessage("the extracted part", extracted.json, inner)}`,
      );
    }
    notes.push(
      `Ignored ${extracted.before} non-JSON line(s) before and ${extracted.after} after the plan JSON (CI log output?).`,
    );
  }
  const plan = normalizePlan(source, parsed, notes);
  return keepsExactNumbers(plan) ? plan : normalizePlan(source, parseJsonText(json, true), notes);
}

/** False when a value the review keeps holds an integer beyond 2^53 that JSON.parse rounded. */
function keepsExactNumbers(plan: NormalizedPlan): boolean {
  const changes = [...plan.changes, ...plan.drift, ...plan.deferred.map((d) => d.change)];
  const values = [
    ...changes.flatMap((c) => [c.before, c.after, c.index]),
    ...plan.outputs.flatMap((o) => [o.before, o.after]),
  ];
  return !values.some(hasUnsafeInteger);
}
