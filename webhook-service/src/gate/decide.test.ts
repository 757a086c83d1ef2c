import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { ChangeContext } from "../../../core/policy/context.ts";
import { evaluate } from "../../../core/policy/evaluate.ts";
import { parsePolicy } from "../../../core/policy/parse.ts";
import type { Policy } from "../../../core/policy/policy.ts";
import {
  decideGate,
  decisionCoversDigest,
  type GateFacts,
  type GateRequest,
  stackEnvironments,
} from "./decide.ts";

const ROOT = new URL("../../../", import.meta.url);
const POLICY_TEXT = readFileSync(new URL("change-control.yaml", ROOT), "utf8");

/**
 * The repository's policy, parsed inside each test (not memoized): parsed while the file loads, the parser's
 * mutants would be "static" to Stryker, which then reruns every related test file for each of them.
 */
function repositoryPolicy(): Policy {
  const parsed = parsePolicy(POLICY_TEXT, "change-control.yaml");
  if (!parsed.ok) throw new Error("the repository's change-control.yaml does not parse");
  return parsed.value;
}
const context = JSON.parse(
  readFileSync(new URL("docs/examples/policy/prod-approved.json", ROOT), "utf8"),
) as ChangeContext;
const DIGEST = "sha256:4b1d0c";
/** Tuesday 10:00 in Amsterdam: inside prod-business-hours. */
const TUESDAY = new Date("2026-06-02T08:00:00Z");
/** Friday 17:20 in Amsterdam: outside it. */
const FRIDAY_EVENING = new Date("2026-06-05T15:20:00Z");

function factsFor(
  ctx: ChangeContext = context,
  now = TUESDAY,
  overrides: Partial<GateFacts> = {},
): GateFacts {
  const policy = repositoryPolicy();
  return {
    change: {
      number: ctx.number ?? 0,
      headSha: ctx.headSha,
      author: ctx.author,
      lastPusher: ctx.lastPusher,
      decision: evaluate(policy, ctx, now),
    },
    uploadedDigest: DIGEST,
    policy,
    now,
    ...overrides,
  };
}

/** The value, or a failed test saying what was missing. */
function given<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`test setup: no ${what}`);
  return value;
}

const request: GateRequest = {
  repository: "sluice-dev/sluice",
  sha: context.headSha,
  stack: "prod-platform",
  digest: DIGEST,
  actor: "erin",
};

describe("decideGate", () => {
  it("allows a permitted applier to apply the approved plan of the approved head inside the window", () => {
    const verdict = decideGate(request, factsFor());
    expect(verdict.reasons.join("\n")).not.toContain("not");
    expect(verdict).toMatchObject({ allowed: true, pullRequest: 42 });
    expect(verdict.reasons).toContain("inside the change window");
  });

  it("refuses a commit that is not the approved head", () => {
    const verdict = decideGate({ ...request, sha: "f".repeat(40) }, factsFor());
    expect(verdict.allowed).toBe(false);
    expect(verdict.reasons).toContain("commit fffffff is not the approved head 9c1e2d4 of #42");
  });

  it("refuses a commit no pull request is known for", () => {
    const verdict = decideGate(request, { ...factsFor(), change: undefined });
    expect(verdict.allowed).toBe(false);
    expect(verdict.reasons[0]).toContain(
      "no pull request of sluice-dev/sluice has commit 9c1e2d4 as its head",
    );
  });

  it("accepts the merge commit of the approved pull request", () => {
    const facts = factsFor();
    const change = { ...given(facts.change, "change"), mergeCommitSha: "e".repeat(40) };
    expect(decideGate({ ...request, sha: "e".repeat(40) }, { ...facts, change }).allowed).toBe(true);
  });

  it("refuses a changed plan, naming both digests", () => {
    const verdict = decideGate({ ...request, digest: "sha256:changed" }, factsFor());
    expect(verdict.allowed).toBe(false);
    expect(verdict.reasons).toEqual([
      "the plan about to be applied (sha256:changed) is not the approved plan of stack prod-platform (sha256:4b1d0c)",
    ]);
  });

  it("refuses when no plan was uploaded for the stack, or the decision was made on another plan", () => {
    expect(decideGate(request, factsFor(context, TUESDAY, { uploadedDigest: undefined })).reasons).toEqual([
      "no plan of stack prod-platform was uploaded for 9c1e2d4",
    ]);
    const newer = decideGate(
      { ...request, digest: "sha256:newer" },
      factsFor(context, TUESDAY, { uploadedDigest: "sha256:newer" }),
    );
    expect(newer.reasons).toEqual([
      "the decision on #42 was not made on the uploaded plan of stack prod-platform",
    ]);
  });

  it("refuses outside the stack's change window, with the window in the reason", () => {
    const verdict = decideGate(request, factsFor(context, TUESDAY, { now: FRIDAY_EVENING }));
    expect(verdict.allowed).toBe(false);
    expect(verdict.reasons).toHaveLength(1);
    expect(
      verdict.reasons.some((r) =>
        r.startsWith("change window: Changes to prod may merge only in 'prod-business-hours'"),
      ),
    ).toBe(true);
  });

  it("refuses the author, an approver, a co-author and the last pusher, each with its reason", () => {
    expect(decideGate({ ...request, actor: "alice" }, factsFor()).reasons).toEqual([
      "@alice is the author of the pull request",
      "@alice authored or co-authored a commit of the pull request",
      "@alice pushed the head commit of the pull request",
    ]);
    expect(decideGate({ ...request, actor: "Bob" }, factsFor()).reasons).toEqual([
      "@Bob approved the pull request",
    ]);
    const coAuthored: ChangeContext = {
      ...context,
      commits: [
        {
          ...given(context.commits[0], "commit"),
          message: "Scale\n\nCo-authored-by: Erin <erin@example.com>",
        },
      ],
      emails: { "erin@example.com": "erin" },
    };
    expect(decideGate(request, factsFor(coAuthored)).reasons).toContain(
      "@erin authored or co-authored a commit of the pull request",
    );
    const pushedByPat = { ...context, lastPusher: "pat" };
    expect(decideGate({ ...request, actor: "pat" }, factsFor(pushedByPat)).reasons).toEqual([
      "@pat pushed the head commit of the pull request",
    ]);
    expect(decideGate({ ...request, actor: " " }, factsFor()).reasons).toEqual([
      "no applier given: an apply needs a named person",
    ]);
  });

  it("refuses a change that is not approved, with its summary", () => {
    const pending = { ...context, reviews: context.reviews.slice(0, 1) };
    const verdict = decideGate(request, factsFor(pending));
    expect(verdict.allowed).toBe(false);
    expect(verdict.reasons[0]).toMatch(/^#42 is pending, not approved: /);
  });

  it("gives every reason at once and fails closed without a policy", () => {
    const verdict = decideGate(
      { ...request, actor: "alice", digest: "sha256:other" },
      factsFor(context, FRIDAY_EVENING, { policy: undefined }),
    );
    expect(verdict.allowed).toBe(false);
    expect(verdict.reasons).toContain(
      "the policy in force could not be read, so the change window cannot be checked",
    );
    expect(verdict.reasons).toContain("@alice is the author of the pull request");
    expect(verdict.reasons.some((r) => r.startsWith("the plan about to be applied"))).toBe(true);
  });

  it("lets an accepted emergency override waive a closed window", () => {
    const emergency: ChangeContext = JSON.parse(
      readFileSync(new URL("docs/examples/policy/emergency-friday.json", ROOT), "utf8"),
    );
    const firstStack = given(emergency.plan?.stacks[0], "stack in the emergency example");
    const withLead: ChangeContext = {
      ...emergency,
      reviews: [
        ...emergency.reviews,
        {
          user: "erin",
          state: "APPROVED",
          commitId: emergency.headSha,
          submittedAt: "2026-06-05T15:10:00Z",
          planDigest: firstStack.facts.digest,
        },
      ],
    };
    const digest = firstStack.facts.digest;
    const stack = firstStack.name;
    const facts = factsFor(withLead, FRIDAY_EVENING, { uploadedDigest: digest });
    const verdict = decideGate({ ...request, sha: emergency.headSha, stack, digest, actor: "sam" }, facts);
    expect(facts.change?.decision.emergency?.accepted).toBe(true);
    expect(verdict.reasons.join("\n")).toContain("waived by the emergency override of @");
  });
});

describe("gate helpers", () => {
  it("maps a stack to its environments by the policy's stack globs, else to what the change touches", () => {
    const policy = repositoryPolicy();
    const decision = { environments: [{ name: "staging", because: [] }] };
    expect(stackEnvironments("prod-platform", policy, decision)).toEqual(["prod"]);
    expect(stackEnvironments("shared-dns", policy, decision)).toEqual(["staging"]);
  });

  it("reads single and multi-stack decision digests", () => {
    expect(decisionCoversDigest("sha256:a", "x", "sha256:a")).toBe(true);
    expect(decisionCoversDigest("a=sha256:1,b=sha256:2", "b", "sha256:2")).toBe(true);
    expect(decisionCoversDigest("a=sha256:1,b=sha256:2", "a", "sha256:2")).toBe(false);
    expect(decisionCoversDigest(undefined, "a", "sha256:1")).toBe(false);
  });
});

describe("decideGate for a whole environment (deployment protection rule)", () => {
  const deployment: GateRequest = {
    repository: "sluice-dev/sluice",
    sha: context.headSha,
    environment: "prod",
    actor: "erin",
  };

  it("allows an approved head with a current plan inside the environment's window", () => {
    expect(decideGate(deployment, factsFor(context, TUESDAY, { uploadedDigest: undefined })).allowed).toBe(
      true,
    );
  });

  it("refuses outside the environment's window and for the author", () => {
    const verdict = decideGate(
      { ...deployment, actor: "alice" },
      factsFor(context, TUESDAY, { now: FRIDAY_EVENING }),
    );
    expect(verdict.allowed).toBe(false);
    expect(verdict.reasons.some((r) => r.startsWith("change window: Changes to prod"))).toBe(true);
    expect(verdict.reasons).toContain("@alice is the author of the pull request");
  });

  it("takes the window of the environment asked for, not of the stacks", () => {
    expect(
      decideGate({ ...deployment, environment: "dev" }, factsFor(context, TUESDAY, { now: FRIDAY_EVENING }))
        .allowed,
    ).toBe(true);
  });
});

describe("decideGate and the caller's token", () => {
  it("refuses a request naming another applier than the workflow run's actor", () => {
    expect(decideGate({ ...request, actor: "erin", tokenActor: "alice" }, factsFor()).reasons).toEqual([
      "the request names @erin as the applier, but the workflow run is @alice's",
    ]);
    expect(decideGate({ ...request, actor: "erin", tokenActor: "Erin" }, factsFor()).allowed).toBe(true);
  });
});

describe("decideGate, what it checks and says", () => {
  it("lists every check an allowed apply passed", () => {
    expect(decideGate(request, factsFor()).reasons).toEqual([
      "#42 is approved by @bob, @dave",
      "the plan is the approved plan of stack prod-platform",
      "inside the change window",
      "@erin neither wrote nor approved the change",
    ]);
  });

  it("refuses a head the service has not evaluated yet, though the last decision was approved", () => {
    const facts = factsFor();
    const pushed = { ...given(facts.change, "change"), headSha: "a".repeat(40) };
    expect(decideGate({ ...request, sha: pushed.headSha }, { ...facts, change: pushed })).toEqual({
      allowed: false,
      reasons: ["#42 has not been evaluated at its head aaaaaaa yet"],
      pullRequest: 42,
    });
  });

  it("gives the state, the summary and the first thing to do of a change that is not approved", () => {
    const facts = factsFor({ ...context, reviews: context.reviews.slice(0, 1) });
    const decision = given(facts.change, "change").decision;
    const next = given(decision.unblock[0], "first step to unblock");
    expect(decideGate(request, facts).reasons).toEqual([
      `#42 is pending, not approved: ${decision.summary}; next: ${next}`,
    ]);
    const nothingToDo = { ...decision, state: "blocked" as const, unblock: [] };
    const change = { ...given(facts.change, "change"), decision: nothingToDo };
    expect(decideGate(request, { ...facts, change }).reasons).toEqual([
      `#42 is blocked, not approved: ${decision.summary}`,
    ]);
  });

  it("refuses a plan made for another commit, for a stack and for a whole environment", () => {
    const stale = factsFor({ ...context, plan: { ...given(context.plan, "plan"), commit: "0".repeat(40) } });
    expect(given(stale.change, "change").decision.plan).toMatchObject({ state: "stale", digest: DIGEST });
    expect(decideGate(request, stale).reasons).toContain(
      "the decision on #42 was not made on the uploaded plan of stack prod-platform",
    );
    const { stack: _stack, digest: _digest, ...environment } = request;
    expect(decideGate({ ...environment, environment: "prod" }, stale).reasons).toContain(
      "#42 has no current plan: the plan was made for 0000000, not for the head commit 9c1e2d4",
    );
  });

  it("refuses a request for a stack that names no plan digest", () => {
    const { digest: _digest, ...noDigest } = request;
    expect(decideGate(noDigest, factsFor()).reasons).toEqual([
      "the plan about to be applied (no digest) is not the approved plan of stack prod-platform (sha256:4b1d0c)",
    ]);
  });

  it("refuses during a freeze a change approved before it, inside the window", () => {
    const freezeTuesday = new Date("2026-12-22T09:00:00Z");
    const verdict = decideGate(request, factsFor(context, TUESDAY, { now: freezeTuesday }));
    expect(verdict).toEqual({
      allowed: false,
      reasons: [
        "change window: freeze 'year-end-2026' (2026-12-18 to 2027-01-04, Europe/Amsterdam) covers prod: Year-end freeze; on-call is thin.",
      ],
      pullRequest: 42,
    });
  });

  it("holds a request naming neither stack nor environment to the windows of what the change touches", () => {
    const facts = factsFor(context, TUESDAY, { now: FRIDAY_EVENING });
    const policy = given(facts.policy, "policy");
    const catchAll = { ...policy.environments, sandbox: { paths: [], stacks: ["*"], addresses: [] } };
    const { stack: _stack, digest: _digest, ...bare } = request;
    const verdict = decideGate(bare, { ...facts, policy: { ...policy, environments: catchAll } });
    expect(verdict.allowed).toBe(false);
    expect(verdict.reasons.some((r) => r.startsWith("change window: Changes to prod"))).toBe(true);
  });

  it("compares the applier trimmed and case-insensitively, and names them trimmed", () => {
    const pushedByPat = { ...context, lastPusher: "pat" };
    expect(decideGate({ ...request, actor: " Pat " }, factsFor(pushedByPat)).reasons).toEqual([
      "@Pat pushed the head commit of the pull request",
    ]);
    expect(decideGate({ ...request, actor: " erin ", tokenActor: "alice" }, factsFor()).reasons).toEqual([
      "the request names @erin as the applier, but the workflow run is @alice's",
    ]);
    expect(decideGate({ ...request, actor: " Erin ", tokenActor: "erin" }, factsFor()).allowed).toBe(true);
  });

  it("decides without knowing who pushed last", () => {
    const facts = factsFor();
    const change = { ...given(facts.change, "change"), lastPusher: undefined };
    expect(decideGate(request, { ...facts, change }).allowed).toBe(true);
  });
});
