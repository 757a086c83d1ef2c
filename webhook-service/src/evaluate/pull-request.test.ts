import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parsePlan, planFacts, planDigest as reviewDigest, reviewPlan } from "../../../core/plan/index.ts";
import { webhookExample } from "../../test/github-standin/index.ts";
import { type Harness, idle, openedPullRequest, startHarness, waitFor } from "../../test/harness.ts";
import { BASIC_PLAN, sharedPlan } from "../../test/plans.ts";
import { CHECK_NAME, COMMENT_MARKER } from "../github/outputs.ts";
import { savePlanReview } from "../plans/store.ts";

const writes = (h: Harness) =>
  h.gh.calls
    .filter((c) => c.method !== "GET" && !c.path.startsWith("/app/"))
    .map((c) => `${c.method} ${c.path}`);

describe("a pull request end to end (PGlite, stand-in GitHub)", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it("pull_request.opened gives one check run and one comment, pending: no plan", async () => {
    const payload = openedPullRequest(h.gh);
    const repo = (payload.repository as { full_name: string }).full_name;
    const pr = payload.pull_request as { number: number; head: { sha: string } };
    const res = await h.deliver("pull_request", payload);
    expect(res.status).toBe(202);
    expect(res.json).toMatchObject({ status: "accepted" });
    const run = await waitFor("a completed check run", () =>
      h.gh.checkRuns(repo, pr.head.sha).find((r) => r.status === "completed"),
    );
    await idle(h.running);
    expect(h.gh.checkRuns(repo, pr.head.sha)).toHaveLength(1);
    expect(run.name).toBe(CHECK_NAME);
    expect(run.conclusion).toBe("action_required");
    expect(run.output.title).toBe("pending: no plan");
    const comments = h.gh.comments(repo, pr.number);
    expect(comments).toHaveLength(1);
    expect(comments[0]?.body).toContain(COMMENT_MARKER);
    expect(comments[0]?.body).toContain("No plan uploaded");
    // in_progress first, then completed
    const checkWrites = h.gh.calls.filter((c) => c.path.includes("/check-runs") && c.method !== "GET");
    expect((checkWrites[0]?.body as { status?: string } | undefined)?.status).toBe("in_progress");
    expect((checkWrites.at(-1)?.body as { status?: string } | undefined)?.status).toBe("completed");

    // Redelivering the same delivery changes nothing.
    const before = writes(h).length;
    const again = await h.deliver("pull_request", payload, res.delivery.id);
    expect(again.status).toBe(200);
    expect(again.json).toMatchObject({ status: "duplicate" });
    await new Promise((r) => setTimeout(r, 300));
    await idle(h.running);
    expect(writes(h).length).toBe(before);
  });

  it("reads the policy from the base branch GitHub names now, not the one a delivery named", async () => {
    const payload = openedPullRequest(h.gh, { number: 4242, headSha: "4".repeat(40) });
    const repo = (payload.repository as { full_name: string }).full_name;
    const pr = payload.pull_request as { number: number; head: { sha: string }; base: { ref: string } };
    const realBase = pr.base.ref;
    // The delivery says "stale-base" (say it was retargeted since); that branch's policy must not be used.
    h.gh.state.setContent(repo, "stale-base", "change-control.yaml", "version: 1\nrules: []\n");
    pr.base.ref = "stale-base";
    expect((await h.deliver("pull_request", payload)).status).toBe(202);
    const run = await waitFor("a completed check run", () =>
      h.gh.checkRuns(repo, pr.head.sha).find((r) => r.status === "completed"),
    );
    await idle(h.running);
    expect(run.conclusion).toBe("action_required");
    expect(run.output.title).toBe("pending: no plan");
    const policyReads = h.gh.callsTo("GET", /\/contents\/change-control\.yaml/).map((c) => c.query.ref);
    expect(policyReads).toContain(realBase);
  });

  it("the author's own approval does not approve; a reviewer's approval on the head with a fresh plan does", async () => {
    const opened = webhookExample("pull_request", { action: "opened" });
    const repo = (opened.repository as { full_name: string }).full_name;
    const pr = opened.pull_request as { number: number; head: { sha: string }; user: { login: string } };
    const plan = reviewPlan(parsePlan(sharedPlan(BASIC_PLAN)));
    const digest = reviewDigest(plan);
    await savePlanReview(h.running.service.db, {
      repository: repo,
      headSha: pr.head.sha,
      stack: "dev-platform",
      planDigest: digest,
      facts: planFacts(plan, digest),
      review: { digest },
      findings: plan.findings,
    });

    const review = (user: string, id: number) => {
      const p = webhookExample("pull_request_review", { action: "submitted" });
      const r = p.review as { user: { login: string }; state: string; id: number; commit_id: string };
      r.user.login = user;
      r.state = "approved";
      r.id = id;
      r.commit_id = pr.head.sha;
      h.gh.state.addReview(repo, pr.number, { id, user, state: "APPROVED", commitId: pr.head.sha });
      return p;
    };
    const evaluations = () =>
      h.gh
        .callsTo("PATCH", /\/check-runs\/\d+$/)
        .filter((c) => (c.body as { status?: string }).status === "completed").length;

    let n = evaluations();
    expect((await h.deliver("pull_request_review", review(pr.user.login, 7001))).status).toBe(202);
    await waitFor("re-evaluation", () => evaluations() > n);
    await idle(h.running);
    let run = h.gh.checkRuns(repo, pr.head.sha)[0];
    expect(run?.conclusion).toBe("action_required");
    expect(run?.output.summary).toMatch(/does not count/);

    n = evaluations();
    expect((await h.deliver("pull_request_review", review("octocat", 7002))).status).toBe(202);
    await waitFor("re-evaluation", () => evaluations() > n);
    await idle(h.running);
    run = h.gh.checkRuns(repo, pr.head.sha)[0];
    expect(h.gh.checkRuns(repo, pr.head.sha)).toHaveLength(1);
    expect(run?.conclusion).toBe("success");
    expect(h.gh.comments(repo, pr.number)).toHaveLength(1);
    expect(h.gh.comments(repo, pr.number)[0]?.body).toMatch(/approved/);
  });
});
