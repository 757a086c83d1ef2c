export { JWT_MESSAGES, signAppJwt, verifyAppJwt } from "./app-jwt.ts";
export type { Fault, FaultRule } from "./faults.ts";
export { MAX_INLINE_CONTENT_BYTES } from "./objects.ts";
export { MAX_ANNOTATIONS_PER_REQUEST, MAX_OUTPUT_CHARS } from "./routes-checks.ts";
export { MAX_COMMENT_CHARS } from "./routes-issues.ts";
export { MAX_PULL_COMMITS, MAX_PULL_FILES } from "./routes-repos.ts";
export type * from "./schemas.ts";
export {
  type PullRequestPayload,
  type PullRequestReviewPayload,
  type SeedFromPayloadOptions,
  seedFromPullRequestEvent,
  seedFromPullRequestReviewEvent,
} from "./seed-webhooks.ts";
export {
  type GitHubStandIn,
  type GitHubStandInOptions,
  type RecordedCall,
  startGitHubStandIn,
} from "./server.ts";
export * from "./state.ts";
export { type ExamplePayload, webhookExample, webhookExamples } from "./webhook-examples.ts";
