import type { AppPermissions, CheckRun, IssueComment } from "./schemas.ts";

/** What tests seed: plain data, turned into GitHub's full response shapes when served. */

export interface SeedUser {
  readonly login: string;
  readonly id?: number;
  /** "User", "Organization" or "Bot". @default "User" */
  readonly type?: string;
  readonly name?: string;
  readonly email?: string;
}

export interface SeedInstallation {
  readonly id: number;
  /** Login of the user or organization the App is installed on. */
  readonly account: string;
  /** @default "Organization" */
  readonly accountType?: "User" | "Organization";
  /** @default "selected" */
  readonly repositorySelection?: "all" | "selected";
  /** @default DEFAULT_PERMISSIONS */
  readonly permissions?: AppPermissions;
  readonly suspended?: boolean;
}

export interface SeedRepository {
  /** "owner/name" */
  readonly fullName: string;
  readonly installationId: number;
  readonly id?: number;
  /** @default "main" */
  readonly defaultBranch?: string;
  /** @default true */
  readonly private?: boolean;
}

export interface SeedCommit {
  readonly sha: string;
  readonly message: string;
  /** GitHub login GitHub matched the author e-mail to; null when it matched none. */
  readonly author?: string | null;
  readonly committer?: string | null;
  readonly authorName?: string;
  readonly authorEmail?: string;
  readonly committerName?: string;
  readonly committerEmail?: string;
  readonly date?: string;
  readonly parents?: readonly string[];
}

export type FileStatus = "added" | "removed" | "modified" | "renamed" | "copied" | "changed" | "unchanged";

export interface SeedFile {
  readonly filename: string;
  /** @default "modified" */
  readonly status?: FileStatus;
  /** @default 0 */
  readonly additions?: number;
  /** @default 0 */
  readonly deletions?: number;
  /** @default additions + deletions */
  readonly changes?: number;
  readonly patch?: string;
  readonly previousFilename?: string;
}

export type ReviewState = "APPROVED" | "CHANGES_REQUESTED" | "COMMENTED" | "DISMISSED" | "PENDING";

export interface SeedReview {
  readonly id?: number;
  readonly user: string;
  readonly state: ReviewState;
  readonly commitId: string;
  readonly submittedAt?: string;
  readonly body?: string;
}

export interface SeedPullRequest {
  readonly number: number;
  readonly id?: number;
  readonly title?: string;
  readonly body?: string | null;
  /** Author login. */
  readonly user: string;
  readonly head: { readonly sha: string; readonly ref: string; readonly repo?: string };
  readonly base: { readonly sha: string; readonly ref: string };
  readonly labels?: readonly string[];
  /** @default "open" */
  readonly state?: "open" | "closed";
  readonly draft?: boolean;
  readonly merged?: boolean;
  readonly createdAt?: string;
  readonly updatedAt?: string;
  readonly commits?: readonly SeedCommit[];
  readonly files?: readonly SeedFile[];
  readonly reviews?: readonly SeedReview[];
  readonly authorAssociation?: string;
}

export interface InstallationRecord {
  readonly id: number;
  readonly account: string;
  readonly accountType: "User" | "Organization";
  readonly repositorySelection: "all" | "selected";
  permissions: AppPermissions;
  suspended: boolean;
  readonly createdAt: string;
}

export interface RepositoryRecord {
  readonly id: number;
  readonly owner: string;
  readonly name: string;
  readonly fullName: string;
  readonly defaultBranch: string;
  readonly installationId: number;
  readonly private: boolean;
  readonly createdAt: string;
  /** branch → head sha */
  readonly branches: Map<string, string>;
  /** Every commit sha the repository knows (check runs may only be created on these, as on GitHub). */
  readonly shas: Set<string>;
  /** ref (branch or sha) → path → bytes */
  readonly contents: Map<string, Map<string, Buffer>>;
}

export interface ReviewRecord {
  readonly id: number;
  readonly user: string;
  state: ReviewState;
  readonly commitId: string;
  readonly submittedAt: string;
  readonly body: string;
}

export interface PullRequestRecord {
  readonly repo: string;
  readonly number: number;
  readonly id: number;
  title: string;
  body: string | null;
  readonly user: string;
  head: { sha: string; ref: string; repo: string };
  base: { sha: string; ref: string };
  labels: string[];
  state: "open" | "closed";
  draft: boolean;
  merged: boolean;
  readonly createdAt: string;
  updatedAt: string;
  commits: SeedCommit[];
  files: SeedFile[];
  reviews: ReviewRecord[];
  readonly authorAssociation: string;
}

export interface TeamRecord {
  readonly id: number;
  readonly org: string;
  readonly slug: string;
  readonly name: string;
  /** login (lower case) → membership */
  readonly members: Map<
    string,
    { readonly login: string; readonly role: "member" | "maintainer"; readonly state: "active" | "pending" }
  >;
}

export interface CheckRunRecord {
  readonly repo: string;
  readonly run: CheckRun;
  readonly annotations: unknown[];
  actions: unknown[];
}

export interface CommentRecord {
  readonly repo: string;
  readonly issueNumber: number;
  readonly comment: IssueComment;
}

export interface DeploymentProtectionReview {
  readonly repo: string;
  readonly runId: number;
  readonly environment_name: string;
  /** Absent for a comment-only call (a progress note that decides nothing). */
  readonly state: "approved" | "rejected" | undefined;
  readonly comment: string | undefined;
  readonly at: Date;
}

/** Everything a fresh installation may do: what the change-control App asks for. */
export const DEFAULT_PERMISSIONS: AppPermissions = {
  checks: "write",
  contents: "read",
  issues: "write",
  pull_requests: "write",
  metadata: "read",
  members: "read",
  actions: "read",
  deployments: "write",
};

const key = (fullName: string) => fullName.toLowerCase();

/** The stand-in's memory of GitHub: seed it before a test, read it after. */
export class GitHubState {
  readonly users = new Map<string, Required<Pick<SeedUser, "login" | "id" | "type">> & SeedUser>();
  readonly installations = new Map<number, InstallationRecord>();
  readonly repositories = new Map<string, RepositoryRecord>();
  readonly pullRequests = new Map<string, PullRequestRecord>();
  /** org (lower case) → member logins (lower case) */
  readonly orgMembers = new Map<string, Set<string>>();
  readonly teams = new Map<string, TeamRecord>();
  private readonly checkRunMap = new Map<number, CheckRunRecord>();
  private readonly commentMap = new Map<number, CommentRecord>();
  /** Check runs by id (add with addCheckRun, so the per-commit index stays right). */
  readonly checkRuns: ReadonlyMap<number, CheckRunRecord> = this.checkRunMap;
  /** Comments by id (add with addComment, delete with deleteComment). */
  readonly comments: ReadonlyMap<number, CommentRecord> = this.commentMap;
  /** "repo@sha" → check run ids, and "repo#n" → comment ids: lookups stay cheap under benchmark load. */
  private readonly checkRunIndex = new Map<string, number[]>();
  private readonly commentIndex = new Map<string, number[]>();
  /** head sha → pull requests that had it as head (a check run lists the open ones) */
  private readonly pullsByHead = new Map<string, PullRequestRecord[]>();
  readonly deploymentProtectionReviews: DeploymentProtectionReview[] = [];
  /** "repo#runId" → environments waiting on this App's protection rule */
  readonly pendingProtectionRules = new Map<string, Set<string>>();
  /** "repo@sha" → the App's check suite on that commit */
  readonly checkSuites = new Map<string, number>();
  private nextId = 9_000_001;

  /** The App has one check suite per commit; its check runs all belong to it. */
  checkSuiteId(fullName: string, sha: string): number {
    const id = `${key(fullName)}@${sha}`;
    let suite = this.checkSuites.get(id);
    if (suite === undefined) {
      suite = this.newId();
      this.checkSuites.set(id, suite);
    }
    return suite;
  }

  addCheckRun(record: CheckRunRecord): void {
    const id = Number(record.run.id);
    this.checkRunMap.set(id, record);
    const at = `${key(record.repo)}@${record.run.head_sha}`;
    const ids = this.checkRunIndex.get(at) ?? [];
    ids.push(id);
    this.checkRunIndex.set(at, ids);
  }

  /** The check runs on a commit, oldest first. */
  checkRunsOn(fullName: string, sha: string): CheckRunRecord[] {
    const ids = this.checkRunIndex.get(`${key(fullName)}@${sha}`) ?? [];
    return ids.flatMap((id) => this.checkRuns.get(id) ?? []);
  }

  addComment(record: CommentRecord): void {
    const id = Number(record.comment.id);
    this.commentMap.set(id, record);
    const on = `${key(record.repo)}#${record.issueNumber}`;
    const ids = this.commentIndex.get(on) ?? [];
    ids.push(id);
    this.commentIndex.set(on, ids);
  }

  deleteComment(id: number): void {
    const found = this.comments.get(id);
    if (!found) return;
    this.commentMap.delete(id);
    const on = `${key(found.repo)}#${found.issueNumber}`;
    this.commentIndex.set(
      on,
      (this.commentIndex.get(on) ?? []).filter((other) => other !== id),
    );
  }

  /** The comments on an issue or pull request, oldest first. */
  commentsOn(fullName: string, number: number): CommentRecord[] {
    const ids = this.commentIndex.get(`${key(fullName)}#${number}`) ?? [];
    return ids.flatMap((id) => this.comments.get(id) ?? []);
  }

  /** Open pull requests of a repository whose head is `sha`. */
  openPullsWithHead(fullName: string, sha: string): PullRequestRecord[] {
    const repo = key(fullName);
    const matches = (pr: PullRequestRecord) =>
      pr.state === "open" && pr.head.sha === sha && key(pr.repo) === repo;
    // The index may hold pull requests whose head moved on since (checked again here), and misses a head a test
    // set by assignment rather than pushToPullRequest (then a full scan finds it).
    const indexed = (this.pullsByHead.get(sha) ?? []).filter(matches);
    return indexed.length > 0 ? indexed : [...this.pullRequests.values()].filter(matches);
  }

  private indexHead(pr: PullRequestRecord): void {
    const list = this.pullsByHead.get(pr.head.sha) ?? [];
    if (!list.includes(pr)) list.push(pr);
    this.pullsByHead.set(pr.head.sha, list);
  }

  /** A ref as GitHub resolves it for the commits endpoints: a branch name to its head, a known sha to itself. */
  resolveRef(fullName: string, ref: string): string | undefined {
    const repo = this.repository(fullName);
    if (!repo) return undefined;
    const branch = repo.branches.get(ref);
    if (branch) return branch;
    if (repo.shas.has(ref)) return ref;
    if (/^[0-9a-f]{7,39}$/.test(ref)) {
      const matches = [...repo.shas].filter((sha) => sha.startsWith(ref));
      if (matches.length === 1) return matches[0];
    }
    return undefined;
  }

  /** A fresh id, unique across all objects, as GitHub's are per type. */
  newId(): number {
    return this.nextId++;
  }

  addUser(user: SeedUser): SeedUser & { id: number; type: string } {
    const existing = this.users.get(key(user.login));
    const record = {
      ...existing,
      ...user,
      id: user.id ?? existing?.id ?? this.newId(),
      type: user.type ?? existing?.type ?? "User",
    };
    this.users.set(key(user.login), record);
    return record;
  }

  user(login: string): SeedUser & { id: number; type: string } {
    return this.users.get(key(login)) ?? this.addUser({ login });
  }

  addInstallation(seed: SeedInstallation): InstallationRecord {
    const accountType = seed.accountType ?? "Organization";
    this.addUser({ login: seed.account, type: accountType });
    const record: InstallationRecord = {
      id: seed.id,
      account: seed.account,
      accountType,
      repositorySelection: seed.repositorySelection ?? "selected",
      permissions: { ...(seed.permissions ?? DEFAULT_PERMISSIONS) },
      suspended: seed.suspended ?? false,
      createdAt: new Date().toISOString(),
    };
    this.installations.set(seed.id, record);
    return record;
  }

  addRepository(seed: SeedRepository): RepositoryRecord {
    const [owner, name, extra] = seed.fullName.split("/");
    if (!owner || !name || extra !== undefined) {
      throw new Error(`repository fullName must be "owner/name", got ${JSON.stringify(seed.fullName)}`);
    }
    if (!this.installations.has(seed.installationId)) {
      this.addInstallation({ id: seed.installationId, account: owner });
    }
    const defaultBranch = seed.defaultBranch ?? "main";
    const record: RepositoryRecord = {
      id: seed.id ?? this.newId(),
      owner,
      name,
      fullName: `${owner}/${name}`,
      defaultBranch,
      installationId: seed.installationId,
      private: seed.private ?? true,
      createdAt: new Date().toISOString(),
      branches: new Map(),
      shas: new Set(),
      contents: new Map(),
    };
    this.repositories.set(key(seed.fullName), record);
    return record;
  }

  repository(fullName: string): RepositoryRecord | undefined {
    return this.repositories.get(key(fullName));
  }

  private requireRepository(fullName: string): RepositoryRecord {
    const repo = this.repository(fullName);
    if (!repo) throw new Error(`unknown repository ${fullName}: seed it with addRepository first`);
    return repo;
  }

  /** Points a branch at a commit (and makes the commit known to the repository). */
  setBranch(fullName: string, branch: string, sha: string): void {
    const repo = this.requireRepository(fullName);
    repo.branches.set(branch, sha);
    repo.shas.add(sha);
  }

  /** Makes commits known to the repository, so check runs may be created on them. */
  addCommitShas(fullName: string, ...shas: string[]): void {
    const repo = this.requireRepository(fullName);
    for (const sha of shas) repo.shas.add(sha);
  }

  addPullRequest(fullName: string, seed: SeedPullRequest): PullRequestRecord {
    const repo = this.requireRepository(fullName);
    this.user(seed.user);
    const now = new Date().toISOString();
    const record: PullRequestRecord = {
      repo: repo.fullName,
      number: seed.number,
      id: seed.id ?? this.newId(),
      title: seed.title ?? `Pull request ${seed.number}`,
      body: seed.body ?? null,
      user: seed.user,
      head: { sha: seed.head.sha, ref: seed.head.ref, repo: seed.head.repo ?? repo.fullName },
      base: { sha: seed.base.sha, ref: seed.base.ref },
      labels: [...(seed.labels ?? [])],
      state: seed.state ?? "open",
      draft: seed.draft ?? false,
      merged: seed.merged ?? false,
      createdAt: seed.createdAt ?? now,
      updatedAt: seed.updatedAt ?? seed.createdAt ?? now,
      commits: [...(seed.commits ?? [])],
      files: [...(seed.files ?? [])],
      reviews: [],
      authorAssociation: seed.authorAssociation ?? "MEMBER",
    };
    this.pullRequests.set(`${key(repo.fullName)}#${seed.number}`, record);
    this.indexHead(record);
    repo.shas.add(seed.head.sha);
    repo.shas.add(seed.base.sha);
    if (!repo.branches.has(seed.base.ref)) repo.branches.set(seed.base.ref, seed.base.sha);
    if (record.head.repo.toLowerCase() === repo.fullName.toLowerCase())
      repo.branches.set(seed.head.ref, seed.head.sha);
    for (const commit of record.commits) repo.shas.add(commit.sha);
    for (const review of seed.reviews ?? []) this.addReview(repo.fullName, seed.number, review);
    return record;
  }

  pullRequest(fullName: string, number: number): PullRequestRecord | undefined {
    return this.pullRequests.get(`${key(fullName)}#${number}`);
  }

  private requirePullRequest(fullName: string, number: number): PullRequestRecord {
    const pr = this.pullRequest(fullName, number);
    if (!pr) throw new Error(`unknown pull request ${fullName}#${number}: seed it with addPullRequest first`);
    return pr;
  }

  /** A push to the pull request's branch: new head, new commits appended. */
  pushToPullRequest(fullName: string, number: number, commits: readonly SeedCommit[]): void {
    const pr = this.requirePullRequest(fullName, number);
    const repo = this.requireRepository(fullName);
    const last = commits.at(-1);
    if (!last) throw new Error("pushToPullRequest needs at least one commit");
    pr.commits.push(...commits);
    for (const commit of commits) repo.shas.add(commit.sha);
    pr.head = { ...pr.head, sha: last.sha };
    this.indexHead(pr);
    if (pr.head.repo.toLowerCase() === repo.fullName.toLowerCase()) repo.branches.set(pr.head.ref, last.sha);
    pr.updatedAt = new Date().toISOString();
  }

  setPullRequestCommits(fullName: string, number: number, commits: readonly SeedCommit[]): void {
    const pr = this.requirePullRequest(fullName, number);
    pr.commits = [...commits];
    this.addCommitShas(fullName, ...commits.map((c) => c.sha));
  }

  setPullRequestFiles(fullName: string, number: number, files: readonly SeedFile[]): void {
    this.requirePullRequest(fullName, number).files = [...files];
  }

  addReview(fullName: string, number: number, seed: SeedReview): ReviewRecord {
    const pr = this.requirePullRequest(fullName, number);
    this.user(seed.user);
    const review: ReviewRecord = {
      id: seed.id ?? this.newId(),
      user: seed.user,
      state: seed.state,
      commitId: seed.commitId,
      submittedAt: seed.submittedAt ?? new Date().toISOString(),
      body: seed.body ?? "",
    };
    pr.reviews.push(review);
    return review;
  }

  /** Stores file contents at a ref (branch name or commit sha). */
  setContent(fullName: string, ref: string, path: string, content: string | Buffer): void {
    const repo = this.requireRepository(fullName);
    const files = repo.contents.get(ref) ?? new Map<string, Buffer>();
    files.set(path.replace(/^\/+/, ""), typeof content === "string" ? Buffer.from(content, "utf8") : content);
    repo.contents.set(ref, files);
    if (/^[0-9a-f]{40}$/.test(ref)) repo.shas.add(ref);
  }

  /** Contents at a ref: the ref as stored, else the branch it names (by its head sha) or the branch whose head it is. */
  contentsAt(fullName: string, ref: string | undefined): Map<string, Buffer> | undefined {
    const repo = this.repository(fullName);
    if (!repo) return undefined;
    const wanted = ref ?? repo.defaultBranch;
    const direct = repo.contents.get(wanted);
    if (direct) return direct;
    const branchSha = repo.branches.get(wanted);
    if (branchSha && repo.contents.has(branchSha)) return repo.contents.get(branchSha);
    for (const [branch, sha] of repo.branches) {
      if (sha === wanted && repo.contents.has(branch)) return repo.contents.get(branch);
    }
    return undefined;
  }

  addOrgMember(org: string, ...logins: string[]): void {
    const members = this.orgMembers.get(key(org)) ?? new Set<string>();
    for (const login of logins) {
      this.user(login);
      members.add(key(login));
    }
    this.orgMembers.set(key(org), members);
  }

  removeOrgMember(org: string, login: string): void {
    this.orgMembers.get(key(org))?.delete(key(login));
  }

  /** A team and its members (all active); members are made org members too, as GitHub requires. */
  addTeam(
    org: string,
    slug: string,
    members: readonly (
      | string
      | { login: string; role?: "member" | "maintainer"; state?: "active" | "pending" }
    )[] = [],
  ): TeamRecord {
    const team: TeamRecord = {
      id: this.newId(),
      org,
      slug,
      name: slug,
      members: new Map(),
    };
    this.teams.set(`${key(org)}/${key(slug)}`, team);
    for (const member of members) {
      const m = typeof member === "string" ? { login: member } : member;
      this.user(m.login);
      team.members.set(key(m.login), {
        login: m.login,
        role: m.role ?? "member",
        state: m.state ?? "active",
      });
      if ((m.state ?? "active") === "active") this.addOrgMember(org, m.login);
    }
    return team;
  }

  team(org: string, slug: string): TeamRecord | undefined {
    return this.teams.get(`${key(org)}/${key(slug)}`);
  }

  /** A workflow run waiting on this App's deployment protection rule for an environment. */
  addPendingProtectionRule(fullName: string, runId: number, environment: string): void {
    const id = `${key(fullName)}#${runId}`;
    const environments = this.pendingProtectionRules.get(id) ?? new Set<string>();
    environments.add(environment);
    this.pendingProtectionRules.set(id, environments);
  }

  isOrgMember(org: string, login: string): boolean {
    return this.orgMembers.get(key(org))?.has(key(login)) ?? false;
  }
}
