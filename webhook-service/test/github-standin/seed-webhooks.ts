import type { GitHubState, PullRequestRecord, ReviewRecord, ReviewState } from "./state.ts";
import type { ExamplePayload } from "./webhook-examples.ts";

/** The fields of a pull_request / pull_request_review delivery the seeders read (GitHub's payload shape). */
interface PayloadUser {
  readonly login: string;
  readonly id: number;
  readonly type?: string;
}
interface PayloadRepository {
  readonly id: number;
  readonly full_name: string;
  readonly private: boolean;
  readonly default_branch?: string;
  readonly owner: PayloadUser;
}
interface PayloadPullRequest {
  readonly id: number;
  readonly number: number;
  readonly title: string;
  readonly body: string | null;
  readonly state: string;
  readonly draft?: boolean;
  readonly merged?: boolean | null;
  readonly created_at: string;
  readonly updated_at: string;
  readonly author_association?: string;
  readonly user: PayloadUser;
  readonly labels?: readonly { readonly name: string }[];
  readonly head: { readonly sha: string; readonly ref: string; readonly repo: PayloadRepository | null };
  readonly base: { readonly sha: string; readonly ref: string; readonly repo: PayloadRepository };
}
export interface PullRequestPayload {
  readonly repository: PayloadRepository;
  readonly pull_request: PayloadPullRequest;
  readonly installation?: { readonly id: number };
  readonly organization?: { readonly login: string; readonly id: number };
}
export interface PullRequestReviewPayload extends PullRequestPayload {
  readonly review: {
    readonly id: number;
    readonly user: PayloadUser | null;
    readonly state: string;
    readonly commit_id: string;
    readonly submitted_at?: string | null;
    readonly body?: string | null;
  };
}

export interface SeedFromPayloadOptions {
  /** Installation id when the payload has none (GitHub sends one to every App delivery). @default 1 */
  readonly installationId?: number;
}

/**
 * Makes the stand-in know what a pull_request delivery refers to: the installation, the repository (same id,
 * default branch, visibility), its owner and the pull request (number, id, author, head and base, labels,
 * state, draft). Signing the same payload for the service then exercises the service against a GitHub that
 * agrees with the delivery. Files, commits and contents are the test's to add.
 */
export function seedFromPullRequestEvent(
  state: GitHubState,
  delivery: PullRequestPayload | ExamplePayload,
  options: SeedFromPayloadOptions = {},
): PullRequestRecord {
  const payload = checkPullRequestPayload(delivery);
  const { repository: repo, pull_request: pr } = payload;
  const installationId = payload.installation?.id ?? options.installationId ?? 1;
  const ownerType = payload.organization
    ? "Organization"
    : repo.owner.type === "Organization"
      ? "Organization"
      : "User";
  state.addUser({ login: repo.owner.login, id: repo.owner.id, type: ownerType });
  if (payload.organization)
    state.addUser({ login: payload.organization.login, id: payload.organization.id, type: "Organization" });
  if (!state.installations.has(installationId)) {
    state.addInstallation({
      id: installationId,
      account: payload.organization?.login ?? repo.owner.login,
      accountType: ownerType,
    });
  }
  if (!state.repository(repo.full_name)) {
    state.addRepository({
      fullName: repo.full_name,
      installationId,
      id: repo.id,
      defaultBranch: repo.default_branch ?? pr.base.ref,
      private: repo.private,
    });
  }
  state.addUser({ login: pr.user.login, id: pr.user.id, type: pr.user.type ?? "User" });
  const existing = state.pullRequest(repo.full_name, pr.number);
  const record = state.addPullRequest(repo.full_name, {
    number: pr.number,
    id: pr.id,
    title: pr.title,
    body: pr.body,
    user: pr.user.login,
    head: { sha: pr.head.sha, ref: pr.head.ref, repo: pr.head.repo?.full_name ?? repo.full_name },
    base: { sha: pr.base.sha, ref: pr.base.ref },
    labels: (pr.labels ?? []).map((l) => l.name),
    state: pr.state === "closed" ? "closed" : "open",
    draft: pr.draft ?? false,
    merged: pr.merged ?? false,
    createdAt: pr.created_at,
    updatedAt: pr.updated_at,
    authorAssociation: pr.author_association ?? "MEMBER",
    // A later delivery about the same pull request keeps what the test added.
    commits: existing?.commits ?? [],
    files: existing?.files ?? [],
  });
  for (const review of existing?.reviews ?? []) record.reviews.push(review);
  return record;
}

const REVIEW_STATES: Readonly<Record<string, ReviewState>> = {
  approved: "APPROVED",
  changes_requested: "CHANGES_REQUESTED",
  commented: "COMMENTED",
  dismissed: "DISMISSED",
  pending: "PENDING",
};

/** As seedFromPullRequestEvent, and the review the delivery reports (REST's upper-case state). */
export function seedFromPullRequestReviewEvent(
  state: GitHubState,
  delivery: PullRequestReviewPayload | ExamplePayload,
  options: SeedFromPayloadOptions = {},
): { pullRequest: PullRequestRecord; review: ReviewRecord } {
  const pullRequest = seedFromPullRequestEvent(state, delivery, options);
  const raw = (delivery as { review?: unknown }).review;
  if (
    !isObject(raw) ||
    typeof raw.id !== "number" ||
    typeof raw.state !== "string" ||
    typeof raw.commit_id !== "string"
  ) {
    throw new Error(
      "pull_request_review payload: review.id (number), review.state and review.commit_id (strings) expected",
    );
  }
  const r = raw as unknown as PullRequestReviewPayload["review"];
  const reviewState = REVIEW_STATES[r.state.toLowerCase()];
  if (!reviewState) throw new Error(`review.state ${JSON.stringify(r.state)} is not one GitHub sends`);
  if (!r.user) throw new Error("review.user is null: a review by a deleted user cannot be seeded");
  state.addUser({ login: r.user.login, id: r.user.id, type: r.user.type ?? "User" });
  const others = pullRequest.reviews.filter((existing) => existing.id !== r.id);
  pullRequest.reviews.length = 0;
  pullRequest.reviews.push(...others);
  const review = state.addReview(pullRequest.repo, pullRequest.number, {
    id: r.id,
    user: r.user.login,
    state: reviewState,
    commitId: r.commit_id,
    ...(r.submitted_at ? { submittedAt: r.submitted_at } : {}),
    body: r.body ?? "",
  });
  return { pullRequest, review };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Checks the fields the seeder reads, naming the first one missing, before trusting the payload's shape. */
function checkPullRequestPayload(payload: unknown): PullRequestPayload {
  const at = (path: string): unknown =>
    path.split(".").reduce<unknown>((value, part) => (isObject(value) ? value[part] : undefined), payload);
  const expected: readonly [string, "string" | "number"][] = [
    ["repository.full_name", "string"],
    ["repository.id", "number"],
    ["repository.owner.login", "string"],
    ["pull_request.number", "number"],
    ["pull_request.id", "number"],
    ["pull_request.user.login", "string"],
    ["pull_request.head.sha", "string"],
    ["pull_request.head.ref", "string"],
    ["pull_request.base.sha", "string"],
    ["pull_request.base.ref", "string"],
  ];
  for (const [path, type] of expected) {
    if (typeof at(path) !== type) {
      throw new Error(`pull_request payload: ${path} should be a ${type}, got ${JSON.stringify(at(path))}`);
    }
  }
  return payload as PullRequestPayload;
}
