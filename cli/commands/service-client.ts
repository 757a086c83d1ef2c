import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { planDigest } from "../../core/plan/digest.ts";
import { PlanInputError, parsePlan } from "../../core/plan/parse.ts";
import { reviewPlan } from "../../core/plan/review.ts";
import type { PlanReview } from "../../core/plan/types.ts";
import { type CliIo, UserError } from "../command.ts";

/** Options shared by the commands that talk to the change-control service. */
export const SERVICE_OPTIONS = {
  server: { type: "string" },
  repository: { type: "string" },
  sha: { type: "string" },
  token: { type: "string" },
  audience: { type: "string" },
} as const;

export const SERVICE_HELP = `  --server URL        The change-control service (default: $SLUICE_URL)
  --repository R      owner/name (default: $GITHUB_REPOSITORY)
  --sha SHA           The pull request's head commit (default: the pull request's head in a pull_request
                      run, else $GITHUB_SHA)
  --token JWT         A GitHub Actions OIDC token (default: fetched from the Actions runtime, which needs
                      \`permissions: id-token: write\`)
  --audience AUD      The audience to ask the token for (default: $SLUICE_AUDIENCE, else "sluice")`;

export interface ServiceTarget {
  readonly server: string;
  readonly repository: string;
  readonly sha: string;
}

interface ServiceValues {
  server?: string | undefined;
  repository?: string | undefined;
  sha?: string | undefined;
  token?: string | undefined;
  audience?: string | undefined;
}

/** The pull request's head SHA from the Actions event file ($GITHUB_EVENT_PATH), when the run is for one. */
function eventHeadSha(io: CliIo): string | undefined {
  const path = io.env.GITHUB_EVENT_PATH;
  if (!path) return undefined;
  try {
    const event = JSON.parse(readFileSync(path, "utf8")) as { pull_request?: { head?: { sha?: unknown } } };
    const sha = event.pull_request?.head?.sha;
    return typeof sha === "string" ? sha : undefined;
  } catch {
    return undefined;
  }
}

export function serviceTarget(values: ServiceValues, io: CliIo): ServiceTarget {
  const server = values.server ?? io.env.SLUICE_URL;
  const repository = values.repository ?? io.env.GITHUB_REPOSITORY;
  const sha = values.sha ?? eventHeadSha(io) ?? io.env.GITHUB_SHA;
  const missing = [
    !server && "--server (or SLUICE_URL)",
    !repository && "--repository (or GITHUB_REPOSITORY)",
    !sha && "--sha (or GITHUB_SHA)",
  ].filter(Boolean);
  if (missing.length > 0) throw new UserError(`missing ${missing.join(", ")}`);
  if (!/^https?:\/\//.test(server as string))
    throw new UserError(`--server: expected an http(s) URL, got '${server}'`);
  if (!/^[0-9a-f]{40}$/.test(sha as string))
    throw new UserError(`--sha: expected a 40-character commit SHA, got '${sha}'`);
  return {
    server: (server as string).replace(/\/+$/, ""),
    repository: repository as string,
    sha: sha as string,
  };
}

/**
 * The OIDC token: --token, else one requested from the Actions runtime (ACTIONS_ID_TOKEN_REQUEST_URL with
 * ACTIONS_ID_TOKEN_REQUEST_TOKEN as bearer) for the audience.
 */
export async function oidcToken(values: ServiceValues, io: CliIo): Promise<string> {
  if (values.token) return values.token;
  const url = io.env.ACTIONS_ID_TOKEN_REQUEST_URL;
  const requestToken = io.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
  if (!url || !requestToken) {
    throw new UserError(
      "no OIDC token: pass --token, or run in GitHub Actions with `permissions: id-token: write` (ACTIONS_ID_TOKEN_REQUEST_URL is not set)",
    );
  }
  const audience = values.audience ?? io.env.SLUICE_AUDIENCE ?? "sluice";
  const target = new URL(url);
  target.searchParams.set("audience", audience);
  let response: Response;
  try {
    response = await fetch(target, {
      headers: { authorization: `Bearer ${requestToken}`, accept: "application/json" },
      signal: AbortSignal.timeout(15_000),
    });
  } catch (error) {
    throw new UserError(`could not reach the Actions token endpoint: ${(error as Error).message}`);
  }
  const body = (await response.json().catch(() => ({}))) as { value?: unknown };
  if (!response.ok || typeof body.value !== "string") {
    throw new UserError(`the Actions token endpoint answered ${response.status} without a token`);
  }
  return body.value;
}

/** Reads and reviews a plan file, exiting 2 with the parser's message (file and place) when it is unusable. */
export function readPlan(file: string, io: CliIo): { text: string; review: PlanReview; digest: string } {
  let text: string;
  try {
    text = readFileSync(resolve(io.cwd, file), "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UserError(
      `${file}: cannot read (${code === "ENOENT" ? "no such file" : (code ?? "unreadable")})`,
    );
  }
  try {
    const review = reviewPlan(parsePlan(text, file));
    return { text, review, digest: planDigest(review) };
  } catch (error) {
    if (error instanceof PlanInputError) throw new UserError(error.message);
    throw error;
  }
}

/** POSTs to the service; network failures are a UserError (exit 2), HTTP answers are returned. */
export async function post(
  url: string,
  token: string,
  body: string,
  contentType = "application/json",
): Promise<{ status: number; body: Record<string, unknown> }> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": contentType, accept: "application/json" },
      body,
      signal: AbortSignal.timeout(60_000),
    });
  } catch (error) {
    throw new UserError(
      `could not reach the change-control service at ${new URL(url).origin}: ${(error as Error).message}`,
    );
  }
  const text = await response.text();
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(text) as Record<string, unknown>;
  } catch {
    parsed = { error: `unexpected answer (HTTP ${response.status}, not JSON)` };
  }
  return { status: response.status, body: parsed };
}
