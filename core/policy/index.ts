export { type ApplierCheck, type ApplierVerdict, checkApplier } from "./applier.ts";
export type {
  ChangeContext,
  ChangedFile,
  ContextCommit,
  ContextPlan,
  OverrideRequest,
  Review,
} from "./context.ts";
export { planDigest } from "./context.ts";
export { parseContext } from "./context-schema.ts";
export type { Decision, DecisionState, RuleResult } from "./decision.ts";
export { evaluate } from "./evaluate.ts";
export { type ParseResult, parsePolicy } from "./parse.ts";
export type { Policy, PolicyRule, Requirement } from "./policy.ts";
export { renderJson, renderMarkdown } from "./render.ts";
export { formatSourceError, type SourceError } from "./source-errors.ts";
export { parseCoAuthors } from "./trailers.ts";
