import type { PlanFacts, RiskFinding } from "../../plan/findings.ts";
import type { ChangeContext, ContextPlan, Review } from "../context.ts";
import { parsePolicy } from "../parse.ts";
import type { Policy } from "../policy.ts";

export const HEAD = "1111111aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
export const OLD = "0000000bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
export const DIGEST = "sha256:plan-current";
/** The pull request's current diff digest (stable across a rebase). */
export const DIFF = "patch:current";
/** A Tuesday, 10:00 in Amsterdam (summer time). */
export const TUESDAY_10 = new Date("2026-06-02T08:00:00Z");

/** A pull request by @author touching one file, with a current plan and no reviews. */
export function fakeContext(overrides: Partial<ChangeContext> = {}): ChangeContext {
  return {
    repository: "sluice-dev/sluice",
    number: 7,
    author: "author",
    headSha: HEAD,
    baseBranch: "main",
    lastPusher: "author",
    labels: [],
    commits: [{ sha: HEAD, author: "author", committer: "author", message: "Change things" }],
    files: [{ path: "modules/queue/queue.ts", additions: 10, deletions: 2 }],
    reviews: [],
    organization: {
      login: "sluice-dev",
      members: ["author", "alice", "bob", "carol", "dave", "erin", "sam"],
    },
    teams: {
      "sluice-dev/platform": ["author", "alice"],
      "sluice-dev/security": ["bob", "carol"],
      "sluice-dev/sre": ["dave", "carol"],
      "sluice-dev/sre-leads": ["erin"],
    },
    plan: plan([]),
    diffDigest: DIFF,
    glossaryFindings: [],
    ...overrides,
  };
}

export function facts(
  changes: PlanFacts["changes"] = [],
  findings: readonly RiskFinding[] = [],
  digest = DIGEST,
): PlanFacts {
  return { digest, changes, findings, drift: [], errored: false };
}

export function plan(
  changes: PlanFacts["changes"],
  findings: readonly RiskFinding[] = [],
  options: { commit?: string; stack?: string; digest?: string } = {},
): ContextPlan {
  return {
    commit: options.commit ?? HEAD,
    stacks: [{ name: options.stack ?? "dev-platform", facts: facts(changes, findings, options.digest) }],
  };
}

let minute = 0;
/** An approval on the head commit, current plan and diff; each call is a minute later than the last. */
export function approve(user: string, options: Partial<Review> = {}): Review {
  minute++;
  return {
    user,
    state: "APPROVED",
    commitId: HEAD,
    submittedAt: new Date(Date.UTC(2026, 5, 1, 9, minute % 60, Math.floor(minute / 60) % 60)).toISOString(),
    planDigest: DIGEST,
    diffDigest: DIFF,
    ...options,
  };
}

export function at(iso: string): string {
  return new Date(iso).toISOString();
}

/** Parses a policy that must be valid. */
export function policy(yaml: string, file = "test-policy.yaml"): Policy {
  const r = parsePolicy(yaml, file);
  if (!r.ok) throw new Error(r.errors.map((e) => `${e.line}: ${e.path}: ${e.message}`).join("\n"));
  return r.value;
}

export const TEAMS = `
version: 1
teams:
  platform: sluice-dev/platform
  security: sluice-dev/security
  sre: sluice-dev/sre
  sre-leads: sluice-dev/sre-leads
environments:
  prod:
    paths: ["environments/prod.ts", "gitops/envs/prod/**"]
    stacks: ["prod-*"]
  dev:
    paths: ["gitops/envs/dev/**"]
`;

/** A policy of TEAMS plus the given rules (YAML list items, indented by two spaces). */
export function withRules(rules: string, extra = ""): Policy {
  return policy(`${TEAMS}${extra}\nrules:\n${rules}`);
}

/** One rule "one" that needs a single approval from anyone. */
export const ONE_APPROVAL = `  - name: one
    requires:
      approvals: { count: 1 }
`;
