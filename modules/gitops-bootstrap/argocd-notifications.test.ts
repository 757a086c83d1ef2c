import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { type ArgoCdNotice, formatNotice } from "../../core/chat/format.ts";
import { resourcesOf, synthJson, testStack } from "../test/stack.ts";
import { CHAT_SERVICE, CHAT_TRIGGERS, CHAT_URL_KEY, chatNotificationValues } from "./argocd-notifications.ts";
import { configureClusterProviders } from "./cluster-providers.ts";
import { GitopsBootstrap } from "./gitops-bootstrap.ts";

/**
 * Renders the subset of Go templates (with Sprig) the bodies use, `{{ .a.b | fn args | … }}`, the way
 * Argo CD's notifications controller does, so a body can be compared with the formatter's output.
 */
function render(template: string, data: Record<string, unknown>): string {
  return template.replace(/\{\{(.*?)\}\}/g, (_, inner: string) => {
    const [head, ...pipes] = inner.split(" | ").map((part) => part.trim());
    let value: unknown = (head ?? "")
      .replace(/^\./, "")
      .split(".")
      .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], data);
    if (value === undefined) throw new Error(`no value at ${head}`);
    for (const pipe of pipes) {
      const [fn, ...args] = [...pipe.matchAll(/"((?:\\.|[^"\\])*)"|(\S+)/g)].map((m) =>
        m[1] !== undefined ? (JSON.parse(`"${m[1]}"`) as string) : (m[2] as string),
      );
      const s = String(value);
      if (fn === "trunc") value = s.slice(0, Number(args[0]));
      else if (fn === "replace") value = s.split(args[0] as string).join(args[1] as string);
      // Go's encoding/json escapes <, > and & in strings (as \u003c, \u003e, \u0026).
      else if (fn === "toJson")
        value = JSON.stringify(value).replace(/[<>&]/g, (c) => `\\u00${c.charCodeAt(0).toString(16)}`);
      else if (fn === "trimPrefix") value = s.startsWith(args[0] as string) ? s.slice(1) : s;
      else if (fn === "trimSuffix") value = s.endsWith(args[0] as string) ? s.slice(0, -1) : s;
      else throw new Error(`function ${fn} is not rendered here`);
    }
    return String(value);
  });
}

const REVISION = "0123456789abcdef0123456789abcdef01234567";
const app = (name: string, sync: string, health: string, message?: string) => ({
  app: {
    metadata: { name, namespace: "staging-argocd" },
    status: {
      sync: { status: sync, revision: REVISION },
      health: { status: health },
      operationState: { phase: "Failed", message: message ?? "" },
    },
  },
});

const values = chatNotificationValues("staging") as {
  enabled: boolean;
  secret: { create: boolean };
  notifiers: Record<string, string>;
  templates: Record<string, string>;
  triggers: Record<string, string>;
  subscriptions: { recipients: string[]; triggers: string[] }[];
};
const body = (template: string) =>
  (parse(values.templates[`template.${template}`] ?? "") as { webhook: Record<string, { body: string }> })
    .webhook[CHAT_SERVICE]?.body ?? "";

describe("Argo CD chat notifications", () => {
  it("post to the webhook service whose URL comes from the notifications secret, never from values", () => {
    expect(values.enabled).toBe(true);
    expect(values.secret).toEqual({ create: false });
    expect(parse(values.notifiers[`service.webhook.${CHAT_SERVICE}`] ?? "")).toEqual({
      url: `$${CHAT_URL_KEY}`,
      headers: [{ name: "Content-Type", value: "application/json" }],
    });
    expect(JSON.stringify(values)).not.toMatch(/hooks\.slack\.com|https:\/\//);
    expect(values.subscriptions).toEqual([
      {
        recipients: [CHAT_SERVICE],
        triggers: ["sluice-on-deployed", "sluice-on-sync-failed", "sluice-on-health-degraded"],
      },
    ]);
    for (const t of CHAT_TRIGGERS) {
      expect(parse(values.triggers[`trigger.${t.trigger}`] ?? "")).toEqual([
        { when: t.when, send: [t.template], ...(t.oncePer ? { oncePer: t.oncePer } : {}) },
      ]);
    }
  });

  it.each([
    ["sluice-deployed", app("staging-orders", "Synced", "Healthy"), { sync: "Synced", health: "Healthy" }],
    [
      "sluice-sync-failed",
      app(
        "staging-orders",
        "OutOfSync",
        "Progressing",
        'one or more objects failed to apply: "orders" <!channel> & more',
      ),
      {
        sync: "OutOfSync",
        health: "Progressing",
        message: 'one or more objects failed to apply: "orders" <!channel> & more',
      },
    ],
    [
      "sluice-health-degraded",
      app("staging-webhook", "Synced", "Degraded"),
      { sync: "Synced", health: "Degraded" },
    ],
  ] as const)(
    "%s renders to exactly what the formatter makes of the same application",
    (template, data, state) => {
      const rendered = JSON.parse(render(body(template), data));
      const expected: ArgoCdNotice = {
        source: "argocd",
        application: data.app.metadata.name,
        environment: "staging",
        revision: REVISION,
        ...(state as Pick<ArgoCdNotice, "sync" | "health" | "message">),
      };
      expect(rendered).toEqual(formatNotice(expected));
    },
  );

  it("keep a hostile operation message inside its JSON string and out of Slack's markup", () => {
    const data = app("prod-orders", "OutOfSync", "Healthy", '"}],"text":"<!here>\n');
    const rendered = JSON.parse(render(body("sluice-sync-failed"), data)) as ReturnType<typeof formatNotice>;
    expect(Object.keys(rendered)).toEqual(["text", "blocks"]);
    const section = rendered.blocks[0];
    expect(section?.type === "section" && section.text.text).toContain('"}],"text":"&lt;!here&gt;\n');
  });

  it("are configured in the Argo CD release of every environment, and can be turned off", () => {
    const valuesOf = (chatNotifications?: boolean) => {
      const stack = testStack("prod");
      configureClusterProviders(stack, "prod-eks-cluster", "eu-west-1");
      new GitopsBootstrap(stack, "gitops", {
        clusterName: "prod-eks-cluster",
        repoUrl: "https://github.com/acme/platform.git",
        ...(chatNotifications === undefined ? {} : { chatNotifications }),
      });
      const release = Object.values(resourcesOf(synthJson(stack), "helm_release")).find(
        (r) => r.chart === "argo-cd",
      );
      return JSON.parse(String((release?.values as string[] | undefined)?.[0])) as {
        notifications: Record<string, unknown>;
      };
    };
    expect(valuesOf().notifications).toEqual(chatNotificationValues("prod"));
    expect(valuesOf(false).notifications).toEqual({ enabled: false });
  });
});
