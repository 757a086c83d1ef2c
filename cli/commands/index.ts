import type { Command } from "../command.ts";

/**
 * A subcommand as the command list knows it before loading it: its module is imported only when it runs,
 * so a broken file one command needs (say an environment with a syntax error) cannot break the others.
 */
export interface CommandEntry {
  /** Words that select the command; the same as the loaded command's path. */
  readonly path: readonly string[];
  /** One line for the command list; the same as the loaded command's summary. */
  readonly summary: string;
  readonly load: () => Promise<Command>;
}

/** Every subcommand `sluice` offers; `sluice --help` lists them in this order. */
export const commands: readonly CommandEntry[] = [
  {
    path: ["apply", "report"],
    summary:
      "Tell the change-control service how a gated apply ended (the 'applied' step of the audit trail)",
    load: async () => (await import("./apply-report.ts")).applyReport,
  },
  {
    path: ["audit", "export"],
    summary: "Write the service's audit log as JSON lines (for a SIEM)",
    load: async () => (await import("./audit.ts")).auditExport,
  },
  {
    path: ["audit", "verify"],
    summary: "Walk the service's hash-chained audit log and name the first edited, inserted or deleted row",
    load: async () => (await import("./audit.ts")).auditVerify,
  },
  {
    path: ["cost", "diff"],
    summary: "Monthly cost before and after each change of a plan (terraform show -json), and the delta",
    load: async () => (await import("./cost.ts")).costDiff,
  },
  {
    path: ["cost", "estimate"],
    summary:
      "Monthly cost of each environment from the synthesized stacks, with right-sizing findings (offline)",
    load: async () => (await import("./cost.ts")).costEstimate,
  },
  {
    path: ["env", "check"],
    summary: "Validate the environments in environments/",
    load: async () => (await import("./env.ts")).envCheck,
  },
  {
    path: ["gate"],
    summary: "Ask the change-control service whether this plan of this stack may be applied now",
    load: async () => (await import("./gate.ts")).gate,
  },
  {
    path: ["glossary", "check"],
    summary: "Check names in Terraform JSON, plans, YAML and docs against glossary.md",
    load: async () => (await import("./glossary-check.ts")).glossaryCheck,
  },
  {
    path: ["notify"],
    summary: "Post a pipeline stage (plan ready, approved, applied, deployed, failed) to the chat webhook",
    load: async () => (await import("./notify.ts")).notify,
  },
  {
    path: ["plan", "review"],
    summary: "Review a Terraform plan (terraform show -json): counts, risks, masked diffs",
    load: async () => (await import("./plan-review.ts")).planReview,
  },
  {
    path: ["plan", "upload"],
    summary: "Upload a stack's plan (terraform show -json) to the change-control service for review",
    load: async () => (await import("./plan-upload.ts")).planUpload,
  },
  {
    path: ["policy", "eval"],
    summary: "Decide a pull request (described as JSON) against change-control.yaml, with what-if approvals",
    load: async () => (await import("./policy-eval.ts")).policyEval,
  },
  {
    path: ["promote"],
    summary:
      "Move a service's image digest from one environment's gitops values to the next, print the diff (--pr opens the pull request)",
    load: async () => (await import("./promote.ts")).promoteCommand,
  },
  {
    path: ["rules", "check"],
    summary: "Run the secure-default rule set over synthesized stacks",
    load: async () => (await import("./rules.ts")).rulesCheck,
  },
  {
    path: ["rules", "list"],
    summary: "List the secure-default rules",
    load: async () => (await import("./rules.ts")).rulesList,
  },
  {
    path: ["tenant", "add"],
    summary: "Onboard a tenant: add it to an environment's config and its gitops/ values (one pull request)",
    load: async () => (await import("./tenant.ts")).tenantAdd,
  },
  {
    path: ["version"],
    summary: "Print the Sluice version",
    load: async () => (await import("./version.ts")).version,
  },
];
