import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Octokit } from "@octokit/rest";
import { checkOrder, introduce, PromoteError, type Promotion, promote } from "../../core/promote/promote.ts";
import { environments } from "../../environments/index.ts";
import { type CliIo, type Command, ExitCode, parseOptions, UserError } from "../command.ts";

const SUMMARY =
  "Move a service's image digest from one environment's gitops values to the next, print the diff (--pr opens the pull request)";

const HELP = `Usage: sluice promote <service> --from <env> --to <env> [--dry-run] [--pr]
       sluice promote <service> --digest <sha256:…> --to <first env> [--dry-run] [--pr]

Sets apps.<service>.values.image.digest in gitops/envs/<to>/values.yaml to the digest in
gitops/envs/<from>/values.yaml, changing that one line and nothing else (comments and layout stay),
and prints the unified diff. Environments go one step at a time: ${environments.map((e) => e.config.name).join(" → ")}.
The image must exist in the target environment's repository (the promote workflow copies it there
by digest first); the pull request then goes through change control like any other.

Options:
  --from ENV          The environment whose digest is promoted
  --to ENV            The next environment, whose file is changed
  --digest D          Instead of --from: a freshly built image (sha256:…), which enters the first
                      environment only (the build workflow's pull request for dev)
  --expect-digest D    Refuse unless the digest promoted is D (the one a workflow copied beforehand)
  --dry-run           Print the diff, write nothing
  --pr                Instead of writing the local file: read both files from GitHub at --base, commit the
                      change on a new branch and open a pull request through the REST API
                      (GITHUB_TOKEN: contents and pull requests write; GITHUB_API_URL, default
                      https://api.github.com, for GitHub Enterprise)
  --repository R      owner/name for --pr (default: $GITHUB_REPOSITORY)
  --base BRANCH       The branch the pull request targets (default: main)

Exit codes: 0 promoted, or nothing to do (the target already runs that digest); 1 GitHub refused or
failed; 2 unusable input (unknown service or environment, a step out of order, no digest).`;

const envFile = (env: string) => `gitops/envs/${env}/values.yaml`;
const order = () => environments.map((e) => e.config.name);

function readLocal(io: CliIo, env: string): { file: string; text: string } {
  const file = envFile(env);
  try {
    return { file, text: readFileSync(join(io.cwd, file), "utf8") };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UserError(
      `${file}: cannot read (${code === "ENOENT" ? "no such file" : (code ?? "unreadable")})`,
    );
  }
}

/** Runs core code, turning its refusals into a UserError (exit 2, one line). */
function run<T>(compute: () => T): T {
  try {
    return compute();
  } catch (error) {
    if (error instanceof PromoteError) throw new UserError(error.message);
    throw error;
  }
}

/** Where the digest comes from: another environment's file, or a new build. */
type Source = { readonly from: string } | { readonly digest: string };

function compute(
  service: string,
  source: Source,
  to: string,
  target: { file: string; text: string },
  readSource: (env: string) => { file: string; text: string },
): Promotion {
  if ("digest" in source) {
    return run(() => introduce({ service, to, order: order(), digest: source.digest, target }));
  }
  const from = readSource(source.from);
  return run(() => promote({ service, from: source.from, to, order: order(), source: from, target }));
}

/** With --expect-digest, refuses a promotion of any other digest (the source changed since it was read). */
function expectDigest(result: Promotion, expected: string | undefined): void {
  if (expected !== undefined && result.digest !== expected) {
    throw new UserError(`the digest to promote is ${result.digest}, not the expected ${expected}`);
  }
}

function summary(service: string, source: Source, to: string, p: Promotion): string {
  return `${service}: ${to} ${p.previous} → ${p.digest} (${"from" in source ? `from ${source.from}` : "new build"})`;
}

export const promoteCommand: Command = {
  path: ["promote"],
  summary: SUMMARY,
  help: HELP,
  async run(args, io) {
    const { values, positionals } = parseOptions("promote", {
      args: [...args],
      allowPositionals: true,
      options: {
        from: { type: "string" },
        digest: { type: "string" },
        "expect-digest": { type: "string" },
        to: { type: "string" },
        "dry-run": { type: "boolean" },
        pr: { type: "boolean" },
        repository: { type: "string" },
        base: { type: "string" },
      },
    });
    if (positionals.length !== 1) {
      throw new UserError(
        `expected one service name, got ${positionals.length === 0 ? "none" : `'${positionals.join(" ")}'`}`,
      );
    }
    const service = positionals[0] as string;
    if (values.digest !== undefined && values.from !== undefined) {
      throw new UserError("--digest and --from cannot be combined: a digest is either new or promoted");
    }
    if ((!values.from && values.digest === undefined) || !values.to) {
      throw new UserError("--from and --to are required (or --digest and --to)");
    }
    const to = values.to;
    const source: Source =
      values.digest !== undefined ? { digest: values.digest } : { from: values.from as string };
    if ("from" in source) run(() => checkOrder(source.from, to, order()));
    if (values.pr && values["dry-run"]) throw new UserError("--pr and --dry-run cannot be combined");
    if (values.pr) {
      const target = { repository: values.repository, base: values.base ?? "main" };
      return openPullRequest(io, service, source, to, target, values["expect-digest"]);
    }

    const target = readLocal(io, to);
    const result = compute(service, source, to, target, (env) => readLocal(io, env));
    expectDigest(result, values["expect-digest"]);
    if (!result.changed) {
      io.stdout(`${service}: ${to} already runs ${result.digest}; nothing to promote\n`);
      return ExitCode.ok;
    }
    io.stdout(result.diff);
    if (!values["dry-run"]) writeFileSync(join(io.cwd, target.file), result.text);
    io.stderr(
      `${summary(service, source, to, result)}${values["dry-run"] ? " (dry run, nothing written)" : `, written to ${target.file}`}\n`,
    );
    return ExitCode.ok;
  },
};

interface Http {
  status?: number;
  message?: string;
}

/** A GitHub failure as one line: what was asked, the status and GitHub's message (never the token). */
function githubError(what: string, error: unknown): UserError {
  const e = error as Http;
  const status = typeof e.status === "number" ? ` ${e.status}` : "";
  const message = (e.message ?? String(error)).split("\n")[0];
  return new UserError(`GitHub answered${status} to ${what}: ${message}`, ExitCode.findings);
}

async function openPullRequest(
  io: CliIo,
  service: string,
  source: Source,
  to: string,
  { repository, base }: { repository: string | undefined; base: string },
  expected: string | undefined,
): Promise<number> {
  const token = io.env.GITHUB_TOKEN;
  if (!token) throw new UserError("--pr needs GITHUB_TOKEN (contents and pull requests write)");
  const fullName = repository ?? io.env.GITHUB_REPOSITORY;
  const [owner, repo, extra] = (fullName ?? "").split("/");
  if (!owner || !repo || extra !== undefined) {
    throw new UserError(`--repository (or GITHUB_REPOSITORY) must be owner/name, got '${fullName ?? ""}'`);
  }
  const baseUrl = (io.env.GITHUB_API_URL || "https://api.github.com").replace(/\/+$/, "");
  if (!/^https?:\/\//.test(baseUrl))
    throw new UserError(`GITHUB_API_URL must be an http(s) URL, got '${baseUrl}'`);
  const github = new Octokit({ auth: token, baseUrl, userAgent: "sluice-promote", log: quiet });
  const ask = async <T>(what: string, call: () => Promise<T>): Promise<T> => {
    try {
      return await call();
    } catch (error) {
      throw githubError(what, error);
    }
  };

  // Read both files at one commit of the base branch, so the change is made against what is there.
  const baseRef = await ask(`reading ${base}`, () =>
    github.git.getRef({ owner, repo, ref: `heads/${base}` }),
  );
  const baseSha = baseRef.data.object.sha;
  const read = async (env: string) => {
    const file = envFile(env);
    const { data } = await ask(`reading ${file}`, () =>
      github.repos.getContent({ owner, repo, path: file, ref: baseSha }),
    );
    if (Array.isArray(data) || data.type !== "file" || !("content" in data)) {
      throw new UserError(`${file}: not a file in ${owner}/${repo}@${base}`);
    }
    return { file, text: Buffer.from(data.content, "base64").toString("utf8"), sha: data.sha };
  };
  const from = "from" in source ? await read(source.from) : undefined;
  const target = await read(to);
  const result = compute(service, source, to, target, () => from as { file: string; text: string });
  expectDigest(result, expected);
  if (!result.changed) {
    io.stdout(`${service}: ${to} already runs ${result.digest} on ${base}; no pull request\n`);
    return ExitCode.ok;
  }
  io.stdout(result.diff);

  const branch = `promote/${service}-${to}-${result.digest.slice("sha256:".length, "sha256:".length + 12)}`;
  try {
    await github.git.createRef({ owner, repo, ref: `refs/heads/${branch}`, sha: baseSha });
  } catch (error) {
    if ((error as Http).status !== 422) throw githubError(`creating branch ${branch}`, error);
    // The same digest to the same environment: a pull request may already propose it.
    const open = await ask("listing pull requests", () =>
      github.pulls.list({ owner, repo, head: `${owner}:${branch}`, base, state: "open" }),
    );
    const existing = open.data[0];
    if (existing) {
      io.stdout(`already proposed: ${existing.html_url}\n`);
      return ExitCode.ok;
    }
    throw githubError(`creating branch ${branch}`, error);
  }
  const title =
    "from" in source
      ? `Promote ${service} to ${to}: ${result.digest.slice(0, 19)}`
      : `Deploy ${service} ${result.digest.slice(0, 19)} to ${to}`;
  const origin = "from" in source ? `runs in ${source.from} at` : "was built as";
  await ask(`committing ${target.file}`, () =>
    github.repos.createOrUpdateFileContents({
      owner,
      repo,
      path: target.file,
      branch,
      sha: target.sha,
      message: `${title}\n\n${service} ${origin} ${result.digest}; ${to} ran ${result.previous}.`,
      content: Buffer.from(result.text, "utf8").toString("base64"),
    }),
  );
  const body = [
    "from" in source
      ? `Promotes **${service}** from \`${source.from}\` to \`${to}\` (\`sluice promote\`): only the image digest changes.`
      : `Deploys a new build of **${service}** to \`${to}\` (\`sluice promote --digest\`): only the image digest changes.`,
    "",
    `- digest: \`${result.digest}\` (was \`${result.previous}\`)`,
    ...(result.targetRepository ? [`- repository: \`${result.targetRepository}\``] : []),
    "",
    "```diff",
    result.diff.trimEnd(),
    "```",
  ].join("\n");
  const pull = await ask("opening the pull request", () =>
    github.pulls.create({ owner, repo, head: branch, base, title, body }),
  );
  io.stderr(`${summary(service, source, to, result)}\n`);
  io.stdout(`${pull.data.html_url}\n`);
  return ExitCode.ok;
}

const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
