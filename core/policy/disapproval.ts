import type { Codeowners } from "./codeowners.ts";
import type { ChangeContext } from "./context.ts";
import { lower, type Roster } from "./people.ts";
import type { Policy, Requirement } from "./policy.ts";

/**
 * Who may hold a pull request up by requesting changes: someone who could approve it. That is a member of
 * the organization, a user or team member a requirement of the policy names, or an owner (by login or team)
 * of a changed file in CODEOWNERS. A bot or an outside commenter is none of these, and cannot freeze a pull
 * request. A requirement open to anyone (`approvals` without `from`) names nobody.
 */
export function disapprovers(
  policy: Policy,
  context: ChangeContext,
  roster: Roster,
  codeowners: () => Codeowners | undefined,
): (login: string) => boolean {
  const users = new Set<string>();
  const teams = new Set<string>();
  let usesCodeOwners = false;
  const visit = (r: Requirement): void => {
    switch (r.kind) {
      case "approvals":
        for (const u of r.users) users.add(lower(u));
        for (const t of r.teams) teams.add(t);
        return;
      case "distinct-teams":
        for (const t of r.teams.length > 0 ? r.teams : Object.keys(policy.teams)) teams.add(t);
        return;
      case "code-owners":
        usesCodeOwners = true;
        return;
      case "all":
      case "any":
        for (const part of r.of) visit(part);
    }
  };
  for (const rule of policy.rules) visit(rule.requires);
  if (policy.emergency) visit(policy.emergency.requires);

  let owners: { logins: Set<string>; slugs: Set<string> } | undefined;
  const ownerOf = (login: string): boolean => {
    if (!usesCodeOwners) return false;
    if (!owners) {
      owners = { logins: new Set(), slugs: new Set() };
      const parsed = codeowners();
      const lists = parsed ? parsed.ownersOfAll(context.files.map((f) => f.path)) : [];
      for (const list of new Set(lists)) {
        for (const owner of list ?? []) {
          if (!owner.startsWith("@")) continue;
          const name = owner.slice(1);
          if (name.includes("/")) owners.slugs.add(name);
          else owners.logins.add(lower(name));
        }
      }
    }
    if (owners.logins.has(lower(login))) return true;
    for (const slug of owners.slugs) if (roster.slugMembers(slug).has(lower(login))) return true;
    return false;
  };

  const teamList = [...teams];
  return (login) =>
    roster.isOrgMember(login) ||
    users.has(lower(login)) ||
    teamList.some((t) => roster.inTeam(login, t)) ||
    ownerOf(login);
}
