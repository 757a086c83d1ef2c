import { describe, expect, it } from "vitest";
import { sortReviews } from "./approvals.ts";
import type { Review } from "./context.ts";
import { HEAD } from "./test/fake-context.ts";

describe("review order", () => {
  it("is total: reviews that differ only in their diff digest sort the same whatever the input order", () => {
    const base: Review = {
      user: "bob",
      state: "APPROVED",
      commitId: HEAD,
      submittedAt: "2026-06-01T12:09:00Z",
      planDigest: "p",
    };
    const a = { ...base, diffDigest: "patch:older" };
    const b = { ...base, diffDigest: "patch:current" };
    expect(sortReviews([a, b])).toEqual(sortReviews([b, a]));
  });
});
