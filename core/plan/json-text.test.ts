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

  it("reads every string whole, so digits after a colon or comma inside one are no number", () => {
    // Strings of several characters, without an escape and with one followed by more characters: a scan that
    // lost a string's end would take ":1234…" in it for a number.
    const text = '["ab:12345678901234567890", "a\\nbc:12345678901234567890", "x\\\\yz,12345678901234567890"]';
    expect(parseJsonText(text, true)).toEqual([
      "ab:12345678901234567890",
      "a\nbc:12345678901234567890",
      "x\\yz,12345678901234567890",
    ]);
  });

  it("keeps every digit of long numbers with a fraction or an exponent", () => {
    const text =
      "[12345678901234567890.0123456789,-12345678901234567890e-5,12345678901234567890E+25,12345678901234567890e5]";
    expect(parseJsonText(text, true)).toEqual([
      new ExactNumber("12345678901234567890.0123456789"),
      new ExactNumber("-12345678901234567890e-5"),
      new ExactNumber("12345678901234567890E+25"),
      new ExactNumber("12345678901234567890e5"),
    ]);
  });

  it("keeps integers beyond 2^53 exact even when a float64 happens to hold them", () => {
    // 2^53 + 2 is a float64, but so is no integer next to it: the digits alone cannot be trusted there.
    expect(parseJsonText("[9007199254740994,1]", true)).toEqual([new ExactNumber("9007199254740994"), 1]);
  });

  it("keeps 16-digit numbers a float64 holds exactly, and short numbers, as numbers", () => {
    expect(
      parseJsonText('{"f":1234567890123456.5,"a":1.0,"b":-2.50,"c":1e2,"n":12345678901234567890}', true),
    ).toEqual({
      f: 1234567890123456.5,
      a: 1,
      b: -2.5,
      c: 100,
      n: new ExactNumber("12345678901234567890"),
    });
  });

  it("finds numbers after a string that ends in an escaped backslash", () => {
    const value = parseJsonText('{"s":"a\\\\","n":12345678901234567890}', true) as Record<string, unknown>;
    expect(value.s).toBe("a\\");
    expect(value.n).toEqual(new ExactNumber("12345678901234567890"));
  });

  it.each([
    ["a leading zero", '{"a":01234567890123456789}', 6],
    ["a second fraction", '{"a":12345678901234567890.5.5}', 27],
    ["a sign after the digits", '{"a":12345678901234567890-1}', 25],
    ["a trailing comma after a long number", '{"a":12345678901234567890,}', 26],
  ])("rejects %s in exact mode at its offset in the caller's text", (_name, text, offset) => {
    const error = (() => {
      try {
        parseJsonText(text, true);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(JsonSyntaxError);
    const e = error as JsonSyntaxError;
    expect(e.offset).toBe(offset);
    expect(e.truncated).toBe(false);
    // The same error as the plain parse gives: exact mode changes no error.
    expect(() => parseJsonText(text)).toThrow(e.message);
  });

  it("parses numbers as float64 and leaves tag-like strings alone unless asked for exact numbers", () => {
    expect(parseJsonText('{"n":12345678901234567890,"s":"\\u0000sluice-exact-number:12"}')).toEqual({
      n: Number("12345678901234567890"),
      s: "\u0000sluice-exact-number:12",
    });
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
      expect(String(e)).toBe("JsonSyntaxError: Expected ',' or '}' after property value");
      expect(e.offset).toBe(29);
    }
  });

  it("reports truncation at the end of the content, trailing blanks left out", () => {
    const text = '  {"a":[1,2\n  ';
    expect(() => parseJsonText(text)).toThrow(
      expect.objectContaining({ message: "the JSON ends early (truncated?)", offset: 11, truncated: true }),
    );
  });

  it.each([
    ["a bare word", "NaN", "invalid JSON", undefined],
    ["a stray character", "[1,x]", "unexpected character", undefined],
    ["text after the JSON", '{"a":1} x', "Unexpected non-whitespace character after JSON at position 8", 8],
  ])("names the problem with %s in fixed wording, never the input", (_name, text, message, offset) => {
    expect(() => parseJsonText(text)).toThrow(expect.objectContaining({ message, offset, truncated: false }));
  });

  it("gives 1-based line and column", () => {
    expect(lineColumn("ab\ncd\nef", 4)).toEqual({ line: 2, column: 2 });
    // A newline belongs to the line it ends.
    expect(lineColumn("ab\ncd", 2)).toEqual({ line: 1, column: 3 });
  });
});
