import picomatch from "picomatch";
import { afterEach, describe, expect, it, vi } from "vitest";
import { compileGlobs, type GlobMatcher, leadingLiteral, requiredLiterals, withLiterals } from "./globs.ts";

// The literal pre-checks (see globs.ts) must give picomatch's answer (codeowners.test.ts checks that on random
// globs) and must spare the regular expression the strings they turn away: that is what they are for.

afterEach(() => {
  vi.restoreAllMocks();
});

/** How many times matching `value` runs a regular expression. */
function regexRuns(match: GlobMatcher, value: string): { matched: boolean; runs: number } {
  const spy = vi.spyOn(RegExp.prototype, "test");
  try {
    const matched = match(value);
    return { matched, runs: spy.mock.calls.length };
  } finally {
    spy.mockRestore();
  }
}

describe("requiredLiterals", () => {
  it("lists the literal runs longest first", () => {
    expect(requiredLiterals("a/*/longer/*/mid")).toEqual(["longer", "mid", "a"]);
  });

  it("drops every slash at either end of a run", () => {
    expect(requiredLiterals("//a//**//b//")).toEqual(["a", "b"]);
  });
});

describe("withLiterals", () => {
  it("runs the regular expression only on strings holding every literal", () => {
    const re = /^x/;
    const test = vi.spyOn(re, "test");
    const match = withLiterals(["orders", "items"], re);
    expect(match("x/orders/y")).toBe(false);
    expect(match("x/items/y")).toBe(false);
    expect(test).not.toHaveBeenCalled();
    expect(match("x/orders/items")).toBe(true);
    expect(test).toHaveBeenCalledTimes(1);
  });
});

describe("leadingLiteral", () => {
  const lead = (glob: string) => leadingLiteral(picomatch.makeRe(glob, { dot: true }));

  it("is none for an expression not anchored as picomatch anchors", () => {
    // Unanchored, so "xabc" matches too.
    expect(leadingLiteral(/(?:abc)/)).toBe("");
  });

  it("drops only the last character before a quantifier", () => {
    expect(leadingLiteral(/^(?:abc?d)$/)).toBe("ab");
  });

  it.each([
    ["an escaped |", /^(?:a\|b)$/, "a"],
    ["a | in a class", /^(?:a[x|]b)$/, "a"],
    ["a | alone in a class", /^(?:a[|]b)$/, "a"],
    ["a | after an escaped ] in a class", /^(?:a[\]|]b)$/, "a"],
    ["a | in a class after another class", /^(?:a[b][|]c)$/, "a"],
    ["a | in a closed inner group", /^(?:a(?:b|c)d)$/, "a"],
    ["a | in a group after the whole's", /^(?:ab)(?:c|d)$/, "ab"],
  ])("reads past %s: it is no alternative of the whole", (_, re, expected) => {
    expect(leadingLiteral(re)).toBe(expected);
  });

  it("is none when the whole holds an alternative after a closed inner group", () => {
    expect(leadingLiteral(/^(?:a(?:b)|c)$/)).toBe("");
    expect(lead("{a/b,c}")).toBe("");
  });
});

describe("compileGlobs pre-checks", () => {
  it("match no string when there are no globs", () => {
    expect(compileGlobs([])("")).toBe(false);
    expect(compileGlobs([])("a")).toBe(false);
  });

  it("spare the regular expression strings without one glob's every literal", () => {
    const match = compileGlobs(["**/orders/*/items/**"]);
    expect(regexRuns(match, "x/orders/y")).toEqual({ matched: false, runs: 0 });
    expect(regexRuns(match, "x/orders/y/items/z")).toEqual({ matched: true, runs: 1 });
  });

  it("spare it strings that start with no glob's leading literal, even if they hold it", () => {
    const match = compileGlobs(["gitops/envs/dev/**", "environments/prod.ts"]);
    expect(regexRuns(match, "x/gitops/envs/dev/a")).toEqual({ matched: false, runs: 0 });
    expect(regexRuns(match, "modules/x.ts")).toEqual({ matched: false, runs: 0 });
    expect(regexRuns(match, "gitops/envs/dev/a")).toEqual({ matched: true, runs: 1 });
  });

  it("spare it strings holding no glob's longest literal, when some glob has no leading literal", () => {
    const match = compileGlobs(["gitops/**", "**/*.md"]);
    expect(regexRuns(match, "src/x.ts")).toEqual({ matched: false, runs: 0 });
    expect(regexRuns(match, "src/x.md")).toEqual({ matched: true, runs: 1 });
    const unanchored = compileGlobs(["**/orders/**", "**/*.md"]);
    expect(regexRuns(unanchored, "src/x.ts")).toEqual({ matched: false, runs: 0 });
    expect(regexRuns(unanchored, "a/orders/b")).toEqual({ matched: true, runs: 1 });
  });

  it("run it on every string when a glob has no literal at all", () => {
    const match = compileGlobs(["**", "docs/**"]);
    expect(regexRuns(match, "src/x.ts")).toEqual({ matched: true, runs: 1 });
  });
});
