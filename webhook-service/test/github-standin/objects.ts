import { createHash } from "node:crypto";
import type {
  CheckRun,
  Commit,
  ContentFile,
  DiffEntry,
  FullRepository,
  Installation,
  Integration,
  IssueComment,
  Label,
  PullRequest,
  PullRequestMinimal,
  PullRequestReview,
  PullRequestSimple,
  Repository,
  SimpleUser,
} from "./schemas.ts";
import type {
  GitHubState,
  InstallationRecord,
  PullRequestRecord,
  RepositoryRecord,
  SeedFile,
} from "./state.ts";

export interface AppInfo {
  readonly id: number;
  readonly slug: string;
  readonly name: string;
  readonly clientId: string;
  readonly owner: string;
  readonly createdAt: string;
}

/** Builds GitHub's full response objects from the stand-in's state; `api` is the stand-in's base URL. */
export class Objects {
  readonly html = "https://github.com";
  /** Users, repositories and the App do not change once seeded: build each once (the benchmark's hot path). */
  private readonly userCache = new Map<string, SimpleUser>();
  private readonly repoCache = new WeakMap<RepositoryRecord, Repository>();
  private integrationCache: { readonly count: number; readonly value: Integration } | undefined;

  constructor(
    readonly api: string,
    readonly state: GitHubState,
    readonly app: AppInfo,
  ) {}

  nodeId(kind: string, id: number | string): string {
    return Buffer.from(`0:${kind}${id}`).toString("base64");
  }

  user(login: string): SimpleUser {
    const u = this.state.user(login);
    const cached = this.userCache.get(u.login);
    if (cached && cached.id === u.id && cached.type === u.type) return cached;
    const built = this.buildUser(u);
    this.userCache.set(u.login, built);
    return built;
  }

  private buildUser(u: { login: string; id: number; type: string }): SimpleUser {
    const base = `${this.api}/users/${u.login}`;
    return {
      login: u.login,
      id: u.id,
      node_id: this.nodeId("User", u.id),
      avatar_url: `https://avatars.githubusercontent.com/u/${u.id}?v=4`,
      gravatar_id: "",
      url: base,
      html_url: `${this.html}/${u.login}`,
      followers_url: `${base}/followers`,
      following_url: `${base}/following{/other_user}`,
      gists_url: `${base}/gists{/gist_id}`,
      starred_url: `${base}/starred{/owner}{/repo}`,
      subscriptions_url: `${base}/subscriptions`,
      organizations_url: `${base}/orgs`,
      repos_url: `${base}/repos`,
      events_url: `${base}/events{/privacy}`,
      received_events_url: `${base}/received_events`,
      type: u.type,
      site_admin: false,
      user_view_type: "public",
    };
  }

  /** The App's bot user, author of its comments. */
  botLogin(): string {
    return `${this.app.slug}[bot]`;
  }

  integration(): Integration {
    const count = this.state.installations.size;
    if (this.integrationCache?.count !== count)
      this.integrationCache = { count, value: this.buildIntegration(count) };
    return this.integrationCache.value;
  }

  private buildIntegration(installationsCount: number): Integration {
    return {
      id: this.app.id,
      slug: this.app.slug,
      node_id: this.nodeId("Integration", this.app.id),
      client_id: this.app.clientId,
      owner: this.user(this.app.owner),
      name: this.app.name,
      description: "Change control for infrastructure pull requests",
      external_url: "https://sluice.example",
      html_url: `${this.html}/apps/${this.app.slug}`,
      created_at: this.app.createdAt,
      updated_at: this.app.createdAt,
      permissions: {
        checks: "write",
        contents: "read",
        issues: "write",
        pull_requests: "write",
        metadata: "read",
        members: "read",
        actions: "read",
        deployments: "write",
      },
      events: ["pull_request", "pull_request_review", "check_run", "deployment_protection_rule"],
      installations_count: installationsCount,
    };
  }

  installation(inst: InstallationRecord): Installation {
    const account = this.user(inst.account);
    return {
      id: inst.id,
      account,
      repository_selection: inst.repositorySelection,
      access_tokens_url: `${this.api}/app/installations/${inst.id}/access_tokens`,
      repositories_url: `${this.api}/installation/repositories`,
      html_url: `${this.html}/organizations/${inst.account}/settings/installations/${inst.id}`,
      app_id: this.app.id,
      client_id: this.app.clientId,
      target_id: Number(account.id),
      target_type: inst.accountType,
      permissions: inst.permissions,
      events: ["pull_request", "pull_request_review", "check_run", "deployment_protection_rule"],
      created_at: inst.createdAt,
      updated_at: inst.createdAt,
      single_file_name: null,
      has_multiple_single_files: false,
      single_file_paths: [],
      app_slug: this.app.slug,
      suspended_by: inst.suspended ? this.user(inst.account) : null,
      suspended_at: inst.suspended ? inst.createdAt : null,
    };
  }

  repository(repo: RepositoryRecord): Repository {
    let cached = this.repoCache.get(repo);
    if (!cached) {
      cached = this.buildRepository(repo);
      this.repoCache.set(repo, cached);
    }
    return cached;
  }

  private buildRepository(repo: RepositoryRecord): Repository {
    const api = `${this.api}/repos/${repo.fullName}`;
    const html = `${this.html}/${repo.fullName}`;
    return {
      id: repo.id,
      node_id: this.nodeId("Repository", repo.id),
      name: repo.name,
      full_name: repo.fullName,
      license: null,
      forks: 0,
      permissions: { admin: false, maintain: false, push: false, triage: false, pull: true },
      owner: this.user(repo.owner),
      private: repo.private,
      html_url: html,
      description: null,
      fork: false,
      url: api,
      archive_url: `${api}/{archive_format}{/ref}`,
      assignees_url: `${api}/assignees{/user}`,
      blobs_url: `${api}/git/blobs{/sha}`,
      branches_url: `${api}/branches{/branch}`,
      collaborators_url: `${api}/collaborators{/collaborator}`,
      comments_url: `${api}/comments{/number}`,
      commits_url: `${api}/commits{/sha}`,
      compare_url: `${api}/compare/{base}...{head}`,
      contents_url: `${api}/contents/{+path}`,
      contributors_url: `${api}/contributors`,
      deployments_url: `${api}/deployments`,
      downloads_url: `${api}/downloads`,
      events_url: `${api}/events`,
      forks_url: `${api}/forks`,
      git_commits_url: `${api}/git/commits{/sha}`,
      git_refs_url: `${api}/git/refs{/sha}`,
      git_tags_url: `${api}/git/tags{/sha}`,
      git_url: `git://github.com/${repo.fullName}.git`,
      issue_comment_url: `${api}/issues/comments{/number}`,
      issue_events_url: `${api}/issues/events{/number}`,
      issues_url: `${api}/issues{/number}`,
      keys_url: `${api}/keys{/key_id}`,
      labels_url: `${api}/labels{/name}`,
      languages_url: `${api}/languages`,
      merges_url: `${api}/merges`,
      milestones_url: `${api}/milestones{/number}`,
      notifications_url: `${api}/notifications{?since,all,participating}`,
      pulls_url: `${api}/pulls{/number}`,
      releases_url: `${api}/releases{/id}`,
      ssh_url: `git@github.com:${repo.fullName}.git`,
      stargazers_url: `${api}/stargazers`,
      statuses_url: `${api}/statuses/{sha}`,
      subscribers_url: `${api}/subscribers`,
      subscription_url: `${api}/subscription`,
      tags_url: `${api}/tags`,
      teams_url: `${api}/teams`,
      trees_url: `${api}/git/trees{/sha}`,
      clone_url: `${html}.git`,
      mirror_url: null,
      hooks_url: `${api}/hooks`,
      svn_url: html,
      homepage: null,
      language: "TypeScript",
      forks_count: 0,
      stargazers_count: 0,
      watchers_count: 0,
      size: 0,
      default_branch: repo.defaultBranch,
      open_issues_count: 0,
      is_template: false,
      topics: [],
      has_issues: true,
      has_projects: false,
      has_wiki: false,
      has_pages: false,
      has_downloads: true,
      has_discussions: false,
      archived: false,
      disabled: false,
      visibility: repo.private ? "private" : "public",
      pushed_at: repo.createdAt,
      created_at: repo.createdAt,
      updated_at: repo.createdAt,
      allow_forking: false,
      web_commit_signoff_required: false,
      open_issues: 0,
      watchers: 0,
    };
  }

  fullRepository(repo: RepositoryRecord): FullRepository {
    const { pushed_at, created_at, updated_at, ...rest } = this.repository(repo);
    return {
      ...rest,
      has_discussions: false,
      pushed_at: pushed_at ?? repo.createdAt,
      created_at: created_at ?? repo.createdAt,
      updated_at: updated_at ?? repo.createdAt,
      subscribers_count: 0,
      network_count: 0,
    };
  }

  label(name: string): Label {
    const id = Number.parseInt(sha1(`label:${name}`).slice(0, 8), 16);
    return {
      id,
      node_id: this.nodeId("Label", id),
      url: `${this.api}/labels/${encodeURIComponent(name)}`,
      name,
      description: null,
      color: sha1(name).slice(0, 6),
      default: false,
    };
  }

  private pullCommon(pr: PullRequestRecord) {
    const repo = this.requireRepo(pr.repo);
    const headRepo = this.state.repository(pr.head.repo) ?? repo;
    const api = `${this.api}/repos/${repo.fullName}`;
    const self = `${api}/pulls/${pr.number}`;
    const html = `${this.html}/${repo.fullName}/pull/${pr.number}`;
    const link = (href: string) => ({ href });
    return {
      url: self,
      id: pr.id,
      node_id: this.nodeId("PullRequest", pr.id),
      html_url: html,
      diff_url: `${html}.diff`,
      patch_url: `${html}.patch`,
      issue_url: `${api}/issues/${pr.number}`,
      commits_url: `${self}/commits`,
      review_comments_url: `${self}/comments`,
      review_comment_url: `${api}/pulls/comments{/number}`,
      comments_url: `${api}/issues/${pr.number}/comments`,
      statuses_url: `${api}/statuses/${pr.head.sha}`,
      number: pr.number,
      state: pr.state,
      locked: false,
      title: pr.title,
      user: this.user(pr.user),
      body: pr.body,
      milestone: null,
      active_lock_reason: null,
      created_at: pr.createdAt,
      updated_at: pr.updatedAt,
      closed_at: pr.state === "closed" ? pr.updatedAt : null,
      merged_at: pr.merged ? pr.updatedAt : null,
      merge_commit_sha: null,
      assignee: null,
      assignees: [],
      requested_reviewers: [],
      requested_teams: [],
      head: {
        label: `${headRepo.owner}:${pr.head.ref}`,
        ref: pr.head.ref,
        repo: this.repository(headRepo),
        sha: pr.head.sha,
        user: this.user(headRepo.owner),
      },
      base: {
        label: `${repo.owner}:${pr.base.ref}`,
        ref: pr.base.ref,
        repo: this.repository(repo),
        sha: pr.base.sha,
        user: this.user(repo.owner),
      },
      _links: {
        comments: link(`${api}/issues/${pr.number}/comments`),
        commits: link(`${self}/commits`),
        statuses: link(`${api}/statuses/${pr.head.sha}`),
        html: link(html),
        issue: link(`${api}/issues/${pr.number}`),
        review_comments: link(`${self}/comments`),
        review_comment: link(`${api}/pulls/comments{/number}`),
        self: link(self),
      },
      author_association: pr.authorAssociation as PullRequest["author_association"],
      auto_merge: null,
      draft: pr.draft,
    };
  }

  pullRequest(pr: PullRequestRecord): PullRequest {
    const additions = pr.files.reduce((sum, f) => sum + (f.additions ?? 0), 0);
    const deletions = pr.files.reduce((sum, f) => sum + (f.deletions ?? 0), 0);
    return {
      ...this.pullCommon(pr),
      labels: pr.labels.map((name) => this.label(name)),
      merged: pr.merged,
      mergeable: pr.state === "open" ? true : null,
      rebaseable: pr.state === "open" ? true : null,
      mergeable_state: pr.state === "open" ? "clean" : "unknown",
      merged_by: null,
      comments: this.state.commentsOn(pr.repo, pr.number).length,
      review_comments: 0,
      maintainer_can_modify: false,
      commits: pr.commits.length,
      additions,
      deletions,
      changed_files: pr.files.length,
    };
  }

  pullRequestSimple(pr: PullRequestRecord): PullRequestSimple {
    return {
      ...this.pullCommon(pr),
      labels: pr.labels.map((name) => ({ ...this.label(name), description: "" })),
      requested_teams: [],
    };
  }

  pullRequestMinimal(pr: PullRequestRecord): PullRequestMinimal {
    const repo = this.requireRepo(pr.repo);
    const headRepo = this.state.repository(pr.head.repo) ?? repo;
    const mini = (r: RepositoryRecord) => ({
      id: r.id,
      url: `${this.api}/repos/${r.fullName}`,
      name: r.name,
    });
    return {
      id: pr.id,
      number: pr.number,
      url: `${this.api}/repos/${repo.fullName}/pulls/${pr.number}`,
      head: { ref: pr.head.ref, sha: pr.head.sha, repo: mini(headRepo) },
      base: { ref: pr.base.ref, sha: pr.base.sha, repo: mini(repo) },
    };
  }

  diffEntry(repo: string, ref: string, file: SeedFile): DiffEntry {
    const additions = file.additions ?? 0;
    const deletions = file.deletions ?? 0;
    const path = file.filename.split("/").map(encodeURIComponent).join("/");
    const entry: DiffEntry = {
      sha: file.status === "removed" ? null : sha1(`blob:${repo}:${ref}:${file.filename}`),
      filename: file.filename,
      status: file.status ?? "modified",
      additions,
      deletions,
      changes: file.changes ?? additions + deletions,
      blob_url: `${this.html}/${repo}/blob/${ref}/${path}`,
      raw_url: `${this.html}/${repo}/raw/${ref}/${path}`,
      contents_url: `${this.api}/repos/${repo}/contents/${path}?ref=${ref}`,
    };
    if (file.patch !== undefined) entry.patch = file.patch;
    if (file.previousFilename !== undefined) entry.previous_filename = file.previousFilename;
    return entry;
  }

  commit(repo: string, c: PullRequestRecord["commits"][number]): Commit {
    const api = `${this.api}/repos/${repo}`;
    const date = c.date ?? new Date(0).toISOString();
    const gitUser = (
      name: string | undefined,
      email: string | undefined,
      login: string | null | undefined,
    ) => ({
      name: name ?? login ?? "Unknown",
      email: email ?? (login ? `${login}@users.noreply.github.com` : "unknown@example.invalid"),
      date,
    });
    return {
      url: `${api}/commits/${c.sha}`,
      sha: c.sha,
      node_id: this.nodeId("Commit", c.sha),
      html_url: `${this.html}/${repo}/commit/${c.sha}`,
      comments_url: `${api}/commits/${c.sha}/comments`,
      commit: {
        url: `${api}/git/commits/${c.sha}`,
        author: gitUser(c.authorName, c.authorEmail, c.author),
        committer: gitUser(
          c.committerName ?? c.authorName,
          c.committerEmail ?? c.authorEmail,
          c.committer ?? c.author,
        ),
        message: c.message,
        comment_count: 0,
        tree: { sha: sha1(`tree:${c.sha}`), url: `${api}/git/trees/${sha1(`tree:${c.sha}`)}` },
        verification: {
          verified: false,
          reason: "unsigned",
          signature: null,
          payload: null,
          verified_at: null,
        },
      },
      author: c.author ? this.user(c.author) : null,
      committer: (c.committer ?? c.author) ? this.user((c.committer ?? c.author) as string) : null,
      parents: (c.parents ?? []).map((sha) => ({
        sha,
        url: `${api}/commits/${sha}`,
        html_url: `${this.html}/${repo}/commit/${sha}`,
      })),
    };
  }

  review(pr: PullRequestRecord, r: PullRequestRecord["reviews"][number]): PullRequestReview {
    const html = `${this.html}/${pr.repo}/pull/${pr.number}#pullrequestreview-${r.id}`;
    const prUrl = `${this.api}/repos/${pr.repo}/pulls/${pr.number}`;
    return {
      id: r.id,
      node_id: this.nodeId("PullRequestReview", r.id),
      user: this.user(r.user),
      body: r.body,
      state: r.state,
      html_url: html,
      pull_request_url: prUrl,
      _links: { html: { href: html }, pull_request: { href: prUrl } },
      ...(r.state === "PENDING" ? {} : { submitted_at: r.submittedAt }),
      commit_id: r.commitId,
      author_association: "MEMBER",
    };
  }

  issueComment(repo: string, issueNumber: number, id: number, body: string, at: string): IssueComment {
    const api = `${this.api}/repos/${repo}`;
    return {
      id,
      node_id: this.nodeId("IssueComment", id),
      url: `${api}/issues/comments/${id}`,
      body,
      html_url: `${this.html}/${repo}/pull/${issueNumber}#issuecomment-${id}`,
      user: { ...this.user(this.botLogin()), type: "Bot" },
      created_at: at,
      updated_at: at,
      issue_url: `${api}/issues/${issueNumber}`,
      author_association: "NONE",
      performed_via_github_app: this.integration(),
      reactions: {
        url: `${api}/issues/comments/${id}/reactions`,
        total_count: 0,
        "+1": 0,
        "-1": 0,
        laugh: 0,
        confused: 0,
        heart: 0,
        hooray: 0,
        eyes: 0,
        rocket: 0,
      },
    };
  }

  contentFile(repo: string, ref: string, path: string, bytes: Buffer): ContentFile {
    const name = path.split("/").at(-1) ?? path;
    const sha = gitBlobSha(bytes);
    const self = `${this.api}/repos/${repo}/contents/${path}?ref=${ref}`;
    const html = `${this.html}/${repo}/blob/${ref}/${path}`;
    const git = `${this.api}/repos/${repo}/git/blobs/${sha}`;
    const tooLarge = bytes.length > MAX_INLINE_CONTENT_BYTES;
    return {
      type: "file",
      // Over 1 MiB GitHub sends no content (encoding "none"); the raw media type would be needed.
      encoding: tooLarge ? "none" : "base64",
      size: bytes.length,
      name,
      path,
      // GitHub wraps the base64 text at 60 characters per line.
      content: tooLarge ? "" : `${(bytes.toString("base64").match(/.{1,60}/g) ?? []).join("\n")}\n`,
      sha,
      url: self,
      git_url: git,
      html_url: html,
      download_url: `https://raw.githubusercontent.com/${repo}/${ref}/${path}`,
      _links: { self, git, html },
    };
  }

  checkRun(
    repo: RepositoryRecord,
    id: number,
    fields: {
      name: string;
      head_sha: string;
      status: CheckRun["status"];
      conclusion: CheckRun["conclusion"];
      started_at: string | null;
      completed_at: string | null;
      external_id: string | null;
      details_url: string | null;
      output: {
        title: string | null;
        summary: string | null;
        text: string | null;
        annotations_count: number;
      };
      check_suite_id: number;
    },
  ): CheckRun {
    const api = `${this.api}/repos/${repo.fullName}`;
    const pulls = this.state.openPullsWithHead(repo.fullName, fields.head_sha);
    return {
      id,
      head_sha: fields.head_sha,
      node_id: this.nodeId("CheckRun", id),
      external_id: fields.external_id,
      url: `${api}/check-runs/${id}`,
      html_url: `${this.html}/${repo.fullName}/runs/${id}`,
      // Without one, GitHub links the App's homepage.
      details_url: fields.details_url ?? this.integration().external_url,
      status: fields.status,
      conclusion: fields.conclusion,
      started_at: fields.started_at,
      completed_at: fields.completed_at,
      output: { ...fields.output, annotations_url: `${api}/check-runs/${id}/annotations` },
      name: fields.name,
      check_suite: { id: fields.check_suite_id },
      app: this.integration(),
      pull_requests: pulls.map((pr) => this.pullRequestMinimal(pr)),
    };
  }

  private requireRepo(fullName: string): RepositoryRecord {
    const repo = this.state.repository(fullName);
    if (!repo) throw new Error(`unknown repository ${fullName}`);
    return repo;
  }
}

/** The contents API inlines files up to 1 MiB. */
export const MAX_INLINE_CONTENT_BYTES = 1024 * 1024;

export function sha1(text: string): string {
  return createHash("sha1").update(text).digest("hex");
}

/** The sha git (and GitHub's contents API) gives a blob. */
export function gitBlobSha(bytes: Buffer): string {
  return createHash("sha1").update(`blob ${bytes.length}\0`).update(bytes).digest("hex");
}
