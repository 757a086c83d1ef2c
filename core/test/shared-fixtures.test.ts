import { existsSync } from "node:fs";
import { describe, expect, it, vi } from "vitest";
import { missingFixtures, sharedFixturesDir } from "./shared-fixtures.ts";

describe("shared fixtures", () => {
  it("are looked for in ../shared/fixtures beside the repository", () => {
    expect(sharedFixturesDir("plans").pathname).toMatch(/\/shared\/fixtures\/plans\/$/);
    if (process.env.CI === "true") expect(existsSync(sharedFixturesDir("plans"))).toBe(true);
  });

  it("when missing, fail the stand-in test under CI", () => {
    const check = missingFixtures("/x/shared/fixtures/plans", "the corpus tests", { CI: "true" });
    expect(check).toThrow(
      "/x/shared/fixtures/plans is missing (a fork without ../shared?): the corpus tests did not run. CI=true: the shared fixtures must be present.",
    );
  });

  it("when missing outside CI, say so in the test output instead of skipping silently", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      missingFixtures("/x/shared/fixtures/plans", "the corpus tests", {})();
      expect(warn).toHaveBeenCalledWith(
        "NOT RUN: /x/shared/fixtures/plans is missing (a fork without ../shared?): the corpus tests did not run.",
      );
    } finally {
      warn.mockRestore();
    }
  });
});
