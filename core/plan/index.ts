/** Terraform plan review: parse `terraform show -json`, review, render, digest, facts for the policy engine. */
export { actionLabel, classifyActions } from "./actions.ts";
export { parseAddress } from "./address.ts";
export { attributeDiff, type DiffEntry } from "./diff.ts";
export { planDigest } from "./digest.ts";
export { planFacts } from "./facts.ts";
export type { ChangeKind, PlanFacts, RiskFinding, Severity } from "./findings.ts";
export { PlanInputError, parsePlan } from "./parse.ts";
export { renderJson } from "./render/json.ts";
export { type MarkdownOptions, renderMarkdown } from "./render/markdown.ts";
export { renderText, type TextOptions } from "./render/text.ts";
export { countChanges, planSummary, reviewPlan, summaryLine } from "./review.ts";
export { maskSecrets } from "./secrets.ts";
export type * from "./types.ts";
export { ExactNumber, isMasked, type Masked, type PlanValue, SENSITIVE, UNKNOWN } from "./values.ts";
