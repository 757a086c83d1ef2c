import type { ChangeContext, Review } from "./context.ts";
import type { CountedApproval, NotCounted } from "./decision.ts";
import { lower, type Roster } from "./people.ts";
import type { Policy } from "./policy.ts";
import { shortDigest } from "./short-digest.ts";
import { type CoAuthor, isCoAuthor, parseCoAuthors } from "./trailers.ts";

/** The approvals of a pull request after freshness and separation of duties. */
export interface ApprovalSet {
  /** Lower-case login → counted approval; each person once. */
  readonly counted: ReadonlyMap<string, CountedApproval>;
  readonly notCounted: readonly NotCounted[];
  readonly changesRequested: readonly { readonly user: string; readonly commitId: string }[];
  readonly warnings: readonly string[];
}

export const short = (sha: string): string => sha.slice(0, 7);

function listShas(shas: readonly string[]): string {
  const unique = [...new Set(shas.map(short))];
  const shown = unique.slice(0, 3).join(", ");
  return unique.length > 3 ? `${shown} and ${unique.length - 3} more` : shown;
}

/** Reviews in a fixed order (time, then user, state, commit), so the input order never matters. */
export function sortReviews(reviews: readonly Review[]): Review[] {
  const key = (r: Review) => Date.parse(r.submittedAt);
  return [...reviews].sort(
    (a, b) =>
      key(a) - key(b) ||
      cmp(lower(a.user), lower(b.user)) ||
      cmp(a.state, b.state) ||
      cmp(a.commitId, b.commitId) ||
      cmp(a.planDigest ?? "", b.planDigest ?? "") ||
      cmp(a.diffDigest ?? "", b.diffDigest ?? "") ||
      cmp(a.user, b.user),
  );
}

export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const sortedCache = new WeakMap<ReadonlyMap<string, CountedApproval>, readonly CountedApproval[]>();

/** The counted approvals sorted by login, once per evaluation; filtering it keeps the order. */
export function byLogin(approvals: ReadonlyMap<string, CountedApproval>): readonly CountedApproval[] {
  let sorted = sortedCache.get(approvals);
  // Stryker disable next-line ConditionalExpression: a cache; sorting again gives the same list
  if (!sorted) {
    // Stryker disable next-line MethodExpression: collectApprovals fills the map in login order already; the sort keeps byLogin true for any map
    sorted = [...approvals.values()]
      .map((a) => ({ a, key: lower(a.user) }))
      .sort((x, y) => cmp(x.key, y.key))
      .map(({ a }) => a);
    // Stryker disable next-line CallExpression: a cache; without it each call sorts again, with the same result
    sortedCache.set(approvals, sorted);
  }
  return sorted;
}

/** Who is an author of the change: the PR author, commit authors and committers, co-authors. */
export class Authorship {
  private readonly commitAuthors = new Map<string, string[]>();
  private readonly committers = new Map<string, string[]>();
  private readonly coAuthors: { readonly coAuthor: CoAuthor; readonly sha: string }[] = [];

  constructor(
    policy: Policy,
    private readonly context: ChangeContext,
  ) {
    const ignored = new Set(policy.separationOfDuties.ignoredCommitters.map(lower));
    const add = (map: Map<string, string[]>, login: string, sha: string) => {
      const list = map.get(lower(login)) ?? [];
      list.push(sha);
      map.set(lower(login), list);
    };
    for (const commit of context.commits) {
      if (commit.author && !ignored.has(lower(commit.author)))
        add(this.commitAuthors, commit.author, commit.sha);
      if (commit.committer && !ignored.has(lower(commit.committer)))
        add(this.committers, commit.committer, commit.sha);
      for (const coAuthor of parseCoAuthors(commit.message, context.emails)) {
        this.coAuthors.push({ coAuthor, sha: commit.sha });
      }
    }
  }

  /** Every login that counts as an author: the PR author, commit authors and committers, resolved co-authors. */
  logins(): string[] {
    const all = new Map<string, string>([[lower(this.context.author), this.context.author]]);
    for (const commit of this.context.commits) {
      for (const login of [commit.author, commit.committer]) {
        if (login && (this.commitAuthors.has(lower(login)) || this.committers.has(lower(login)))) {
          if (!all.has(lower(login))) all.set(lower(login), login);
        }
      }
    }
    for (const { coAuthor } of this.coAuthors) {
      if (coAuthor.login && !all.has(lower(coAuthor.login))) all.set(lower(coAuthor.login), coAuthor.login);
    }
    return [...all.entries()].sort(([a], [b]) => cmp(a, b)).map(([, login]) => login);
  }

  /** Co-authors whose e-mail could not be tied to a login. */
  unresolvedCoAuthors(): string[] {
    // Stryker disable next-line MethodExpression: evaluate sorts all warnings; this sort keeps the method's own result stable
    return [
      ...new Set(
        this.coAuthors
          .filter((c) => !c.coAuthor.login)
          .map((c) => `${c.coAuthor.name} <${c.coAuthor.email}>`),
      ),
    ].sort();
  }

  /** Why this login counts as an author of the change (empty when it does not). */
  reasons(login: string): string[] {
    const l = lower(login);
    const out: string[] = [];
    if (lower(this.context.author) === l) out.push("they opened the pull request");
    const authored = this.commitAuthors.get(l);
    if (authored) out.push(`they authored ${listShas(authored)}`);
    const committed = this.committers.get(l)?.filter((sha) => !authored?.includes(sha));
    if (committed && committed.length > 0) out.push(`they committed ${listShas(committed)}`);
    const coAuthored = this.coAuthors.filter((c) => isCoAuthor(c.coAuthor, login)).map((c) => c.sha);
    if (coAuthored.length > 0) out.push(`they co-authored ${listShas(coAuthored)}`);
    return out;
  }
}

/**
 * Applies freshness and separation of duties to the reviews. Each person's standing review is their latest
 * APPROVED or CHANGES_REQUESTED one; a DISMISSED review clears it, a COMMENTED one leaves it as it was.
 */
export function collectApprovals(
  policy: Policy,
  context: ChangeContext,
  roster: Roster,
  authorship: Authorship,
  currentDigest: string | undefined,
): ApprovalSet {
  const standing = new Map<string, Review | undefined>();
  for (const review of sortReviews(context.reviews)) {
    if (review.state === "COMMENTED") continue;
    standing.set(lower(review.user), review.state === "DISMISSED" ? undefined : review);
  }
  const counted = new Map<string, CountedApproval>();
  const notCounted: NotCounted[] = [];
  const changesRequested: { user: string; commitId: string }[] = [];
  const authorTeams = policy.separationOfDuties.approverOutsideAuthorTeams
    ? roster.teamsOf(context.author)
    : // Stryker disable next-line ArrayDeclaration: a team named "Stryker was here" has no members, so it is shared with nobody
      [];

  for (const [login, review] of [...standing.entries()].sort(([a], [b]) => cmp(a, b))) {
    if (!review) continue;
    if (review.state === "CHANGES_REQUESTED") {
      changesRequested.push({ user: review.user, commitId: review.commitId });
      continue;
    }
    const reasons = authorship.reasons(review.user);
    if (lower(context.lastPusher) === login)
      reasons.push(`they pushed the head commit ${short(context.headSha)}`);
    const shared = authorTeams.filter((t) => roster.inTeam(review.user, t));
    if (shared.length > 0) {
      reasons.push(
        `they share ${shared.map((t) => roster.teamHandle(t)).join(", ")} with the author @${context.author}, and the policy wants an approver from another team`,
      );
    }
    const freshness = fresh(review, context, currentDigest);
    if (!freshness.fresh) reasons.push(freshness.why);
    if (reasons.length > 0) {
      notCounted.push({
        user: review.user,
        reason: `@${review.user}'s approval does not count: ${reasons.join("; ")}`,
      });
    } else {
      counted.set(login, { user: review.user, commitId: review.commitId, basis: freshness.why });
    }
  }
  const warnings = authorship
    .unresolvedCoAuthors()
    .map(
      (c) =>
        `co-author ${c} could not be matched to a GitHub login (add the address to the context's emails); approvals by a login equal to the name or address are not counted`,
    );
  return { counted, notCounted, changesRequested, warnings };
}

/**
 * An approval counts for the plan and the code it was given on: on the head commit, when it recorded the
 * current plan's digest (an approval with no recorded digest was given without a plan to see, so it does not
 * count once there is one), or on an earlier commit when both the plan digest and the pull request's diff digest
 * are unchanged since, i.e. the push between was only a rebase or a merge from the base branch.
 */
function fresh(
  review: Review,
  context: ChangeContext,
  currentDigest: string | undefined,
): { fresh: boolean; why: string } {
  const at = short(review.commitId);
  if (review.planDigest === undefined && currentDigest !== undefined) {
    return {
      fresh: false,
      why: `it was given on ${at} without a recorded plan digest: the reviewer never saw a plan`,
    };
  }
  if (review.planDigest !== undefined && currentDigest !== undefined && review.planDigest !== currentDigest) {
    return {
      fresh: false,
      why: `it was given on plan ${shortDigest(review.planDigest)} (commit ${at}) and the plan has changed since`,
    };
  }
  if (review.commitId === context.headSha) return { fresh: true, why: "given on the head commit" };
  if (currentDigest === undefined) {
    return {
      fresh: false,
      why: `it was given on ${at}, before the latest push, and there is no current plan to show the change is the same`,
    };
  }
  if (review.diffDigest === undefined || context.diffDigest === undefined) {
    return {
      fresh: false,
      why: `it was given on ${at}, before the latest push, and without ${review.diffDigest === undefined ? "a recorded" : "the current"} diff digest the push cannot be shown to be only a rebase or a merge from the base branch`,
    };
  }
  if (review.diffDigest !== context.diffDigest) {
    return {
      fresh: false,
      why: `it was given on ${at} and a later push changed the code (diff ${shortDigest(review.diffDigest)} is now ${shortDigest(context.diffDigest)})`,
    };
  }
  return {
    fresh: true,
    why: `given on ${at}; the plan (digest ${shortDigest(currentDigest)}) and the diff are unchanged since`,
  };
}
