import type { ChangeContext } from "./context.ts";
import type { Policy } from "./policy.ts";

export const lower = (login: string): string => login.toLowerCase();

/** Who is in which team and the organization, with logins compared case-insensitively. */
export class Roster {
  private readonly bySlug = new Map<string, Set<string>>();
  private readonly org: Set<string>;

  constructor(
    private readonly policy: Policy,
    readonly context: ChangeContext,
  ) {
    for (const [slug, members] of Object.entries(context.teams)) {
      this.bySlug.set(lower(slug), new Set(members.map(lower)));
    }
    this.org = new Set(context.organization.members.map(lower));
  }

  /** The GitHub slug of a policy team, "@org/team" style for messages. */
  teamHandle(team: string): string {
    return `@${this.policy.teams[team] ?? team}`;
  }

  orgHandle(): string {
    return `@${this.context.organization.login}`;
  }

  /** Members of a GitHub team slug ("org/team"); empty when the context does not list it. */
  slugMembers(slug: string): ReadonlySet<string> {
    return this.bySlug.get(lower(slug)) ?? EMPTY;
  }

  inTeam(login: string, team: string): boolean {
    const slug = this.policy.teams[team];
    return slug !== undefined && this.slugMembers(slug).has(lower(login));
  }

  isOrgMember(login: string): boolean {
    return this.org.has(lower(login));
  }

  /** Policy team names the login belongs to, sorted. */
  teamsOf(login: string): string[] {
    return Object.keys(this.policy.teams)
      .filter((t) => this.inTeam(login, t))
      .sort();
  }

  /** Policy teams whose membership the context does not list (so nobody can count for them). */
  unlistedTeams(): string[] {
    return Object.entries(this.policy.teams)
      .filter(([, slug]) => !this.bySlug.has(lower(slug)))
      .map(([t]) => t)
      .sort();
  }
}

const EMPTY: ReadonlySet<string> = new Set();
