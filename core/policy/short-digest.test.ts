import { describe, expect, it } from "vitest";
import { shortDigest } from "./short-digest.ts";

const hex = "9f2c41d0a7b3e5c6d8f90123456789abcdef0123456789abcdef0123456789ab";

describe("shortDigest", () => {
  it("keeps the algorithm and 12 hash characters of a plan-review digest", () => {
    expect(shortDigest(`sha512-256:${hex}`)).toBe("sha512-256:9f2c41d0a7b3");
  });

  it("shortens each stack's digest of a multi-stack digest and keeps the stack names", () => {
    expect(shortDigest(`dev-network=sha512-256:${hex},prod-platform=sha512-256:0123456789abcdef`)).toBe(
      "dev-network=sha512-256:9f2c41d0a7b3, prod-platform=sha512-256:0123456789ab",
    );
  });

  it("cuts a digest without an algorithm (a git patch-id) at 12 characters", () => {
    expect(shortDigest("4b1d0c7e9a2f3b5d6c8e0f1a")).toBe("4b1d0c7e9a2f");
  });

  it("keeps each stack's name in front of a digest without an algorithm", () => {
    expect(shortDigest("dev-network=4b1d0c7e9a2f3b5d6c8e0f1a,b=0123456789abcdef")).toBe(
      "dev-network=4b1d0c7e9a2f, b=0123456789ab",
    );
  });

  it("keeps an algorithm of any length whole, however short", () => {
    expect(shortDigest(`x:${hex}`)).toBe("x:9f2c41d0a7b3");
    expect(shortDigest(`:${hex}`)).toBe(":9f2c41d0a7b3");
  });
});
