/** Reading IAM policy documents (JSON strings in plan values) for wildcards and public principals. */

export interface PolicyIssue {
  readonly kind:
    | "action-wildcard"
    | "service-wildcard"
    | "not-action"
    | "resource-wildcard"
    | "public-principal";
  readonly detail: string;
}

/** A field that holds one value or a list, as a list; an absent field gives [undefined], which matches nothing. */
function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [value];
}

function isPublicPrincipal(principal: unknown): boolean {
  if (principal === "*") return true;
  if (typeof principal !== "object" || principal === null) return false;
  const aws = (principal as Record<string, unknown>).AWS;
  return list(aws).includes("*");
}

/**
 * Issues in a policy document; undefined when the text is not a JSON policy.
 * Only Allow statements count; a public principal with a Condition is left to the reviewer.
 */
export function policyIssues(text: string): PolicyIssue[] | undefined {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    // Not JSON: doc stays undefined, which the next line rejects.
  }
  if (typeof doc !== "object" || doc === null) return undefined;
  const issues: PolicyIssue[] = [];
  for (const statement of list((doc as Record<string, unknown>).Statement)) {
    if (typeof statement !== "object" || statement === null) continue;
    const s = statement as Record<string, unknown>;
    if ((s.Effect ?? "Allow") !== "Allow") continue;
    const sid =
      typeof s.Sid === "string" && s.Sid !== "" ? `statement ${JSON.stringify(s.Sid)}` : "a statement";
    for (const action of list(s.Action)) {
      if (action === "*" || action === "*:*") {
        issues.push({ kind: "action-wildcard", detail: `${sid} allows every action ("*")` });
      } else if (typeof action === "string" && /^[a-z0-9-]+:\*$/i.test(action)) {
        issues.push({
          kind: "service-wildcard",
          detail: `${sid} allows every ${action.split(":")[0]} action ("${action}")`,
        });
      }
    }
    if (s.NotAction !== undefined) {
      issues.push({
        kind: "not-action",
        detail: `${sid} allows everything except the listed actions (NotAction)`,
      });
    }
    if (list(s.Resource).includes("*") || s.NotResource !== undefined) {
      issues.push({ kind: "resource-wildcard", detail: `${sid} applies to every resource ("*")` });
    }
    if (isPublicPrincipal(s.Principal) && s.Condition === undefined) {
      issues.push({
        kind: "public-principal",
        detail: `${sid} allows any principal ("*") without a condition`,
      });
    }
  }
  return issues;
}
