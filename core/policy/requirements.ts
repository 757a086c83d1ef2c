import { byLogin, cmp } from "./approvals.ts";
import type { Codeowners } from "./codeowners.ts";
import type { ChangeContext } from "./context.ts";
import type { CountedApproval, NotCounted } from "./decision.ts";
import { lower, type Roster } from "./people.ts";
import type { Policy, Requirement } from "./policy.ts";

export interface RequirementInput {
  readonly policy: Policy;
  readonly context: ChangeContext;
  readonly roster: Roster;
  /** Counted approvals, lower-case login → approval. */
  readonly approvals: ReadonlyMap<string, CountedApproval>;
  /** The parsed CODEOWNERS of the base branch, undefined when there is none. */
  readonly codeowners: () => Codeowners | undefined;
  /** Records a warning for the decision (duplicates are dropped there). */
  readonly warn: (message: string) => void;
}

export interface RequirementResult {
  readonly met: boolean;
  /** True when no approval could meet it (e.g. no CODEOWNERS file): the rule blocks rather than waits. */
  readonly impossible: boolean;
  /** Display logins whose approvals went towards it, sorted. */
  readonly counted: readonly string[];
  readonly notCounted: readonly NotCounted[];
  readonly unblock: readonly string[];
}

const plural = (n: number, word: string) => `${n} more ${word}${n === 1 ? "" : "s"}`;

function orList(items: readonly string[]): string {
  // Stryker disable next-line StringLiteral: the separator of a list of at most one item never shows
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} or ${items[items.length - 1]}`;
}

export function evaluateRequirement(req: Requirement, input: RequirementInput): RequirementResult {
  switch (req.kind) {
    case "approvals":
      return approvals(req, input);
    case "distinct-teams":
      return distinctTeams(req, input);
    case "code-owners":
      return codeOwners(input);
    case "all": {
      const parts = req.of.map((r) => evaluateRequirement(r, input));
      return {
        met: parts.every((p) => p.met),
        impossible: parts.some((p) => p.impossible),
        counted: unique(parts.flatMap((p) => p.counted)),
        notCounted: uniqueNotCounted(parts.flatMap((p) => p.notCounted)),
        unblock: parts.flatMap((p) => p.unblock),
      };
    }
    case "any": {
      const parts = req.of.map((r) => evaluateRequirement(r, input));
      const met = parts.filter((p) => p.met);
      if (met.length > 0) {
        return {
          met: true,
          impossible: false,
          counted: unique(met.flatMap((p) => p.counted)),
          notCounted: [],
          unblock: [],
        };
      }
      const open = parts.filter((p) => !p.impossible);
      const options = (open.length > 0 ? open : parts).map((p) => p.unblock.join(" and "));
      return {
        met: false,
        impossible: open.length === 0,
        counted: unique(parts.flatMap((p) => p.counted)),
        notCounted: uniqueNotCounted(parts.flatMap((p) => p.notCounted)),
        unblock: options.length === 1 ? options : [`one of: ${options.map((o) => `(${o})`).join(" or ")}`],
      };
    }
  }
}

function approvals(
  req: Extract<Requirement, { kind: "approvals" }>,
  { roster, approvals }: RequirementInput,
): RequirementResult {
  const open = req.users.length === 0 && req.teams.length === 0 && !req.organization;
  const users = new Set(req.users.map(lower));
  const qualifies = (login: string) =>
    open ||
    users.has(lower(login)) ||
    req.teams.some((t) => roster.inTeam(login, t)) ||
    (req.organization && roster.isOrgMember(login));
  const all = byLogin(approvals);
  const counted = all.filter((a) => qualifies(a.user)).map((a) => a.user);
  const sources = [
    ...req.teams.map((t) => roster.teamHandle(t)),
    ...[...req.users].sort().map((u) => `@${u}`),
    ...(req.organization ? [`a member of ${roster.orgHandle()}`] : []),
  ];
  const from = open ? "" : ` from ${orList(sources)}`;
  if (counted.length >= req.count)
    return { met: true, impossible: false, counted, notCounted: [], unblock: [] };
  const notCounted = all
    .filter((a) => !qualifies(a.user))
    .map(({ user }) => ({ user, reason: `@${user}'s approval does not count here: not ${orList(sources)}` }));
  return {
    met: false,
    impossible: false,
    counted,
    notCounted,
    unblock: [`needs ${plural(req.count - counted.length, "approval")}${from}`],
  };
}

/** Largest assignment of approvers to distinct teams (each person counts for one team): augmenting paths. */
function matchTeams(candidates: readonly { user: string; teams: readonly string[] }[]): Map<string, string> {
  const teamOwner = new Map<string, number>();
  const tryAssign = (i: number, seen: Set<string>): boolean => {
    // Stryker disable next-line ArrayDeclaration: i is always an index of candidates; the fallback only satisfies the type checker
    for (const team of candidates[i]?.teams ?? []) {
      if (seen.has(team)) continue;
      seen.add(team);
      const holder = teamOwner.get(team);
      if (holder === undefined || tryAssign(holder, seen)) {
        teamOwner.set(team, i);
        return true;
      }
    }
    return false;
  };
  candidates.forEach((_, i) => {
    tryAssign(i, new Set());
  });
  const out = new Map<string, string>();
  // Stryker disable next-line StringLiteral: i is always an index of candidates; the fallback only satisfies the type checker
  for (const [team, i] of teamOwner) out.set(team, candidates[i]?.user ?? "");
  return out;
}

function distinctTeams(
  req: Extract<Requirement, { kind: "distinct-teams" }>,
  { policy, roster, approvals }: RequirementInput,
): RequirementResult {
  const pool = (req.teams.length > 0 ? [...req.teams] : Object.keys(policy.teams)).sort();
  // Stryker disable next-line ConditionalExpression,EqualityOperator: keeping candidates without a team changes no assignment
  const inPool = (c: { readonly teams: readonly string[] }) => c.teams.length > 0;
  // Stryker disable next-line MethodExpression: a candidate in no team of the pool is never assigned; the filter only saves work
  const candidates = byLogin(approvals)
    .map(({ user }) => ({ user, teams: pool.filter((t) => roster.inTeam(user, t)) }))
    .filter(inPool);
  const matched = matchTeams(candidates);
  const counted = unique([...matched.values()]);
  if (matched.size >= req.count)
    return { met: true, impossible: false, counted, notCounted: [], unblock: [] };
  const missing = pool.filter((t) => !matched.has(t)).map((t) => roster.teamHandle(t));
  const have =
    matched.size > 0
      ? ` (have ${[...matched.entries()]
          .sort(([a], [b]) => cmp(a, b))
          .map(([t, u]) => `${roster.teamHandle(t)} via @${u}`)
          .join(", ")}; one person counts for one team)`
      : "";
  return {
    met: false,
    impossible: false,
    counted,
    notCounted: [],
    unblock: [
      `needs approvals from ${plural(req.count - matched.size, "team")} of ${orList(missing)}${have}`,
    ],
  };
}

interface OwnerGroup {
  readonly owners: readonly string[];
  /** The alphabetically first file of the group, and how many files it has. */
  first: string;
  count: number;
}

/** Changed files grouped by their owner list, sorted by owners; undefined when there is no CODEOWNERS. */
function ownerGroups(input: RequirementInput): OwnerGroup[] | undefined {
  const owners = input.codeowners();
  if (!owners) return undefined;
  // Owner lists are shared per CODEOWNERS line, so the list itself is the key until the final merge.
  const byList = new Map<readonly string[], OwnerGroup>();
  const files = input.context.files;
  const lists = owners.ownersOfAll(files.map((f) => f.path));
  for (const [i, file] of files.entries()) {
    const list = lists[i];
    if (!list || list.length === 0) continue;
    const group = byList.get(list);
    if (!group) byList.set(list, { owners: list, first: file.path, count: 1 });
    else {
      group.count++;
      // Stryker disable next-line EqualityOperator: two changed files never have the same path
      if (file.path < group.first) group.first = file.path;
    }
  }
  const byKey = new Map<string, OwnerGroup>();
  for (const group of byList.values()) {
    const key = group.owners.join(" ");
    const same = byKey.get(key);
    if (!same) byKey.set(key, { ...group });
    else {
      same.count += group.count;
      // Stryker disable next-line EqualityOperator: files of different CODEOWNERS lines never have the same path
      if (group.first < same.first) same.first = group.first;
    }
  }
  return [...byKey.entries()].sort(([a], [b]) => cmp(a, b)).map(([, g]) => g);
}

/** The code-owners requirement reads nothing rule-specific, so one evaluation computes it once for every rule. */
const codeOwnersCache = new WeakMap<RequirementInput, RequirementResult>();

function codeOwners(input: RequirementInput): RequirementResult {
  let result = codeOwnersCache.get(input);
  // Stryker disable next-line ConditionalExpression: a cache; computing again gives the same result
  if (!result) {
    result = computeCodeOwners(input);
    // Stryker disable next-line CallExpression: a cache; without it each rule computes the same result again
    codeOwnersCache.set(input, result);
  }
  return result;
}

/** How a CODEOWNERS owner can approve: as a login, as a team, not yet (an unknown e-mail), or never. */
type Owner =
  | { readonly kind: "login"; readonly login: string; readonly shown: string }
  | { readonly kind: "team"; readonly slug: string; readonly shown: string }
  | { readonly kind: "unresolved"; readonly shown: string }
  | { readonly kind: "invalid"; readonly shown: string };

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/**
 * Reads an owner as written in CODEOWNERS. GitHub accepts owners by e-mail address; they are resolved
 * through the context's `emails` map. An address the map does not know is not anyone yet: nobody counts
 * for it (fail closed), but the fix is to add it to the map, not to CODEOWNERS.
 */
function readOwner(owner: string, emails: ReadonlyMap<string, string>): Owner {
  if (owner.startsWith("@")) {
    const name = owner.slice(1);
    return name.includes("/")
      ? { kind: "team", slug: name, shown: owner }
      : { kind: "login", login: name, shown: owner };
  }
  if (EMAIL.test(owner)) {
    const login = emails.get(owner.toLowerCase());
    return login
      ? { kind: "login", login, shown: `@${login} (${owner})` }
      : { kind: "unresolved", shown: owner };
  }
  return { kind: "invalid", shown: owner };
}

function computeCodeOwners(input: RequirementInput): RequirementResult {
  const { roster, approvals } = input;
  const groups = ownerGroups(input);
  if (!groups) {
    return {
      met: false,
      impossible: true,
      counted: [],
      notCounted: [],
      unblock: [
        "needs a CODEOWNERS file on the base branch: code-owner approval cannot be given without one",
      ],
    };
  }
  const emails = new Map(
    Object.entries(input.context.emails ?? {}).map(([e, l]) => [e.toLowerCase(), l] as const),
  );
  const approvers = [...approvals.values()];
  const isOwner = (login: string, owner: Owner): boolean =>
    owner.kind === "login"
      ? lower(owner.login) === lower(login)
      : owner.kind === "team" && roster.slugMembers(owner.slug).has(lower(login));
  const counted = new Set<string>();
  const unblock: string[] = [];
  let impossible = false;
  for (const group of groups) {
    const owners = group.owners.map((o) => readOwner(o, emails));
    for (const o of owners) {
      if (o.kind === "unresolved") {
        input.warn(
          `CODEOWNERS owner ${o.shown} is not matched to a GitHub login (add the address to the context's emails): nobody counts as that owner`,
        );
      }
    }
    const hit = approvers.filter((a) => owners.some((o) => isOwner(a.user, o)));
    for (const a of hit) counted.add(a.user);
    if (hit.length > 0) continue;
    const what = group.count > 1 ? `${group.first} and ${group.count - 1} more files` : group.first;
    const usable = owners.filter((o) => o.kind !== "invalid");
    if (usable.length === 0) {
      impossible = true;
      unblock.push(
        `${what} is owned only by ${group.owners.join(", ")}, which cannot approve on GitHub: fix CODEOWNERS`,
      );
    } else {
      unblock.push(`needs a code-owner approval from ${orList(usable.map((o) => o.shown))} for ${what}`);
    }
  }
  return {
    met: unblock.length === 0,
    impossible,
    counted: [...counted].sort((a, b) => cmp(lower(a), lower(b))),
    notCounted: [],
    unblock,
  };
}

function unique(list: readonly string[]): string[] {
  const seen = new Map<string, string>();
  // Stryker disable next-line ConditionalExpression: every part names a person by the login of the same counted approval
  for (const u of list) if (!seen.has(lower(u))) seen.set(lower(u), u);
  return [...seen.entries()].sort(([a], [b]) => cmp(a, b)).map(([, u]) => u);
}

function uniqueNotCounted(list: readonly NotCounted[]): NotCounted[] {
  const seen = new Map<string, NotCounted>();
  // Stryker disable next-line ConditionalExpression: the same reason is the same person with the same text
  for (const n of list) if (!seen.has(n.reason)) seen.set(n.reason, n);
  return [...seen.values()].sort((a, b) => cmp(a.reason, b.reason));
}
