import { describe, expect, it } from "vitest";
import { compactJson, displayValue } from "./format.ts";
import { ExactNumber, SENSITIVE, UNKNOWN } from "./values.ts";

describe("compactJson", () => {
  it("writes an absent value as null, and lists and objects as compact JSON with markers as their labels", () => {
    expect(compactJson(undefined)).toBe("null");
    expect(compactJson(null)).toBe("null");
    expect(compactJson([1, "a", [true, null]])).toBe('[1,"a",[true,null]]');
    expect(compactJson({ a: 1, "b c": { d: "e" }, f: [] })).toBe('{"a":1,"b c":{"d":"e"},"f":[]}');
    expect(compactJson({})).toBe("{}");
    expect(
      compactJson({ password: SENSITIVE, id: UNKNOWN, big: new ExactNumber("12345678901234567890") }),
    ).toBe('{"password":(sensitive),"id":(known after apply),"big":12345678901234567890}');
  });
});

describe("displayValue", () => {
  it("shows a line of exactly max characters whole, and cuts a longer one saying how much was left out", () => {
    expect(displayValue("abcd", 6)).toBe('"abcd"');
    expect(displayValue("abcde", 6)).toBe('"abcde… (1 more chars)');
    expect(displayValue(["x".repeat(300)])).toBe(`["${"x".repeat(198)}… (104 more chars)`);
  });

  it("masks a secret before cutting, so no part of it is shown", () => {
    const key = "AKIAIOSFODNN7EXAMPLE";
    const shown = displayValue({ id: key, note: "x".repeat(50) }, 20);
    expect(shown).toBe('{"id":"(masked aws-a… (75 more chars)');
    expect(shown).not.toContain("AKIA");
  });
});
