import type { GlossaryFinding } from "../../../core/glossary/index.ts";
import type { ChangeContext, OverrideRequest } from "../../../core/policy/index.ts";
import type { PullRequestSnapshot } from "../github/pull-request.ts";
import type { PlanReviewRecord } from "../plans/store.ts";

export interface ContextFacts {
  readonly snapshot: PullRequestSnapshot;
  readonly codeowners?: string;
  readonly organization: { readonly login: string; readonly members: readonly string[] };
  readonly teams: Readonly<Record<string, readonly string[]>>;
  /** Plan reviews uploaded for the head SHA (one per stack); empty: no plan yet. */
  readonly plans: readonly PlanReviewRecord[];
  readonly glossaryFindings: readonly GlossaryFinding[];
  /** Digests the service recorded when each review arrived, by review id. */
  readonly reviewDigests: ReadonlyMap<number, { planDigest?: string; diffDigest?: string }>;
  /** Who pushed the head commit (the pull_request delivery's sender); undefined when no delivery said. */
  readonly lastPusher?: string;
  readonly diffDigest: string;
  readonly override?: OverrideRequest;
}

const REVIEW_STATES = new Set(["APPROVED", "CHANGES_REQUESTED", "DISMISSED", "COMMENTED"]);

/** The one ChangeContext the pure core sees, assembled from what was read from GitHub and the database. */
export function buildChangeContext(facts: ContextFacts): ChangeContext {
  const s = facts.snapshot;
  const emails: Record<string, string> = {};
  for (const c of s.commits) {
    if (c.authorEmail && c.author) emails[c.authorEmail.toLowerCase()] = c.author;
    if (c.committerEmail && c.committer) emails[c.committerEmail.toLowerCase()] = c.committer;
  }
  const head = s.commits.find((c) => c.sha === s.headSha);
  // Without a delivery naming the pusher, the head commit's committer (or author) stands in: the one who
  // pushed is most likely among them, and counting them out errs on the safe side.
  const lastPusher = facts.lastPusher ?? head?.committer ?? head?.author ?? s.author;
  return {
    repository: s.repository,
    number: s.number,
    author: s.author,
    headSha: s.headSha,
    baseBranch: s.baseRef,
    lastPusher,
    labels: s.labels,
    commits: s.commits.map((c) => ({
      sha: c.sha,
      message: c.message,
      ...(c.author ? { author: c.author } : {}),
      ...(c.committer ? { committer: c.committer } : {}),
    })),
    files: s.files.map((f) => ({ path: f.filename, additions: f.additions, deletions: f.deletions })),
    reviews: s.reviews
      .filter((r) => REVIEW_STATES.has(r.state))
      .map((r) => {
        const digests = facts.reviewDigests.get(r.id);
        return {
          user: r.user,
          state: r.state as "APPROVED" | "CHANGES_REQUESTED" | "DISMISSED" | "COMMENTED",
          commitId: r.commitId,
          submittedAt: r.submittedAt,
          ...(digests?.planDigest ? { planDigest: digests.planDigest } : {}),
          ...(digests?.diffDigest ? { diffDigest: digests.diffDigest } : {}),
        };
      }),
    organization: facts.organization,
    teams: facts.teams,
    emails,
    ...(facts.codeowners !== undefined ? { codeowners: facts.codeowners } : {}),
    diffDigest: facts.diffDigest,
    ...(facts.plans.length > 0
      ? { plan: { commit: s.headSha, stacks: facts.plans.map((p) => ({ name: p.stack, facts: p.facts })) } }
      : {}),
    glossaryFindings: facts.glossaryFindings,
    ...(facts.override ? { override: facts.override } : {}),
  };
}

/** Team slugs ("org/team") named by CODEOWNERS owners (`@org/team`). */
export function codeownerTeams(codeowners: string | undefined): string[] {
  if (!codeowners) return [];
  const out = new Set<string>();
  for (const line of codeowners.split("\n")) {
    const text = line.replace(/#.*/, "");
    for (const m of text.matchAll(/@([\w.-]+\/[\w.-]+)/g)) if (m[1]) out.add(m[1]);
  }
  return [...out];
}

/** The latest `/sluice override <reason>` comment, as the engine's written override request. */
export function overrideFromComments(
  comments: readonly { user: string; body: string; createdAt: string }[],
): OverrideRequest | undefined {
  let found: OverrideRequest | undefined;
  for (const c of [...comments].sort((a, b) => a.createdAt.localeCompare(b.createdAt))) {
    const m = /^\s*\/sluice\s+override\b[ \t]*(.*)$/m.exec(c.body);
    if (m) found = { by: c.user, reason: (m[1] ?? "").trim() };
  }
  return found;
}
