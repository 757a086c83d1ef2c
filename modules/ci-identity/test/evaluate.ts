/**
 * A small IAM policy evaluator for tests: enough of AWS's logic (explicit Deny wins, then any Allow,
 * else implicit deny; `*`/`?` wildcards; String/Arn Equals and NotEquals conditions, where a negated
 * operator matches a missing key) to check what a policy document lets a caller do.
 */

export interface Request {
  readonly action: string;
  readonly resource: string;
  /** Condition keys present in the request, e.g. { "iam:PermissionsBoundary": "arn:..." }. */
  readonly context?: Readonly<Record<string, string>>;
}

export type Decision = "allow" | "deny" | "implicit-deny";

interface Statement {
  Effect: string;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

const list = (v: string | string[] | undefined) => (v === undefined ? [] : [v].flat());

function glob(pattern: string, value: string, ignoreCase: boolean): boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${source}$`, ignoreCase ? "i" : "").test(value);
}

function matches(s: Statement, request: Request): boolean {
  const action = (p: string) => glob(p, request.action, true);
  const resource = (p: string) => glob(p, request.resource, false);
  const actionOk = s.Action !== undefined ? list(s.Action).some(action) : !list(s.NotAction).some(action);
  const resourceOk =
    s.Resource !== undefined ? list(s.Resource).some(resource) : !list(s.NotResource).some(resource);
  return actionOk && resourceOk && conditionsHold(s.Condition ?? {}, request.context ?? {});
}

function conditionsHold(condition: Statement["Condition"] & object, context: Record<string, string>) {
  return Object.entries(condition).every(([test, keys]) =>
    Object.entries(keys).every(([key, expected]) => {
      const actual = context[key];
      const equal = actual !== undefined && list(expected).includes(actual);
      if (test === "StringEquals" || test === "ArnEquals") return equal;
      if (test === "StringNotEquals" || test === "ArnNotEquals") return !equal;
      throw new Error(`evaluate: condition operator ${test} is not supported`);
    }),
  );
}

/** What `policy` (a JSON policy document) decides for `request`. */
export function evaluate(policy: string, request: Request): Decision {
  const statements = [JSON.parse(policy).Statement].flat() as Statement[];
  const applicable = statements.filter((s) => matches(s, request));
  if (applicable.some((s) => s.Effect === "Deny")) return "deny";
  return applicable.some((s) => s.Effect === "Allow") ? "allow" : "implicit-deny";
}
