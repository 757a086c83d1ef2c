import type { PolicyStatement } from "./policy-document.ts";

/**
 * A conservative IAM evaluator for rules over synthesized policies, whose strings may still hold
 * Terraform interpolations (`${data.aws_caller_identity.x.account_id}`). Each `${…}` is read the way that
 * makes the policy look MORE permissive: a wildcard in what an Allow grants or a Deny exempts
 * (NotAction, NotResource, negated conditions), a value matching nothing in what a Deny covers. So
 * "not allowed" here means not allowed whatever the interpolations resolve to. References to the
 * provider's own region (`data.aws_region`) are a real region, never one a rule probes with.
 */

export interface ProbeRequest {
  readonly action: string;
  readonly resource: string;
  /** Condition keys present in the request, e.g. { "aws:RequestedRegion": "eu-west-1" }. */
  readonly context?: Readonly<Record<string, string>>;
}

/** The provider's region, as Terraform writes a data.aws_region reference. */
const PROVIDER_REGION = /\$\{data\.aws_region\.[\w-]+\.(?:region|name|id)\}/g;
const INTERPOLATION = /\$\{[^}]*\}/g;

type Reading = "wide" | "narrow";

function pattern(text: string, reading: Reading, ignoreCase: boolean): RegExp {
  const parts = text.replace(PROVIDER_REGION, "<provider-region>").split(INTERPOLATION);
  const escaped = parts.map((part) =>
    part
      .replace(/[.+^${}()|[\]\\]/g, "\\$&")
      .replace(/\*/g, ".*")
      .replace(/\?/g, "."),
  );
  // Wide: an interpolation may be anything. Narrow: it matches nothing, so neither does the pattern.
  const source = reading === "wide" ? escaped.join(".*") : parts.length > 1 ? "(?!)" : (escaped[0] ?? "");
  return new RegExp(`^${source}$`, ignoreCase ? "i" : "");
}

const matchesAny = (patterns: readonly string[], value: string, reading: Reading, ignoreCase = false) =>
  patterns.some((p) => pattern(p, reading, ignoreCase).test(value));

const NEGATED = /^(String|Arn)Not(Equals|Like)(IgnoreCase)?$/;
const POSITIVE = /^(String|Arn)(Equals|Like)(IgnoreCase)?$/;

/**
 * Whether a statement's conditions hold for the request. `permissive` asks "may they hold?" (for an
 * Allow), otherwise "must they hold?" (for a Deny). Unknown operators hold when permissive, not otherwise.
 */
function conditionsHold(s: PolicyStatement, context: Readonly<Record<string, string>>, permissive: boolean) {
  return s.conditions.every((c) => {
    const base = c.test.replace(/^ForAnyValue:|^ForAllValues:/, "").replace(/IfExists$/, "");
    const actual = context[c.variable];
    const ignoreCase = base.endsWith("IgnoreCase");
    if (NEGATED.test(base)) {
      if (actual === undefined) return true;
      // Negated: holds when the value matches none; an Allow reads interpolations narrowly (fewer matches).
      return !matchesAny(c.values, actual, permissive ? "narrow" : "wide", ignoreCase);
    }
    if (POSITIVE.test(base)) {
      if (actual === undefined) return c.test.endsWith("IfExists");
      return matchesAny(c.values, actual, permissive ? "wide" : "narrow", ignoreCase);
    }
    return permissive;
  });
}

function applies(s: PolicyStatement, request: ProbeRequest, permissive: boolean): boolean {
  const wide: Reading = permissive ? "wide" : "narrow";
  const exempt: Reading = permissive ? "narrow" : "wide";
  const action =
    s.actions.length > 0
      ? matchesAny(s.actions, request.action, wide, true)
      : s.notActions.length > 0 && !matchesAny(s.notActions, request.action, exempt, true);
  if (!action) return false;
  const resource =
    s.resources.length > 0
      ? matchesAny(s.resources, request.resource, wide)
      : s.notResources.length > 0 && !matchesAny(s.notResources, request.resource, exempt);
  return resource && conditionsHold(s, request.context ?? {}, permissive);
}

/** True when some Allow may grant the request and no Deny surely refuses it. */
export function mayAllow(statements: readonly PolicyStatement[], request: ProbeRequest): boolean {
  if (statements.some((s) => s.effect === "Deny" && applies(s, request, false))) return false;
  return statements.some((s) => s.effect === "Allow" && applies(s, request, true));
}

/** True when a Deny surely refuses the request, whatever the interpolations resolve to. */
export function surelyDenied(statements: readonly PolicyStatement[], request: ProbeRequest): boolean {
  return statements.some((s) => s.effect === "Deny" && applies(s, request, false));
}
