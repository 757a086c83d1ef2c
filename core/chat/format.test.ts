import { describe, expect, it } from "vitest";
import { type ArgoCdNotice, escapeMrkdwn, formatNotice, type PipelineNotice } from "./format.ts";

const SHA = "0123456789abcdef0123456789abcdef01234567";
const pipeline: PipelineNotice = {
  source: "pipeline",
  stage: "applied",
  environment: "prod",
  repository: "example-org/sluice",
  commit: SHA,
  actor: "octocat",
  pullRequest: 42,
  runUrl: "https://github.com/example-org/sluice/actions/runs/1",
};
const argo: ArgoCdNotice = {
  source: "argocd",
  application: "prod-orders",
  environment: "prod",
  sync: "Synced",
  health: "Healthy",
  revision: SHA,
  url: "https://argocd.example.com/applications/prod-orders",
};

describe("chat notices", () => {
  it("format a pipeline stage as Slack blocks with a plain-text fallback", () => {
    expect(formatNotice(pipeline)).toEqual({
      text: "prod: example-org/sluice #42 applied",
      blocks: [
        {
          type: "section",
          text: { type: "mrkdwn", text: ":hammer_and_wrench: *prod*: example-org/sluice #42 applied" },
        },
        {
          type: "context",
          elements: [
            {
              type: "mrkdwn",
              text: "commit `0123456` · by octocat · <https://github.com/example-org/sluice/actions/runs/1|workflow run>",
            },
          ],
        },
      ],
    });
  });

  it("say which stage it is, every one differently", () => {
    const stages = ["plan-ready", "approved", "applied", "deployed", "failed"] as const;
    const texts = stages.map((stage) => formatNotice({ ...pipeline, stage }).text);
    expect(texts).toEqual([
      "prod: example-org/sluice #42 plan ready for review",
      "prod: example-org/sluice #42 approved",
      "prod: example-org/sluice #42 applied",
      "prod: example-org/sluice #42 deployed",
      "prod: example-org/sluice #42 failed",
    ]);
    const failed = formatNotice({ ...pipeline, stage: "failed", detail: "terraform apply: exit 1" });
    expect(failed.blocks[0]).toEqual({
      type: "section",
      text: { type: "mrkdwn", text: ":x: *prod*: example-org/sluice #42 failed\nterraform apply: exit 1" },
    });
  });

  it("format Argo CD sync and health changes with the same shape", () => {
    expect(formatNotice(argo)).toEqual({
      text: "prod: prod-orders is synced and healthy",
      blocks: [
        {
          type: "section",
          text: {
            type: "mrkdwn",
            text: ":large_green_circle: *prod*: <https://argocd.example.com/applications/prod-orders|prod-orders> is synced and healthy",
          },
        },
        {
          type: "context",
          elements: [{ type: "mrkdwn", text: "sync Synced, health Healthy · revision `0123456`" }],
        },
      ],
    });
    expect(formatNotice({ ...argo, sync: "OutOfSync" }).text).toBe("prod: prod-orders is out of sync");
    expect(
      formatNotice({ ...argo, health: "Degraded", message: "Back-off pulling image" }).blocks[0],
    ).toEqual({
      type: "section",
      text: {
        type: "mrkdwn",
        text: ":x: *prod*: <https://argocd.example.com/applications/prod-orders|prod-orders> is degraded\nBack-off pulling image",
      },
    });
    expect(formatNotice({ ...argo, health: "Progressing" }).text).toBe("prod: prod-orders is progressing");
    expect(formatNotice({ ...argo, sync: "Unknown", health: "Suspended", url: undefined }).blocks[0]).toEqual(
      {
        type: "section",
        text: { type: "mrkdwn", text: ":grey_question: *prod*: *prod-orders* is unknown, suspended" },
      },
    );
  });

  it("escape names and messages so they cannot mention, link or break the markup", () => {
    expect(escapeMrkdwn("<!channel> & <https://evil|x>")).toBe(
      "&lt;!channel&gt; &amp; &lt;https://evil|x&gt;",
    );
    const hostile = formatNotice({
      ...argo,
      message: "<!here> see <https://evil.example|docs>",
      url: "javascript:alert(1)",
    });
    const section = hostile.blocks[0];
    expect(section?.type === "section" && section.text.text).toBe(
      ":x: *prod*: prod-orders is synced and healthy\n&lt;!here&gt; see &lt;https://evil.example|docs&gt;".replace(
        ":x:",
        ":large_green_circle:",
      ),
    );
    const badLink = formatNotice({ ...pipeline, runUrl: "https://x|<!channel>" });
    expect(JSON.stringify(badLink)).not.toContain("<!channel>");
  });

  it("stay within Slack's limits for long messages", () => {
    const long = formatNotice({ ...argo, health: "Degraded", message: "x".repeat(10_000) });
    const section = long.blocks[0];
    expect(section?.type === "section" && section.text.text.length).toBe(3000);
    expect(section?.type === "section" && section.text.text.endsWith("…")).toBe(true);
    expect(formatNotice({ ...argo, application: "a".repeat(500) }).text.length).toBe(150);
  });
});
