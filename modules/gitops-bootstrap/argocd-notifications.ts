import {
  type ArgoCdNotice,
  formatNotice,
  type HealthStatus,
  type SyncStatus,
} from "../../core/chat/format.ts";

/**
 * Argo CD's notifications controller posting sync and health changes to the same chat webhook as the
 * pipeline, in the same format: each template's webhook body is core/chat/format.ts's output for the
 * state its trigger fires on, with Argo CD template expressions where the application's own values go.
 * The body is built here, at synth time, from the formatter itself, so the two cannot drift apart.
 */

/** The webhook service name in argocd-notifications-cm (`service.webhook.<name>`). */
export const CHAT_SERVICE = "sluice-chat";
/** Secret the chart reads `$<key>` references from; created out of band, never by Terraform or Git. */
export const NOTIFICATIONS_SECRET = "argocd-notifications-secret";
/** Key of the webhook URL in that secret. */
export const CHAT_URL_KEY = "chat-webhook-url";

/** Go template text for a value of the application: made safe for Slack mrkdwn, then for a JSON string. */
function field(path: string, limit?: number): string {
  const steps = [
    `.${path}`,
    ...(limit ? [`trunc ${limit}`] : []),
    'replace "&" "&amp;"',
    'replace "<" "&lt;"',
    'replace ">" "&gt;"',
    "toJson",
    'trimPrefix "\\""',
    'trimSuffix "\\""',
  ];
  return `{{ ${steps.join(" | ")} }}`;
}

/** Markers the formatter passes through untouched (no mrkdwn characters), swapped for template text. */
const MARKERS = {
  application: { marker: "SLUICEAPPLICATION", template: field("app.metadata.name") },
  revision: { marker: "SLUICEREVISION", template: field("app.status.sync.revision", 7) },
  sync: { marker: "SLUICESYNC", template: field("app.status.sync.status") },
  health: { marker: "SLUICEHEALTH", template: field("app.status.health.status") },
  message: { marker: "SLUICEMESSAGE", template: field("app.status.operationState.message", 2800) },
} as const;

export interface ChatTrigger {
  /** Trigger name (`trigger.<name>` in argocd-notifications-cm). */
  readonly trigger: string;
  /** Template name (`template.<name>`). */
  readonly template: string;
  /** The trigger's condition (expr language, over `app`). */
  readonly when: string;
  /** Send once per this field's value (e.g. once per synced revision). */
  readonly oncePer?: string;
  /** The notice this trigger's state formats as; markers stand for the application's values. */
  readonly notice: Omit<ArgoCdNotice, "environment">;
}

/**
 * The state each trigger fires in fixes what the formatter says (its emoji and words); the conditions
 * are exclusive where the formatter's order would otherwise disagree (a degraded app is "degraded",
 * not "out of sync").
 */
export const CHAT_TRIGGERS: readonly ChatTrigger[] = [
  {
    trigger: "sluice-on-deployed",
    template: "sluice-deployed",
    when: "app.status.operationState != nil and app.status.operationState.phase in ['Succeeded'] and app.status.sync.status == 'Synced' and app.status.health.status == 'Healthy'",
    oncePer: "app.status.sync.revision",
    notice: {
      source: "argocd",
      application: MARKERS.application.marker,
      sync: "Synced",
      health: "Healthy",
      revision: MARKERS.revision.marker,
    },
  },
  {
    trigger: "sluice-on-sync-failed",
    template: "sluice-sync-failed",
    when: "app.status.operationState != nil and app.status.operationState.phase in ['Error', 'Failed'] and app.status.health.status != 'Degraded' and app.status.health.status != 'Missing'",
    oncePer: "app.status.operationState.startedAt",
    notice: {
      source: "argocd",
      application: MARKERS.application.marker,
      sync: "OutOfSync",
      // Neither Degraded nor Missing (the condition says so), so the formatter says "out of sync".
      health: MARKERS.health.marker as HealthStatus,
      revision: MARKERS.revision.marker,
      message: MARKERS.message.marker,
    },
  },
  {
    trigger: "sluice-on-health-degraded",
    template: "sluice-health-degraded",
    when: "app.status.health.status == 'Degraded'",
    notice: {
      source: "argocd",
      application: MARKERS.application.marker,
      sync: MARKERS.sync.marker as SyncStatus,
      health: "Degraded",
      revision: MARKERS.revision.marker,
    },
  },
];

/** The webhook body of a trigger's template: the formatter's JSON with the markers swapped. */
export function templateBody(environment: string, trigger: ChatTrigger): string {
  let body = JSON.stringify(formatNotice({ ...trigger.notice, environment }));
  for (const { marker, template } of Object.values(MARKERS)) body = body.replaceAll(marker, template);
  return body;
}

/** The `notifications` values of the argo-cd chart for one environment. */
export function chatNotificationValues(environment: string): Record<string, unknown> {
  const yaml = (value: unknown) => JSON.stringify(value, null, 2);
  return {
    enabled: true,
    // The webhook URL is a secret: the chart must not create (and later overwrite) the secret holding it.
    secret: { create: false },
    notifiers: {
      [`service.webhook.${CHAT_SERVICE}`]: yaml({
        url: `$${CHAT_URL_KEY}`,
        headers: [{ name: "Content-Type", value: "application/json" }],
      }),
    },
    templates: Object.fromEntries(
      CHAT_TRIGGERS.map((t) => [
        `template.${t.template}`,
        yaml({ webhook: { [CHAT_SERVICE]: { method: "POST", body: templateBody(environment, t) } } }),
      ]),
    ),
    triggers: Object.fromEntries(
      CHAT_TRIGGERS.map((t) => [
        `trigger.${t.trigger}`,
        yaml([{ when: t.when, send: [t.template], ...(t.oncePer ? { oncePer: t.oncePer } : {}) }]),
      ]),
    ),
    subscriptions: [{ recipients: [CHAT_SERVICE], triggers: CHAT_TRIGGERS.map((t) => t.trigger) }],
  };
}
