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

  /** Owners of the changed files by login and by team slug; e-mail addresses are not logins and are left out. */
  const ownersOfChange = (): { logins: Set<string>; slugs: Set<string> } => {
    const found = { logins: new Set<string>(), slugs: new Set<string>() };
    const parsed = codeowners();
    const lists = parsed ? parsed.ownersOfAll(context.files.map((f) => f.path)) : [];
    for (const list of new Set(lists)) {
      // Stryker disable next-line ArrayDeclaration: an unowned file's owners, ["Stryker was here"] instead of [], hold no "@" handle
      for (const owner of list ?? []) {
        if (!owner.startsWith("@")) continue;
        const name = owner.slice(1);
        if (name.includes("/")) found.slugs.add(name);
        else found.logins.add(lower(name));
      }
    }
    return found;
  };
  let owners: { logins: Set<string>; slugs: Set<string> } | undefined;
  const ownerOf = (login: string): boolean => {
    if (!usesCodeOwners) return false;
    owners ??= ownersOfChange();
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
