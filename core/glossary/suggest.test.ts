import { describe, expect, it } from "vitest";
import { boundedDistance, closestTokens } from "./suggest.ts";

describe("closestTokens", () => {
  it("suggests nothing for tokens of one or two characters", () => {
    expect(closestTokens("ab", ["ab", "abc", "abd"])).toEqual([]);
    expect(closestTokens("abc", ["abd"])).toEqual(["abd"]);
  });

  it("allows one edit per three characters, at least one and at most three", () => {
    // 3 to 5 characters: one edit.
    expect(closestTokens("abcde", ["abcdx", "abcxy", "abcdef", "abcdefg"], 9)).toEqual(["abcdef", "abcdx"]);
    // 6 characters: two edits.
    expect(closestTokens("abcdef", ["abcdxy", "abcxyz", "abcd", "abx"], 9)).toEqual(["abcd", "abcdxy"]);
    // 12 characters: three edits, not four.
    const long = "abcdefghijkl";
    expect(closestTokens(long, ["abcdefghixyz", "abcdefghwxyz", "abcdefghi", "abcdefgx"], 9)).toEqual([
      "abcdefghi",
      "abcdefghixyz",
    ]);
  });

  it("ranks by distance, then by name, and keeps the first `limit` (three by default)", () => {
    expect(closestTokens("abcd", ["abcx", "abxd", "abcd", "xbcd", "abc"])).toEqual(["abcd", "abc", "abcx"]);
    expect(closestTokens("abcd", ["abcx", "abxd", "abcd"], 1)).toEqual(["abcd"]);
  });

  it("suggests a term of three or more characters that a longer unknown word starts with, after closer ones", () => {
    expect(closestTokens("databases", ["db", "dat", "data", "database"])).toEqual([
      "database",
      "dat",
      "data",
    ]);
    // Within the length bound but too far by edits, a prefix still counts.
    expect(closestTokens("ordersxyz", ["ordersabc", "orders"], 9)).toEqual(["orders", "ordersabc"]);
    expect(closestTokens("abcdefghijkl", ["abcdefgzzzzz", "abcdefg"])).toEqual(["abcdefg"]);
    expect(closestTokens("abcdefghijkl", ["ab"])).toEqual([]);
  });
});

describe("boundedDistance", () => {
  it("counts inserts, deletes, substitutions and swaps of neighbours", () => {
    expect(boundedDistance("abc", "abc", 0)).toBe(0);
    expect(boundedDistance("abc", "abcd", 3)).toBe(1);
    expect(boundedDistance("abcd", "abc", 3)).toBe(1);
    expect(boundedDistance("abc", "axc", 3)).toBe(1);
    expect(boundedDistance("abc", "acb", 3)).toBe(1);
    expect(boundedDistance("ab", "ba", 3)).toBe(1);
    expect(boundedDistance("kitten", "sitting", 5)).toBe(3);
    expect(boundedDistance("", "abc", 5)).toBe(3);
    expect(boundedDistance("abc", "", 5)).toBe(3);
  });

  it("returns bound + 1 once the distance must exceed the bound", () => {
    expect(boundedDistance("kitten", "sitting", 2)).toBe(3);
    expect(boundedDistance("kitten", "sitting", 3)).toBe(3);
    expect(boundedDistance("abcdef", "uvwxyz", 1)).toBe(2);
    expect(boundedDistance("ab", "abcdef", 2)).toBe(3);
  });
});
