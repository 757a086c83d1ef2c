import type { AuditRow } from "../audit/log.ts";

export type Step =
  | "opened"
  | "pushed"
  | "planned"
  | "reviewed"
  | "evaluated"
  | "overridden"
  | "gated"
  | "applied"
  | "closed"
  | "other";

export interface TimelineEntry {
  readonly step: Step;
  readonly at: string;
  readonly actor: string;
  /** One line saying what happened. */
  readonly text: string;
  readonly seq: number;
}

const short = (sha: string | undefined) => (sha ? sha.slice(0, 7) : "");

/** What an audit event means in a pull request's story. */
export function describeEvent(row: AuditRow): TimelineEntry {
  const d = (row.details ?? {}) as Record<string, unknown>;
  const base = { at: row.at, actor: row.actor, seq: row.seq };
  const reasons = Array.isArray(d.reasons) ? (d.reasons as string[]) : [];
  if (row.action === "delivery.received") {
    const event = String(d.event ?? "");
    const action = String(d.action ?? "");
    if (event === "pull_request" && (action === "opened" || action === "reopened")) {
      return { ...base, step: "opened", text: `${action} the pull request at ${short(row.headSha)}` };
    }
    if (event === "pull_request" && action === "synchronize") {
      return { ...base, step: "pushed", text: `pushed ${short(row.headSha)}` };
    }
    if (event === "pull_request" && action === "closed")
      return { ...base, step: "closed", text: "closed the pull request" };
    if (event === "pull_request_review")
      return { ...base, step: "reviewed", text: `reviewed at ${short(row.headSha)}` };
    if (event === "deployment_protection_rule") {
      return {
        ...base,
        step: "gated",
        text: `asked to deploy to ${String(d.environment ?? "an environment")}`,
      };
    }
    return { ...base, step: "other", text: `${event}${action ? `.${action}` : ""} delivered` };
  }
  if (row.action === "plan.uploaded") {
    return {
      ...base,
      step: "planned",
      text: `uploaded the plan of ${String(d.stack ?? "a stack")} (${row.planDigest ?? ""})`,
    };
  }
  if (row.action.startsWith("gate.")) {
    const what = d.stack ? `stack ${String(d.stack)}` : `environment ${String(d.environment ?? "")}`;
    const via = d.via === "deployment-protection-rule" ? " (deployment protection rule)" : "";
    return row.action === "gate.allowed"
      ? { ...base, step: "gated", text: `was allowed to apply ${what}${via}` }
      : { ...base, step: "gated", text: `was refused applying ${what}${via}: ${reasons.join("; ")}` };
  }
  if (row.action.startsWith("apply.")) {
    const what = `stack ${String(d.stack ?? "")} (${row.planDigest ?? ""})`;
    return row.action === "apply.succeeded"
      ? { ...base, step: "applied", text: `applied ${what}` }
      : { ...base, step: "applied", text: `failed to apply ${what}` };
  }
  if (row.action.startsWith("override.")) {
    return { ...base, step: "overridden", text: `overrode: ${String(d.reason ?? d.rule ?? row.action)}` };
  }
  if (row.action.startsWith("decision.") || row.action.startsWith("evaluation.")) {
    return { ...base, step: "evaluated", text: `decision: ${String(d.state ?? d.summary ?? row.action)}` };
  }
  return { ...base, step: "other", text: row.action };
}
