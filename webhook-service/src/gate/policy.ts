import { parsePolicy } from "../../../core/policy/parse.ts";
import type { Policy } from "../../../core/policy/policy.ts";
import type { Queryable } from "../db/database.ts";
import type { GitHubApp } from "../github/app.ts";

export type PolicyLoader = (repository: string) => Promise<Policy | undefined>;

/** The installation that last delivered an event for the repository. */
async function installationOf(db: Queryable, repository: string): Promise<number | undefined> {
  const found = await db.query<{ installation_id: string | number }>(
    `SELECT installation_id FROM deliveries WHERE repository = $1 AND installation_id IS NOT NULL
     ORDER BY received_at DESC LIMIT 1`,
    [repository],
  );
  const id = found.rows[0]?.installation_id;
  return id === undefined ? undefined : Number(id);
}

/**
 * The policy in force for a repository: change-control.yaml on its default branch (never a pull request's
 * head), read through the App and cached for `ttlMs`. Undefined when it cannot be read or is invalid, so the
 * gate fails closed.
 */
export function githubPolicyLoader(
  db: Queryable,
  github: GitHubApp | undefined,
  ttlMs = 60_000,
): PolicyLoader {
  const cache = new Map<string, { at: number; policy: Promise<Policy | undefined> }>();
  const load = async (repository: string): Promise<Policy | undefined> => {
    if (!github) return undefined;
    const installationId = await installationOf(db, repository);
    if (installationId === undefined) return undefined;
    const [owner, repo] = repository.split("/") as [string, string];
    const octokit = github.installation(installationId);
    const { data: meta } = await octokit.rest.repos.get({ owner, repo });
    const { data } = await octokit.rest.repos.getContent({
      owner,
      repo,
      path: "change-control.yaml",
      ref: meta.default_branch,
    });
    if (Array.isArray(data) || data.type !== "file" || !("content" in data)) return undefined;
    const parsed = parsePolicy(Buffer.from(data.content, "base64").toString("utf8"), "change-control.yaml");
    return parsed.ok ? parsed.value : undefined;
  };
  return (repository) => {
    const hit = cache.get(repository);
    if (hit && Date.now() - hit.at < ttlMs) return hit.policy;
    const policy = load(repository).catch(() => undefined);
    cache.set(repository, { at: Date.now(), policy });
    return policy;
  };
}
