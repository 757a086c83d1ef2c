import { describe, expect, it } from "vitest";
import { webhookExample, webhookExamples } from "../../test/github-standin/index.ts";
import { isRelevant, route, sluiceCommand } from "./events.ts";

describe("event routing (real example deliveries)", () => {
  it("every pull_request action the issue names evaluates the pull request; others are ignored", () => {
    for (const action of [
      "opened",
      "synchronize",
      "reopened",
      "edited",
      "labeled",
      "unlabeled",
      "ready_for_review",
      "closed",
    ]) {
      expect(isRelevant("pull_request", action)).toBe(true);
    }
    expect(isRelevant("pull_request", "assigned")).toBe(false);
    expect(isRelevant("push", undefined)).toBe(false);
    const r = route("pull_request", "d1", webhookExample("pull_request", { action: "opened" }));
    expect(r.job).toMatchObject({ kind: "evaluate", key: "evaluate:Codertocat/Hello-World#2" });
    expect(r.job?.payload).toMatchObject({
      repository: "Codertocat/Hello-World",
      pullNumber: 2,
      installationId: 1,
      // Hints the evaluation checks against the pull request before using (base-branch reads start early).
      headSha: "ec26c3e57ca3a959ca5aad62de7213c562f8c821",
      baseRef: "master",
    });
  });

  it("reviews evaluate; check runs and suites re-requested evaluate their pull request, or look it up by SHA", () => {
    expect(
      route("pull_request_review", "d", webhookExample("pull_request_review", { action: "dismissed" })).job
        ?.kind,
    ).toBe("evaluate");
    const suite = webhookExample("check_suite", { action: "rerequested" });
    expect(isRelevant("check_suite", "rerequested")).toBe(true);
    expect(route("check_suite", "d", suite).job?.kind).toBe("evaluate");
    const run = webhookExample("check_run", { action: "rerequested" });
    const routed = route("check_run", "d", run);
    expect(routed.job).toMatchObject({
      kind: "evaluate-sha",
      payload: { headSha: (run.check_run as { head_sha: string }).head_sha },
    });
  });

  it("merge_group checks_requested is answered for the group's head", () => {
    const group = webhookExample("merge_group", { action: "checks_requested" });
    const r = route("merge_group", "d", group);
    expect(r.job).toMatchObject({
      kind: "merge-group",
      payload: { headSha: (group.merge_group as { head_sha: string }).head_sha },
    });
  });

  it("issue comments: /sluice commands on a pull request evaluate; other comments do nothing", () => {
    const comment = webhookExample("issue_comment", { action: "created" });
    expect(route("issue_comment", "d", comment).job).toBeUndefined();
    (comment.issue as { pull_request?: unknown }).pull_request = { url: "x" };
    (comment.comment as { body: string }).body = "Looks fine.\n/sluice recheck please";
    expect(route("issue_comment", "d", comment).job).toMatchObject({
      kind: "evaluate",
      payload: { command: "recheck" },
    });
    expect(sluiceCommand("/sluice explain")).toBe("explain");
    expect(sluiceCommand("please /sluice recheck")).toBeUndefined();
  });

  it("installation events become installation jobs", () => {
    for (const payload of [
      ...webhookExamples("installation"),
      ...webhookExamples("installation_repositories"),
    ]) {
      const event =
        "repositories_added" in payload || "repositories_removed" in payload
          ? "installation_repositories"
          : "installation";
      expect(route(event, "d", payload).job?.kind).toBe("installation");
    }
  });
});
