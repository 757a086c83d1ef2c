import type { components } from "@octokit/openapi-types";

/** GitHub's response shapes, from the REST API description, so the stand-in cannot drift from them silently. */
type Schemas = components["schemas"];

export type SimpleUser = Schemas["simple-user"];
export type Repository = Schemas["repository"];
export type FullRepository = Schemas["full-repository"];
export type Integration = NonNullable<Schemas["integration"]>;
export type Installation = Schemas["installation"];
export type InstallationToken = Schemas["installation-token"];
export type PullRequest = Schemas["pull-request"];
export type PullRequestSimple = Schemas["pull-request-simple"];
export type PullRequestMinimal = Schemas["pull-request-minimal"];
export type DiffEntry = Schemas["diff-entry"];
export type Commit = Schemas["commit"];
export type PullRequestReview = Schemas["pull-request-review"];
export type IssueComment = Schemas["issue-comment"];
export type ContentFile = Schemas["content-file"];
export type ContentDirectory = Schemas["content-directory"];
export type CheckRun = Schemas["check-run"];
export type TeamMembership = Schemas["team-membership"];
export type BasicError = Schemas["basic-error"];
export type ValidationError = Schemas["validation-error"];
export type AppPermissions = Schemas["app-permissions"];
export type GitRef = Schemas["git-ref"];
export type FileCommit = Schemas["file-commit"];
export type Label = PullRequest["labels"][number];
