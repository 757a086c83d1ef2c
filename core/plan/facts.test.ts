import { describe, expect, it } from "vitest";
import { planDigest } from "./digest.ts";
import { planFacts } from "./facts.ts";
import { change, finding, reviewOf } from "./test/reviews.ts";

describe("planFacts", () => {
  it("gives every change's address, type, kind and actions, drift as address and type, and the findings", () => {
    const findings = [finding("high", "r", "aws_x.a")];
    const r = reviewOf({
      changes: [change("aws_x.a", { kind: "create", actions: ["create"] })],
      drift: [change("module.m.aws_y.d")],
      findings,
    });
    expect(planFacts(r, "d")).toEqual({
      digest: "d",
      changes: [{ address: "aws_x.a", type: "aws_x", kind: "create", actions: ["create"] }],
      findings,
      drift: [{ address: "module.m.aws_y.d", type: "aws_y" }],
      errored: false,
      complete: true,
    });
  });

  it("reports an unknown action list as a replace with unknownActions", () => {
    const r = reviewOf({ changes: [change("aws_x.a", { kind: "unknown", actions: ["warp"] })] });
    expect(planFacts(r, "d").changes).toEqual([
      { address: "aws_x.a", type: "aws_x", kind: "replace", actions: ["warp"], unknownActions: true },
    ]);
  });

  it("calls a plan errored when terraform says it errored or that it is incomplete", () => {
    const facts = (errored: boolean, complete: boolean) => {
      const f = planFacts(reviewOf({ errored, complete }), "d");
      return [f.errored, f.complete];
    };
    expect(facts(true, true)).toEqual([true, true]);
    expect(facts(false, false)).toEqual([true, false]);
    expect(facts(false, true)).toEqual([false, true]);
  });

  it("computes the digest when none is given", () => {
    const r = reviewOf({ changes: [change("aws_x.a")] });
    expect(planFacts(r).digest).toBe(planDigest(r));
  });
});
