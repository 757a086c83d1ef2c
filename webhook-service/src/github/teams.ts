import type { GitHubClient } from "./app.ts";

/**
 * Organization and team members, cached per key for `ttlMs` (membership changes rarely; every evaluation
 * of every pull request needs it). A failed look-up is not cached: it fails the evaluation (closed).
 */
export class MembershipCache {
  #entries = new Map<string, { at: number; members: Promise<string[]> }>();

  constructor(private readonly ttlMs: number) {}

  orgMembers(octokit: GitHubClient, org: string): Promise<string[]> {
    return this.#get(`org:${org.toLowerCase()}`, () =>
      octokit
        .paginate(octokit.rest.orgs.listMembers, { org, per_page: 100 })
        .then((ms) => ms.map((m) => m.login)),
    );
  }

  /** `slug` is "org/team". */
  teamMembers(octokit: GitHubClient, slug: string): Promise<string[]> {
    const [org, team] = slug.split("/");
    if (!org || !team) return Promise.resolve([]);
    return this.#get(`team:${slug.toLowerCase()}`, () =>
      octokit
        .paginate(octokit.rest.teams.listMembersInOrg, { org, team_slug: team, per_page: 100 })
        .then((ms) => ms.map((m) => m.login))
        // A policy team that does not exist has no members (the engine warns); other errors fail closed.
        .catch((error) => {
          if ((error as { status?: number }).status === 404) return [];
          throw error;
        }),
    );
  }

  #get(key: string, load: () => Promise<string[]>): Promise<string[]> {
    const now = Date.now();
    const hit = this.#entries.get(key);
    if (hit && now - hit.at < this.ttlMs) return hit.members;
    const members = load();
    this.#entries.set(key, { at: now, members });
    members.catch(() => {
      if (this.#entries.get(key)?.members === members) this.#entries.delete(key);
    });
    return members;
  }
}
