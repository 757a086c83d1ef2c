/**
 * One formatter for every chat notice (Slack's incoming-webhook format): the pipeline's stages and
 * Argo CD's sync and health changes. Pure: plain data in, the JSON body to POST out. The webhook URL
 * is a secret and never passes through here.
 */

export type PipelineStage = "plan-ready" | "approved" | "applied" | "deployed" | "failed";

export interface PipelineNotice {
  readonly source: "pipeline";
  readonly stage: PipelineStage;
  readonly environment: string;
  /** owner/name */
  readonly repository: string;
  /** Full commit SHA; shown as its first 7 characters. */
  readonly commit: string;
  readonly actor?: string;
  readonly pullRequest?: number;
  /** Link to the workflow run. */
  readonly runUrl?: string;
  /** One line of detail, e.g. the plan summary or the failing step. */
  readonly detail?: string;
}

export type SyncStatus = "Synced" | "OutOfSync" | "Unknown";
export type HealthStatus = "Healthy" | "Progressing" | "Degraded" | "Suspended" | "Missing" | "Unknown";

export interface ArgoCdNotice {
  readonly source: "argocd";
  readonly application: string;
  readonly environment: string;
  readonly sync: SyncStatus;
  readonly health: HealthStatus;
  /** The revision synced (a commit SHA); shown as its first 7 characters. */
  readonly revision?: string;
  /** Link to the application in the Argo CD UI. */
  readonly url?: string;
  /** Argo CD's operation message, e.g. why a sync failed. */
  readonly message?: string;
}

export type ChatNotice = PipelineNotice | ArgoCdNotice;

export interface SlackMessage {
  /** The notification text (shown where blocks cannot be, e.g. push notifications). */
  text: string;
  blocks: SlackBlock[];
}
export type SlackBlock =
  | { type: "section"; text: { type: "mrkdwn"; text: string } }
  | { type: "context"; elements: { type: "mrkdwn"; text: string }[] };

/** Slack's section text limit. */
const SECTION_LIMIT = 3000;

const STAGES: Record<PipelineStage, { emoji: string; says: string }> = {
  "plan-ready": { emoji: ":memo:", says: "plan ready for review" },
  approved: { emoji: ":white_check_mark:", says: "approved" },
  applied: { emoji: ":hammer_and_wrench:", says: "applied" },
  deployed: { emoji: ":rocket:", says: "deployed" },
  failed: { emoji: ":x:", says: "failed" },
};

/** Slack mrkdwn control characters escaped, so names and messages cannot inject links or mentions. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** A link only for http(s) URLs without characters that would break Slack's `<url|label>` syntax. */
function link(url: string | undefined, label: string): string {
  if (!url || !/^https?:\/\/[^\s<>|]+$/.test(url)) return escapeMrkdwn(label);
  return `<${url}|${escapeMrkdwn(label)}>`;
}

const short = (sha: string) => (/^[0-9a-f]{7,40}$/.test(sha) ? sha.slice(0, 7) : escapeMrkdwn(sha));

function truncate(text: string, limit = SECTION_LIMIT): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 1)}…`;
}

function argoCdState(n: ArgoCdNotice): { emoji: string; says: string } {
  if (n.health === "Degraded" || n.health === "Missing")
    return { emoji: ":x:", says: `is ${n.health.toLowerCase()}` };
  if (n.sync === "OutOfSync") return { emoji: ":warning:", says: "is out of sync" };
  if (n.health === "Progressing") return { emoji: ":hourglass_flowing_sand:", says: "is progressing" };
  if (n.sync === "Synced" && n.health === "Healthy")
    return { emoji: ":large_green_circle:", says: "is synced and healthy" };
  return { emoji: ":grey_question:", says: `is ${n.sync.toLowerCase()}, ${n.health.toLowerCase()}` };
}

/** The Slack incoming-webhook body for a notice. */
export function formatNotice(notice: ChatNotice): SlackMessage {
  const env = escapeMrkdwn(notice.environment);
  if (notice.source === "pipeline") {
    const { emoji, says } = STAGES[notice.stage];
    const repo = escapeMrkdwn(notice.repository);
    const pr = notice.pullRequest !== undefined ? ` #${notice.pullRequest}` : "";
    const headline = `${emoji} *${env}*: ${repo}${pr} ${says}`;
    const context = [
      `commit \`${short(notice.commit)}\``,
      ...(notice.actor ? [`by ${escapeMrkdwn(notice.actor)}`] : []),
      ...(notice.runUrl ? [link(notice.runUrl, "workflow run")] : []),
    ];
    return message(
      `${notice.environment}: ${notice.repository}${pr} ${says}`,
      headline,
      notice.detail,
      context,
    );
  }
  const { emoji, says } = argoCdState(notice);
  const app = escapeMrkdwn(notice.application);
  const name = notice.url ? link(notice.url, notice.application) : `*${app}*`;
  const headline = `${emoji} *${env}*: ${name} ${says}`;
  const context = [
    `sync ${escapeMrkdwn(notice.sync)}, health ${escapeMrkdwn(notice.health)}`,
    ...(notice.revision ? [`revision \`${short(notice.revision)}\``] : []),
  ];
  return message(`${notice.environment}: ${notice.application} ${says}`, headline, notice.message, context);
}

function message(
  text: string,
  headline: string,
  detail: string | undefined,
  context: string[],
): SlackMessage {
  const body = detail ? `${headline}\n${escapeMrkdwn(detail)}` : headline;
  return {
    text: truncate(text, 150),
    blocks: [
      { type: "section", text: { type: "mrkdwn", text: truncate(body) } },
      { type: "context", elements: [{ type: "mrkdwn", text: truncate(context.join(" · ")) }] },
    ],
  };
}
