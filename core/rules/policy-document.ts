import type { SynthesizedStack } from "./types.ts";

/**
 * Reads IAM policy documents out of synthesized Terraform: literal JSON strings (Terraform
 * interpolations such as `${aws_s3_bucket.x.arn}` inside them are fine) and references to
 * `data.aws_iam_policy_document` blocks. Anything else (e.g. `${jsonencode(...)}`) cannot be read
 * before apply, and the rules treat that as a violation rather than a pass.
 */

export interface PolicyPrincipal {
  /** "AWS", "Service", "Federated", "CanonicalUser", or "*" for `"Principal": "*"`. */
  readonly type: string;
  readonly identifiers: readonly string[];
}

export interface PolicyCondition {
  readonly test: string;
  readonly variable: string;
  readonly values: readonly string[];
}

export interface PolicyStatement {
  readonly effect: string;
  readonly actions: readonly string[];
  readonly notActions: readonly string[];
  readonly resources: readonly string[];
  readonly notResources: readonly string[];
  readonly principals: readonly PolicyPrincipal[];
  readonly conditions: readonly PolicyCondition[];
}

export type PolicyRead =
  | { readonly ok: true; readonly statements: readonly PolicyStatement[] }
  | { readonly ok: false; readonly reason: string };

const DATA_REF = /^\$\{data\.aws_iam_policy_document\.([\w-]+)\.(json|minified_json)\}$/;

/** The statements of a policy value found in a resource's configuration. */
export function readPolicy(stack: SynthesizedStack, value: unknown, depth = 0): PolicyRead {
  if (depth > 5) return { ok: false, reason: "policy documents nest too deeply" };
  if (typeof value !== "string") return { ok: false, reason: `policy is not a string: ${excerpt(value)}` };
  const ref = DATA_REF.exec(value.trim());
  if (ref) {
    const name = ref[1] as string;
    const block = stack.json.data?.aws_iam_policy_document?.[name];
    if (!block)
      return {
        ok: false,
        reason: `policy refers to data.aws_iam_policy_document.${name}, not in this stack`,
      };
    return readPolicyDocumentData(stack, block, depth);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return {
      ok: false,
      reason: `policy is neither literal JSON nor a data.aws_iam_policy_document reference: ${excerpt(value)}`,
    };
  }
  return readJsonPolicy(parsed);
}

/** The statements of a `data.aws_iam_policy_document` block, including its source/override documents. */
function readPolicyDocumentData(
  stack: SynthesizedStack,
  block: Readonly<Record<string, unknown>>,
  depth = 0,
): PolicyRead {
  const statements: PolicyStatement[] = [];
  for (const field of ["source_policy_documents", "override_policy_documents"]) {
    const docs = block[field];
    if (docs === undefined) continue;
    if (!Array.isArray(docs)) return { ok: false, reason: `${field} is not a list: ${excerpt(docs)}` };
    for (const doc of docs) {
      const read = readPolicy(stack, doc, depth + 1);
      if (!read.ok) return read;
      statements.push(...read.statements);
    }
  }
  for (const field of ["source_json", "override_json"]) {
    if (block[field] === undefined) continue;
    const read = readPolicy(stack, block[field], depth + 1);
    if (!read.ok) return read;
    statements.push(...read.statements);
  }
  const raw = block.statement ?? [];
  if (!Array.isArray(raw)) return { ok: false, reason: `statement is not a list: ${excerpt(raw)}` };
  for (const s of raw as Record<string, unknown>[]) {
    const principals = (field: string): PolicyPrincipal[] =>
      list(s[field]).map((p) => {
        const entry = p as Record<string, unknown>;
        return { type: String(entry.type ?? ""), identifiers: strings(entry.identifiers) };
      });
    statements.push({
      effect: typeof s.effect === "string" ? s.effect : "Allow",
      actions: strings(s.actions),
      notActions: strings(s.not_actions),
      resources: strings(s.resources),
      notResources: strings(s.not_resources),
      principals: [...principals("principals"), ...principals("not_principals")],
      conditions: list(s.condition).map((c) => {
        const entry = c as Record<string, unknown>;
        return {
          test: String(entry.test ?? ""),
          variable: String(entry.variable ?? ""),
          values: strings(entry.values),
        };
      }),
    });
  }
  return { ok: true, statements };
}

function readJsonPolicy(doc: unknown): PolicyRead {
  if (typeof doc !== "object" || doc === null) return { ok: false, reason: `policy JSON is not an object` };
  const raw = (doc as Record<string, unknown>).Statement;
  if (raw === undefined) return { ok: false, reason: "policy JSON has no Statement" };
  const statements: PolicyStatement[] = [];
  for (const item of list(raw)) {
    if (typeof item !== "object" || item === null)
      return { ok: false, reason: "a policy statement is not an object" };
    const s = item as Record<string, unknown>;
    const principals: PolicyPrincipal[] = [];
    for (const field of ["Principal", "NotPrincipal"]) {
      const p = s[field];
      if (p === undefined) continue;
      if (p === "*") principals.push({ type: "*", identifiers: ["*"] });
      else if (typeof p === "object" && p !== null) {
        for (const [type, ids] of Object.entries(p)) principals.push({ type, identifiers: strings(ids) });
      }
    }
    const conditions: PolicyCondition[] = [];
    const cond = s.Condition;
    if (typeof cond === "object" && cond !== null) {
      for (const [test, vars] of Object.entries(cond)) {
        if (typeof vars !== "object" || vars === null) continue;
        for (const [variable, values] of Object.entries(vars))
          conditions.push({ test, variable, values: strings(values) });
      }
    }
    statements.push({
      effect: typeof s.Effect === "string" ? s.Effect : "",
      actions: strings(s.Action),
      notActions: strings(s.NotAction),
      resources: strings(s.Resource),
      notResources: strings(s.NotResource),
      principals,
      conditions,
    });
  }
  return { ok: true, statements };
}

/** True for an Allow statement that grants every action on every resource (or their Not* equivalents). */
export function isAdminStatement(s: PolicyStatement): boolean {
  if (s.effect !== "Allow") return false;
  const everyAction = s.actions.some((a) => a === "*" || a === "*:*") || s.notActions.length > 0;
  const everyResource = s.resources.includes("*") || s.notResources.length > 0;
  return everyAction && everyResource;
}

/** A value that may be one item or a list, as a list (none for undefined or null). */
export function list(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** `list`, each item as a string. */
export function strings(value: unknown): string[] {
  return list(value).map((v) => String(v));
}

/** A short, single-line excerpt of a value for messages. */
export function excerpt(value: unknown): string {
  const text = typeof value === "string" ? value : JSON.stringify(value);
  const line = (text ?? String(value)).replace(/\s+/g, " ");
  return line.length > 80 ? `${line.slice(0, 77)}...` : line;
}
