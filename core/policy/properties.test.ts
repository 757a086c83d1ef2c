import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ChangeContext, Review } from "./context.ts";
import { evaluate } from "./evaluate.ts";
import { parsePolicy } from "./parse.ts";
import type { Policy } from "./policy.ts";
import { DIFF, DIGEST, fakeContext, HEAD, OLD, plan, TUESDAY_10 } from "./test/fake-context.ts";

const POLICY_TEXT = readFileSync(new URL("../../change-control.yaml", import.meta.url), "utf8");

/**
 * The repository's policy, parsed inside each test: parsed while the file loads, the parser's mutants would be
 * "static" to Stryker, which then runs every related test for each of them.
 */
function repositoryPolicy(): Policy {
  const parsed = parsePolicy(POLICY_TEXT, "change-control.yaml");
  if (!parsed.ok) throw new Error("change-control.yaml does not parse");
  return parsed.value;
}

const CODEOWNERS = "* @sluice-dev/platform\n/gitops/envs/prod/ @sluice-dev/sre\n";
const USERS = ["author", "AUTHOR", "alice", "bob", "Bob", "carol", "dave", "erin", "sam", "mallory"];
const FILES = [
  "modules/queue/queue.ts",
  "gitops/envs/prod/app.yaml",
  "environments/prod.ts",
  "change-control.yaml",
  "docs/readme.md",
];

const review: fc.Arbitrary<Review> = fc.record({
  user: fc.constantFrom(...USERS),
  state: fc.constantFrom("APPROVED", "APPROVED", "APPROVED", "CHANGES_REQUESTED", "DISMISSED", "COMMENTED"),
  commitId: fc.constantFrom(HEAD, OLD),
  submittedAt: fc
    .integer({ min: 0, max: 500 })
    .map((m) => new Date(Date.UTC(2026, 5, 1, 8, m)).toISOString()),
  planDigest: fc.constantFrom(DIGEST, "sha256:older"),
  diffDigest: fc.constantFrom(DIFF, "patch:older"),
});

const context: fc.Arbitrary<ChangeContext> = fc
  .record({
    reviews: fc.array(review, { maxLength: 12 }),
    files: fc.uniqueArray(fc.constantFrom(...FILES), { minLength: 1 }),
    coAuthor: fc.option(fc.constantFrom(...USERS), { nil: undefined }),
    lastPusher: fc.constantFrom("author", "sam", "alice"),
    labels: fc.subarray(["emergency", "risky"]),
    deletes: fc.boolean(),
  })
  .map((r) =>
    fakeContext({
      reviews: r.reviews,
      files: r.files.map((path) => ({ path, additions: 1, deletions: 1 })),
      lastPusher: r.lastPusher,
      labels: r.labels,
      codeowners: CODEOWNERS,
      commits: [
        {
          sha: HEAD,
          author: "author",
          message: r.coAuthor ? `x\n\nCo-authored-by: X <${r.coAuthor}@users.noreply.github.com>` : "x",
        },
      ],
      plan: plan(
        r.deletes ? [{ address: "aws_db_instance.db", type: "aws_db_instance", kind: "delete" }] : [],
        [],
        {
          stack: "prod-platform",
        },
      ),
    }),
  );

// Mutation runs set fewer (stryker/fast-check-seed.ts).
const RUNS = { numRuns: fc.readConfigureGlobal().numRuns ?? 300 };

describe("policy invariants (fast-check)", () => {
  it("the author's approval never counts", () => {
    const policy = repositoryPolicy();
    fc.assert(
      fc.property(context, (ctx) => {
        const d = evaluate(policy, ctx, TUESDAY_10);
        expect(d.approvers.map((a) => a.toLowerCase())).not.toContain("author");
        for (const rule of d.rules) expect(rule.counted.map((a) => a.toLowerCase())).not.toContain("author");
      }),
      RUNS,
    );
  });

  it("adding a valid approval never turns approved into blocked", () => {
    const policy = repositoryPolicy();
    fc.assert(
      fc.property(context, fc.constantFrom(...USERS), (ctx, user) => {
        const before = evaluate(policy, ctx, TUESDAY_10);
        const latest = {
          user,
          state: "APPROVED" as const,
          commitId: HEAD,
          submittedAt: "2026-06-02T07:00:00.000Z",
          planDigest: DIGEST,
          diffDigest: DIFF,
        };
        const after = evaluate(policy, { ...ctx, reviews: [...ctx.reviews, latest] }, TUESDAY_10);
        if (before.state === "approved") expect(after.state).toBe("approved");
        if (before.state !== "blocked") expect(after.state).not.toBe("blocked");
      }),
      RUNS,
    );
  });

  it("removing the plan never yields approved", () => {
    const policy = repositoryPolicy();
    fc.assert(
      fc.property(context, (ctx) => {
        const { plan: _plan, ...withoutPlan } = ctx;
        expect(evaluate(policy, withoutPlan, TUESDAY_10).state).not.toBe("approved");
      }),
      RUNS,
    );
  });

  it("the decision does not depend on the order of reviews", () => {
    const policy = repositoryPolicy();
    fc.assert(
      fc.property(
        context.chain((ctx) =>
          fc.tuple(
            fc.constant(ctx),
            fc.shuffledSubarray([...ctx.reviews], { minLength: ctx.reviews.length }),
          ),
        ),
        ([ctx, shuffled]) => {
          expect(evaluate(policy, { ...ctx, reviews: shuffled }, TUESDAY_10)).toEqual(
            evaluate(policy, ctx, TUESDAY_10),
          );
        },
      ),
      RUNS,
    );
  });

  it("some generated pull requests are approved, so the invariants are not vacuous", () => {
    const policy = repositoryPolicy();
    const states = new Set(
      fc.sample(context, { numRuns: 400, seed: 42 }).map((c) => evaluate(policy, c, TUESDAY_10).state),
    );
    expect([...states].sort()).toEqual(["approved", "blocked", "pending"]);
  });
});
