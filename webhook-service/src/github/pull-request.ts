import type { GitHubClient } from "./app.ts";
import type { PullRequestFile } from "./diff-digest.ts";

/** GitHub lists at most this many files of a pull request (REST), and at most 250 commits. */
export const GITHUB_FILE_CAP = 3000;
export const GITHUB_COMMIT_CAP = 250;

export interface RepoRef {
  readonly owner: string;
  readonly repo: string;
}

export function repoRef(fullName: string): RepoRef {
  const [owner, repo] = fullName.split("/");
  if (!owner || !repo) throw new Error(`not an owner/repo name: ${fullName}`);
  return { owner, repo };
}

/** Everything read from GitHub about one pull request, as plain data (REST responses narrowed). */
export interface PullRequestSnapshot {
  readonly repository: string;
  readonly number: number;
  readonly title: string;
  readonly state: string;
  readonly htmlUrl: string;
  readonly author: string;
  readonly headSha: string;
  readonly baseRef: string;
  readonly ownerIsOrganization: boolean;
  readonly labels: readonly string[];
  readonly files: readonly (PullRequestFile & { additions: number; deletions: number })[];
  /** Files GitHub says the pull request changes (may exceed what it lists). */
  readonly changedFiles: number;
  readonly commits: readonly {
    sha: string;
    author?: string;
    committer?: string;
    authorEmail?: string;
    committerEmail?: string;
    message: string;
  }[];
  readonly commitCount: number;
  readonly reviews: readonly {
    id: number;
    user: string;
    state: string;
    commitId: string;
    submittedAt: string;
  }[];
}

export async function readPullRequest(
  octokit: GitHubClient,
  repository: string,
  number: number,
): Promise<PullRequestSnapshot> {
  const ref = repoRef(repository);
  // One round trip: the lists need only the number. A push between the reads is caught where it matters,
  // by the head re-read before publishing.
  const [{ data: pr }, files, commits, reviews] = await Promise.all([
    octokit.rest.pulls.get({ ...ref, pull_number: number }),
    octokit.paginate(octokit.rest.pulls.listFiles, { ...ref, pull_number: number, per_page: 100 }),
    octokit.paginate(octokit.rest.pulls.listCommits, { ...ref, pull_number: number, per_page: 100 }),
    octokit.paginate(octokit.rest.pulls.listReviews, { ...ref, pull_number: number, per_page: 100 }),
  ]);
  return {
    repository,
    number,
    title: pr.title,
    state: pr.state,
    htmlUrl: pr.html_url,
    author: pr.user?.login ?? "",
    headSha: pr.head.sha,
    baseRef: pr.base.ref,
    ownerIsOrganization: pr.base.repo.owner.type === "Organization",
    labels: pr.labels.map((l) => l.name ?? "").filter(Boolean),
    files: files.map((f) => ({
      filename: f.filename,
      status: f.status,
      ...(f.previous_filename ? { previous_filename: f.previous_filename } : {}),
      ...(f.patch !== undefined ? { patch: f.patch } : {}),
      sha: f.sha,
      additions: f.additions,
      deletions: f.deletions,
    })),
    changedFiles: pr.changed_files,
    commits: commits.map((c) => ({
      sha: c.sha,
      message: c.commit.message,
      ...(c.author?.login ? { author: c.author.login } : {}),
      ...(c.committer?.login ? { committer: c.committer.login } : {}),
      ...(c.commit.author?.email ? { authorEmail: c.commit.author.email } : {}),
      ...(c.commit.committer?.email ? { committerEmail: c.commit.committer.email } : {}),
    })),
    commitCount: pr.commits,
    reviews: reviews
      .filter((r) => r.user && r.commit_id && r.state !== "PENDING")
      .map((r) => ({
        id: r.id,
        user: r.user?.login ?? "",
        state: r.state,
        commitId: r.commit_id ?? "",
        submittedAt: r.submitted_at ?? "",
      })),
  };
}

/** A file's text at a ref, or undefined when it does not exist there (404). Other errors propagate. */
export async function readFileAt(
  octokit: GitHubClient,
  repository: string,
  path: string,
  ref: string,
): Promise<string | undefined> {
  try {
    const { data } = await octokit.rest.repos.getContent({ ...repoRef(repository), path, ref });
    if (Array.isArray(data) || data.type !== "file") return undefined;
    const content = (data as { content?: string; encoding?: string }).content ?? "";
    return Buffer.from(content, "base64").toString("utf8");
  } catch (error) {
    if ((error as { status?: number }).status === 404) return undefined;
    throw error;
  }
}

/** CODEOWNERS as GitHub finds it: .github/, then the root, then docs/ (first found wins). */
export const CODEOWNERS_PATHS = [".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS"] as const;

export async function readCodeowners(
  octokit: GitHubClient,
  repository: string,
  ref: string,
): Promise<string | undefined> {
  // All three at once (one round trip, not up to three); the first path in GitHub's order wins.
  const texts = await Promise.all(CODEOWNERS_PATHS.map((path) => readFileAt(octokit, repository, path, ref)));
  return texts.find((text) => text !== undefined);
}
