import { formatNotice, type PipelineNotice, type PipelineStage } from "../../core/chat/format.ts";
import { type CliIo, type Command, ExitCode, oneOf, parseOptions, UserError } from "../command.ts";

const STAGES: readonly PipelineStage[] = ["plan-ready", "approved", "applied", "deployed", "failed"];

const SUMMARY = "Post a pipeline stage (plan ready, approved, applied, deployed, failed) to the chat webhook";

const HELP = `Usage: sluice notify --stage <stage> --environment <env> [--detail TEXT] [--pull-request N] [--dry-run]

Posts one notice in Slack's incoming-webhook format (the same formatter Argo CD's notifications use)
to the URL in SLACK_WEBHOOK_URL, a repository secret. Without SLACK_WEBHOOK_URL nothing is sent and
the command exits 0, so workflows can call it whether or not chat is set up. The URL is never printed.

Options:
  --stage STAGE       ${STAGES.join(", ")}
  --environment ENV   The environment the stage is about (e.g. dev), or "all"
  --detail TEXT       One line of detail (a plan summary, the failing step)
  --pull-request N    The pull request the stage belongs to
  --dry-run           Print the JSON body instead of posting it

From the GitHub Actions environment: GITHUB_REPOSITORY (owner/name) and GITHUB_SHA are required;
GITHUB_ACTOR and the run's link (GITHUB_SERVER_URL, GITHUB_RUN_ID) are added when set.

Exit codes: 0 posted (or skipped without SLACK_WEBHOOK_URL); 1 the webhook refused or could not be
reached; 2 unusable input.`;

/** The notice for these options and the Actions environment. */
export function pipelineNotice(
  values: { stage?: string; environment?: string; detail?: string; "pull-request"?: string },
  env: CliIo["env"],
): PipelineNotice {
  if (!values.stage) throw new UserError(`--stage is required (${STAGES.join(", ")})`);
  const stage = oneOf("stage", values.stage, STAGES, "failed");
  if (!values.environment) throw new UserError("--environment is required");
  const repository = env.GITHUB_REPOSITORY;
  const commit = env.GITHUB_SHA;
  if (!repository || !/^[\w.-]+\/[\w.-]+$/.test(repository)) {
    throw new UserError(`GITHUB_REPOSITORY must be owner/name, got '${repository ?? ""}'`);
  }
  if (!commit || !/^[0-9a-f]{40}$/.test(commit)) {
    throw new UserError(`GITHUB_SHA must be a 40-character commit SHA, got '${commit ?? ""}'`);
  }
  const pr = values["pull-request"];
  if (pr !== undefined && !/^[1-9]\d*$/.test(pr)) {
    throw new UserError(`--pull-request must be a pull request number, got '${pr}'`);
  }
  const server = env.GITHUB_SERVER_URL ?? "https://github.com";
  return {
    source: "pipeline",
    stage,
    environment: values.environment,
    repository,
    commit,
    ...(env.GITHUB_ACTOR ? { actor: env.GITHUB_ACTOR } : {}),
    ...(pr !== undefined ? { pullRequest: Number(pr) } : {}),
    ...(env.GITHUB_RUN_ID && /^\d+$/.test(env.GITHUB_RUN_ID)
      ? { runUrl: `${server}/${repository}/actions/runs/${env.GITHUB_RUN_ID}` }
      : {}),
    ...(values.detail ? { detail: values.detail } : {}),
  };
}

/** The webhook URL, checked without ever putting it in a message. */
function webhookUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UserError("SLACK_WEBHOOK_URL is not a URL (its value is not shown: it is a secret)");
  }
  const loopback = ["127.0.0.1", "localhost", "[::1]"].includes(url.hostname);
  if (url.protocol !== "https:" && !(url.protocol === "http:" && loopback)) {
    throw new UserError("SLACK_WEBHOOK_URL must be an https URL (its value is not shown: it is a secret)");
  }
  return url;
}

export const notify: Command = {
  path: ["notify"],
  summary: SUMMARY,
  help: HELP,
  async run(args, io) {
    const { values } = parseOptions("notify", {
      args: [...args],
      options: {
        stage: { type: "string" },
        environment: { type: "string" },
        detail: { type: "string" },
        "pull-request": { type: "string" },
        "dry-run": { type: "boolean" },
      },
    });
    const notice = pipelineNotice(values, io.env);
    const body = JSON.stringify(formatNotice(notice));
    if (values["dry-run"]) {
      io.stdout(`${body}\n`);
      return ExitCode.ok;
    }
    const raw = io.env.SLACK_WEBHOOK_URL;
    if (!raw) {
      io.stderr("SLACK_WEBHOOK_URL is not set: no chat notice sent\n");
      return ExitCode.ok;
    }
    const url = webhookUrl(raw);
    let response: Response;
    try {
      response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
        signal: AbortSignal.timeout(10_000),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: unknown } }).cause;
      const code = typeof cause?.code === "string" ? cause.code : (error as Error).name;
      io.stderr(`could not reach the chat webhook (${code})\n`);
      return ExitCode.findings;
    }
    const text = await response.text().catch(() => "");
    if (!response.ok) {
      // Slack answers with short error codes (no_service, invalid_payload); anything else is not echoed.
      const reason = /^[a-z_]{1,64}$/.test(text.trim()) ? ` (${text.trim()})` : "";
      io.stderr(`the chat webhook answered ${response.status}${reason}\n`);
      return ExitCode.findings;
    }
    io.stderr(`chat notice sent: ${notice.environment} ${notice.stage}\n`);
    return ExitCode.ok;
  },
};
