import { json, noContent, notFound, paginate } from "./http.ts";
import type { Route, RouteContext } from "./route.ts";
import type { TeamMembership } from "./schemas.ts";

const members = [["members", "read"]] as const;

/** An installation sees only the organization it is installed on. */
function ownOrg(ctx: RouteContext): boolean {
  return ctx.installation?.account.toLowerCase() === ctx.params.org?.toLowerCase();
}

/** Organization membership and teams. */
export const orgRoutes: readonly Route[] = [
  {
    method: "GET",
    pattern: "/orgs/:org/members/:username",
    auth: "installation",
    permissions: members,
    handler: (ctx) =>
      ownOrg(ctx) && ctx.state.isOrgMember(ctx.params.org ?? "", ctx.params.username ?? "")
        ? noContent()
        : notFound(),
  },
  {
    method: "GET",
    pattern: "/orgs/:org/members",
    auth: "installation",
    permissions: members,
    handler: (ctx) => {
      if (!ownOrg(ctx)) return notFound();
      const logins = [...(ctx.state.orgMembers.get((ctx.params.org ?? "").toLowerCase()) ?? [])].sort();
      const page = paginate(ctx.baseUrl, ctx.path, ctx.query, logins);
      return json(
        200,
        page.items.map((login) => ctx.objects.user(login)),
        page.headers,
      );
    },
  },
  {
    method: "GET",
    pattern: "/orgs/:org/teams/:team_slug/memberships/:username",
    auth: "installation",
    permissions: members,
    handler: (ctx) => {
      const team = ownOrg(ctx) ? ctx.state.team(ctx.params.org ?? "", ctx.params.team_slug ?? "") : undefined;
      const member = team?.members.get((ctx.params.username ?? "").toLowerCase());
      if (!team || !member) return notFound();
      const body: TeamMembership = {
        url: `${ctx.baseUrl}/organizations/${ctx.state.user(team.org).id}/team/${team.id}/memberships/${member.login}`,
        role: member.role,
        state: member.state,
      };
      return json(200, body);
    },
  },
  {
    method: "GET",
    pattern: "/orgs/:org/teams/:team_slug/members",
    auth: "installation",
    permissions: members,
    handler: (ctx) => {
      const team = ownOrg(ctx) ? ctx.state.team(ctx.params.org ?? "", ctx.params.team_slug ?? "") : undefined;
      if (!team) return notFound();
      const role = ctx.query.get("role") ?? "all";
      const listed = [...team.members.values()]
        .filter((m) => m.state === "active" && (role === "all" || m.role === role))
        .map((m) => m.login);
      const page = paginate(ctx.baseUrl, ctx.path, ctx.query, listed);
      return json(
        200,
        page.items.map((login) => ctx.objects.user(login)),
        page.headers,
      );
    },
  },
];
