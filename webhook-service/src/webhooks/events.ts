/** Which deliveries the service acts on, and which job each becomes. Everything else is acknowledged and ignored. */
const RELEVANT: Readonly<Record<string, readonly string[] | "all">> = {
  pull_request: [
    "opened",
    "synchronize",
    "reopened",
    "edited",
    "labeled",
    "unlabeled",
    "ready_for_review",
    "closed",
  ],
  pull_request_review: ["submitted", "edited", "dismissed"],
  check_run: ["rerequested"],
  check_suite: ["rerequested"],
  merge_group: ["checks_requested"],
  issue_comment: ["created", "edited"],
  installation: "all",
  installation_repositories: "all",
  // GATE: a GitHub environment asks whether a deployment (an apply job) may start.
  deployment_protection_rule: ["requested"],
};

export function isRelevant(event: string, action: string | undefined): boolean {
  const actions = RELEVANT[event];
  if (!actions) return false;
  return actions === "all" || (action !== undefined && actions.includes(action));
}

/** `/sluice recheck` or `/sluice explain` at the start of a line of a comment. */
export function sluiceCommand(body: string | null | undefined): "recheck" | "explain" | undefined {
  const match = /^\s*\/sluice\s+(recheck|explain)\b/m.exec(body ?? "");
  return match?.[1] as "recheck" | "explain" | undefined;
}

export interface Routed {
  /** Job kind and coalescing key; undefined: nothing to do beyond storing and auditing the delivery. */
  readonly job?: { readonly kind: string; readonly key: string; readonly payload: Record<string, unknown> };
  readonly repository?: string;
  readonly installationId?: number;
  /** The job reads the delivery's body later, so it is stored; other deliveries keep only its digest. */
  readonly keepBody?: true;
}

// Webhook payloads are read defensively (optional chaining everywhere); the intake verified only the signature.
// biome-ignore lint/suspicious/noExplicitAny: a payload of any event, narrowed per event below
type Payload = Record<string, any>;

export function evaluationKey(repository: string, pullNumber: number): string {
  return `evaluate:${repository}#${pullNumber}`;
}

/** Decides, from a verified and parsed relevant delivery, the job it becomes. */
export function route(event: string, deliveryId: string, payload: Payload): Routed {
  const repository: string | undefined = payload.repository?.full_name;
  const installationId: number | undefined = payload.installation?.id;
  const base = { ...(repository ? { repository } : {}), ...(installationId ? { installationId } : {}) };
  const evaluate = (pullNumber: number | undefined, extra: Record<string, unknown> = {}): Routed => {
    if (!repository || !pullNumber) return base;
    return {
      ...base,
      job: {
        kind: "evaluate",
        key: evaluationKey(repository, pullNumber),
        payload: { repository, pullNumber, installationId, deliveryId, ...extra },
      },
    };
  };
  switch (event) {
    case "pull_request":
      return evaluate(payload.pull_request?.number, {
        headSha: payload.pull_request?.head?.sha,
        baseRef: payload.pull_request?.base?.ref,
      });
    case "pull_request_review":
      return evaluate(payload.pull_request?.number, {
        headSha: payload.pull_request?.head?.sha,
        baseRef: payload.pull_request?.base?.ref,
      });
    case "check_run":
    case "check_suite": {
      const subject = event === "check_run" ? payload.check_run : payload.check_suite;
      const number: number | undefined = subject?.pull_requests?.[0]?.number;
      if (number !== undefined) return evaluate(number);
      // GitHub leaves pull_requests empty for forks and some re-runs: find the pull requests by head SHA.
      if (!repository || !subject?.head_sha) return base;
      return {
        ...base,
        job: {
          kind: "evaluate-sha",
          key: `evaluate-sha:${repository}@${subject.head_sha}`,
          payload: { repository, installationId, deliveryId, headSha: subject.head_sha },
        },
      };
    }
    case "issue_comment": {
      const command = sluiceCommand(payload.comment?.body);
      if (!payload.issue?.pull_request || !command) return base;
      return evaluate(payload.issue.number, { command, commandBy: payload.comment?.user?.login });
    }
    case "merge_group": {
      const group = payload.merge_group;
      if (!repository || !group?.head_sha) return base;
      return {
        ...base,
        job: {
          kind: "merge-group",
          key: `merge-group:${repository}@${group.head_sha}`,
          payload: {
            repository,
            installationId,
            deliveryId,
            headSha: group.head_sha,
            headRef: group.head_ref,
          },
        },
      };
    }
    case "installation":
    case "installation_repositories":
      return {
        ...base,
        job: { kind: "installation", key: `installation:${deliveryId}`, payload: { deliveryId, event } },
        keepBody: true,
      };
    case "deployment_protection_rule":
      return {
        ...base,
        job: {
          kind: "deployment-protection",
          key: `deployment-protection:${deliveryId}`,
          payload: { deliveryId, repository, installationId },
        },
        keepBody: true,
      };
    default:
      return base;
  }
}
