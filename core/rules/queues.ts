import { isLiteral, referencedNames } from "./database.ts";
import { list, strings } from "./policy-document.ts";
import { type ResourceBlock, type Rule, resourcesOf, type SynthesizedStack, violation } from "./types.ts";

/** One IAM policy statement, normalized from JSON text or an `aws_iam_policy_document` data source. */
export interface Statement {
  readonly effect: "Allow" | "Deny";
  /** `"*"` for a wildcard principal, otherwise the listed identifiers (wildcards kept as written). */
  readonly principals: readonly string[];
  readonly actions: readonly string[];
  /** condition operator → key → values. */
  readonly conditions: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>;
}

function principalsOf(principal: unknown): string[] {
  if (principal === undefined) return [];
  if (typeof principal === "string") return [principal];
  if (typeof principal === "object" && principal !== null) {
    return Object.values(principal as Record<string, unknown>).flatMap(strings);
  }
  return [String(principal)];
}

function fromJson(doc: unknown): Statement[] {
  const statements = list((doc as { Statement?: unknown } | null)?.Statement);
  return statements.map((raw) => {
    const s = raw as Record<string, unknown>;
    const conditions: Record<string, Record<string, string[]>> = {};
    for (const [op, keys] of Object.entries((s.Condition ?? {}) as Record<string, Record<string, unknown>>)) {
      conditions[op] = Object.fromEntries(Object.entries(keys).map(([k, v]) => [k, strings(v)]));
    }
    return {
      effect: s.Effect === "Deny" ? "Deny" : "Allow",
      principals: principalsOf(s.Principal),
      actions: strings(s.Action),
      conditions,
    };
  });
}

function fromDataDocument(doc: Readonly<Record<string, unknown>>): Statement[] {
  return list(doc.statement).map((raw) => {
    const s = raw as Record<string, unknown>;
    const conditions: Record<string, Record<string, string[]>> = {};
    for (const c of list(s.condition) as Record<string, unknown>[]) {
      const op = String(c.test);
      conditions[op] = { ...conditions[op], [String(c.variable)]: strings(c.values) };
    }
    return {
      effect: s.effect === "Deny" ? "Deny" : "Allow",
      principals: (list(s.principals) as Record<string, unknown>[]).flatMap((p) => strings(p.identifiers)),
      actions: strings(s.actions),
      conditions,
    };
  });
}

/**
 * The statements of a synthesized `policy` value: JSON text (tokens inside strings are fine) or a reference to
 * an `aws_iam_policy_document` data source of the same stack. Undefined when the policy cannot be inspected.
 */
export function policyStatements(value: unknown, stack: SynthesizedStack): Statement[] | undefined {
  if (typeof value !== "string") return undefined;
  const dataRef = /^\$\{data\.aws_iam_policy_document\.([A-Za-z0-9_-]+)\.json\}$/.exec(value);
  if (dataRef?.[1]) {
    const doc = stack.json.data?.aws_iam_policy_document?.[dataRef[1]];
    return doc ? fromDataDocument(doc) : undefined;
  }
  try {
    return fromJson(JSON.parse(value));
  } catch {
    return undefined;
  }
}

/** True for the statement `Deny * when aws:SecureTransport is false`. */
function deniesInsecureTransport(s: Statement, service: string): boolean {
  return (
    s.effect === "Deny" &&
    s.principals.includes("*") &&
    s.actions.some((a) => a === "*" || a === `${service}:*`) &&
    (s.conditions.Bool?.["aws:SecureTransport"] ?? []).includes("false")
  );
}

const queues = (stack: SynthesizedStack) => resourcesOf(stack, "aws_sqs_queue");

/** Names of queues some redrive policy targets, i.e. the dead-letter queues. */
function deadLetterQueueNames(stack: SynthesizedStack): Set<string> {
  const out = new Set<string>();
  for (const q of queues(stack)) {
    for (const n of referencedNames(q.config.redrive_policy, "aws_sqs_queue", "arn")) out.add(n);
  }
  for (const r of resourcesOf(stack, "aws_sqs_queue_redrive_policy")) {
    for (const n of referencedNames(r.config.redrive_policy, "aws_sqs_queue", "arn")) out.add(n);
  }
  return out;
}

/** The policy values that apply to a queue: its inline `policy` and every `aws_sqs_queue_policy` naming it. */
function policiesOf(queue: ResourceBlock, stack: SynthesizedStack): unknown[] {
  const out: unknown[] = queue.config.policy === undefined ? [] : [queue.config.policy];
  for (const p of resourcesOf(stack, "aws_sqs_queue_policy")) {
    if (referencedNames(p.config.queue_url, "aws_sqs_queue", "(?:url|id)").includes(queue.name)) {
      out.push(p.config.policy);
    }
  }
  return out;
}

const sqsHasDlq: Rule = {
  id: "sqs-has-dlq",
  description: "Every queue that is not itself a dead-letter queue has a redrive policy to one.",
  check: (stack) => {
    const dlqs = deadLetterQueueNames(stack);
    const separate = resourcesOf(stack, "aws_sqs_queue_redrive_policy").flatMap((r) =>
      referencedNames(r.config.queue_url, "aws_sqs_queue", "(?:url|id)"),
    );
    return queues(stack)
      .filter((q) => !dlqs.has(q.name) && !separate.includes(q.name))
      .filter((q) => referencedNames(q.config.redrive_policy, "aws_sqs_queue", "arn").length === 0)
      .map((q) =>
        violation(
          "sqs-has-dlq",
          stack,
          q,
          q.config.redrive_policy == null
            ? "queue has no redrive_policy to a dead-letter queue"
            : "redrive_policy does not target a dead-letter queue of this stack",
        ),
      );
  },
};

const sqsEncrypted: Rule = {
  id: "sqs-encrypted",
  description: "Every queue is encrypted at rest, with SSE-SQS or a KMS key.",
  check: (stack) =>
    queues(stack)
      .filter((q) => !isLiteral(q.config.sqs_managed_sse_enabled, true) && !q.config.kms_master_key_id)
      .map((q) =>
        violation("sqs-encrypted", stack, q, "set sqs_managed_sse_enabled = true or kms_master_key_id"),
      ),
};

const sqsTlsOnly: Rule = {
  id: "sqs-tls-only",
  description: "Every queue's policy denies access without TLS (aws:SecureTransport = false).",
  check: (stack) =>
    queues(stack).flatMap((q) => {
      const policies = policiesOf(q, stack);
      if (policies.length === 0)
        return [violation("sqs-tls-only", stack, q, "queue has no policy denying non-TLS access")];
      const statements = policies.map((p) => policyStatements(p, stack));
      if (statements.some((s) => s === undefined)) {
        return [
          violation(
            "sqs-tls-only",
            stack,
            q,
            "queue policy cannot be inspected (not JSON or a policy document)",
          ),
        ];
      }
      return statements.flat().some((s) => s && deniesInsecureTransport(s, "sqs"))
        ? []
        : [
            violation(
              "sqs-tls-only",
              stack,
              q,
              "no statement denies sqs:* when aws:SecureTransport is false",
            ),
          ];
    }),
};

const sqsNoWildcardPrincipal: Rule = {
  id: "sqs-no-wildcard-principal",
  description: "No Allow statement in a queue policy has a wildcard principal.",
  check: (stack) =>
    queues(stack).flatMap((q) =>
      policiesOf(q, stack).flatMap((policy) => {
        const statements = policyStatements(policy, stack);
        if (!statements) {
          return [violation("sqs-no-wildcard-principal", stack, q, "queue policy cannot be inspected")];
        }
        return statements
          .filter((s) => s.effect === "Allow" && s.principals.some((p) => p.includes("*")))
          .map(() =>
            violation(
              "sqs-no-wildcard-principal",
              stack,
              q,
              "an Allow statement has a wildcard principal; name the roles",
            ),
          );
      }),
    ),
};

const sqsDlqAlarmed: Rule = {
  id: "sqs-dlq-alarmed",
  description: "Every dead-letter queue has an alarm with an action on ApproximateNumberOfMessagesVisible.",
  check: (stack) => {
    const alarmed = new Set<string>();
    for (const alarm of resourcesOf(stack, "aws_cloudwatch_metric_alarm")) {
      const c = alarm.config;
      if (c.namespace !== "AWS/SQS" || c.metric_name !== "ApproximateNumberOfMessagesVisible") continue;
      if (strings(c.alarm_actions).length === 0) continue;
      const dims = (c.dimensions ?? {}) as Record<string, unknown>;
      for (const n of referencedNames(dims.QueueName, "aws_sqs_queue", "name")) alarmed.add(n);
    }
    const dlqs = deadLetterQueueNames(stack);
    return queues(stack)
      .filter((q) => dlqs.has(q.name) && !alarmed.has(q.name))
      .map((q) =>
        violation("sqs-dlq-alarmed", stack, q, "dead-letter queue has no alarm on visible messages"),
      );
  },
};

/** Secure defaults of modules/queues (SQS). */
export const queueRules: readonly Rule[] = [
  sqsHasDlq,
  sqsEncrypted,
  sqsTlsOnly,
  sqsNoWildcardPrincipal,
  sqsDlqAlarmed,
];
