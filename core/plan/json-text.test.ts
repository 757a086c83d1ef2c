import { describe, expect, it } from "vitest";
import { hasUnsafeInteger, JsonSyntaxError, lineColumn, parseJsonText } from "./json-text.ts";
import { ExactNumber } from "./values.ts";

describe("parseJsonText", () => {
  it("keeps every digit of integers beyond 2^53 in exact mode", () => {
    const value = parseJsonText('{"a":12345678901234567890,"b":[-9007199254740993],"c":1}', true) as Record<
      string,
      unknown
    >;
    expect(value.a).toEqual(new ExactNumber("12345678901234567890"));
    expect(value.b).toEqual([new ExactNumber("-9007199254740993")]);
    expect(value.c).toBe(1);
  });

  it("leaves long digit runs inside strings alone, escaped quotes included", () => {
    const text = '{"s":"x\\": 12345678901234567890","n": 98765432109876543210}';
    const value = parseJsonText(text, true) as Record<string, unknown>;
    expect(value.s).toBe('x": 12345678901234567890');
    expect(value.n).toEqual(new ExactNumber("98765432109876543210"));
  });

  it("keeps safe 16-digit integers as numbers", () => {
    expect(parseJsonText('{"a":1234567890123456}', true)).toEqual({ a: 1234567890123456 });
  });

  it("detects a rounded integer so the caller can parse again exactly", () => {
    expect(hasUnsafeInteger(JSON.parse('{"a":[{"b":12345678901234567890}]}'))).toBe(true);
    expect(hasUnsafeInteger({ a: [1, 2.5, "12345678901234567890"] })).toBe(false);
  });

  it("reports truncation with the offset and never quotes the input", () => {
    const text = '{"secret":"hunter2-canary","b":[1,2';
    try {
      parseJsonText(text);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(JsonSyntaxError);
      const e = error as JsonSyntaxError;
      expect(e.truncated).toBe(true);
      expect(e.offset).toBe(text.length);
      expect(e.message).not.toContain("hunter2");
    }
  });

  it("reports a syntax error without the snippet V8 puts in its message", () => {
    try {
      parseJsonText('{"password":"hunter2-canary" x}');
      expect.unreachable();
    } catch (error) {
      const e = error as JsonSyntaxError;
      expect(e.truncated).toBe(false);
      expect(e.message).not.toContain("hunter2");
    }
  });

  it("gives 1-based line and column", () => {
    expect(lineColumn("ab\ncd\nef", 4)).toEqual({ line: 2, column: 2 });
  });
});
