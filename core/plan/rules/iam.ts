import type { RiskFinding } from "../findings.ts";
import { isMasked, type PlanValue, UNKNOWN } from "../values.ts";
import { type ChangeRule, finding, get, items, writes } from "./access.ts";
import { policyIssues } from "./policy.ts";

/** Attributes that are a policy document. */
const DOCUMENT_KEYS = ["policy", "assume_role_policy", "access_policies"];

/** Attributes that hold policy documents: the documents themselves and inline_policy blocks. */
const POLICY_KEYS = [...DOCUMENT_KEYS, "inline_policy"];

/** The attributes of a resource value that hold policy documents. */
function policyDocuments(side: PlanValue): { path: string; value: PlanValue | undefined }[] {
  const docs: { path: string; value: PlanValue | undefined }[] = [];
  for (const path of DOCUMENT_KEYS) docs.push({ path, value: get(side, path) });
  items(get(side, "inline_policy")).forEach((p, i) => {
    docs.push({ path: `inline_policy[${i}].policy`, value: get(p, "policy") });
  });
  return docs;
}

/** Any change to IAM, and trust policy changes in particular. */
export const iamChangeRule: ChangeRule = (change) => {
  if (!change.type.startsWith("aws_iam_") || change.mode === "data") return [];
  if (change.kind === "noop" || change.kind === "read" || change.kind === "move") return [];
  const out: RiskFinding[] = [];
  const trustBefore = get(change.before, "assume_role_policy");
  const trustAfter = get(change.after, "assume_role_policy");
  const trustChanged =
    change.type === "aws_iam_role" &&
    writes(change) &&
    trustAfter !== undefined &&
    trustAfter !== trustBefore;
  if (trustChanged && change.before !== null) {
    out.push(finding("iam-trust", "high", change, "changes who may assume this role (assume_role_policy)."));
  } else if (trustChanged) {
    out.push(
      finding(
        "iam-change",
        "medium",
        change,
        "creates a role: review who may assume it (assume_role_policy).",
      ),
    );
  } else if (change.type === "aws_iam_access_key" && change.kind === "create") {
    out.push(finding("iam-change", "high", change, "creates a long-lived IAM access key."));
  } else {
    out.push(finding("iam-change", "medium", change, `IAM change: ${change.kind} of ${change.type}.`));
  }
  return out;
};

/** A fast path: most changes have no policy attribute, and policyDocuments allocates for each change. */
function hasPolicyKey(value: object): boolean {
  // Stryker disable next-line ConditionalExpression: a fast path; taking every value for one with a policy key only reads documents that are not there
  for (const key of POLICY_KEYS) if (key in value) return true;
  // Stryker disable next-line BooleanLiteral: a fast path; a value without policy keys has no documents to read
  return false;
}

/** Wildcard actions or resources, and public principals, in any policy document that changes. */
export const policyRule: ChangeRule = (change) => {
  if (!writes(change) || change.mode === "data") return [];
  const after = change.after;
  // Stryker disable next-line ConditionalExpression: a fast path; a value that is not an object, or has no policy key, has no documents to read
  if (typeof after !== "object" || after === null || !hasPolicyKey(after)) return [];
  const out: RiskFinding[] = [];
  const before = new Map(policyDocuments(change.before).map((d) => [d.path, d.value]));
  for (const { path, value } of policyDocuments(change.after)) {
    // An absent or null document is neither unknown nor text, so the checks below skip it.
    if (value === before.get(path)) continue;
    if (value === UNKNOWN && change.type.startsWith("aws_iam_")) {
      out.push(
        finding(
          "iam-policy-unknown",
          "medium",
          change,
          `${path} is known only after apply; review its source.`,
        ),
      );
      continue;
    }
    if (isMasked(value) || typeof value !== "string") continue;
    for (const issue of policyIssues(value) ?? []) {
      if (issue.kind === "public-principal") {
        out.push(finding("public-exposure", "critical", change, `${path}: ${issue.detail}.`));
      } else {
        const severity =
          issue.kind === "action-wildcard" || issue.kind === "not-action" ? "critical" : "high";
        out.push(finding("iam-wildcard", severity, change, `${path}: ${issue.detail}.`));
      }
    }
  }
  return out;
};
