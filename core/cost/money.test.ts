import { describe, expect, it } from "vitest";
import { dec, div, formatDec, formatUsd, mul, parseDec } from "./money.ts";

describe("exact money", () => {
  it("adds prices that binary floating point cannot", () => {
    const tenth = parseDec("0.1") as bigint;
    expect(formatDec(tenth + (parseDec("0.2") as bigint))).toBe("0.3");
    expect(0.1 + 0.2).not.toBe(0.3);
  });
  it("multiplies, divides and formats", () => {
    expect(formatDec(mul(parseDec("0.0416") as bigint, dec(730)))).toBe("30.368");
    expect(formatDec(div(dec(25_000_000), dec(1_000_000)))).toBe("25");
    expect(formatDec(parseDec("0.0000004") as bigint)).toBe("0.0000004");
    expect(formatDec(-(parseDec("12.50") as bigint))).toBe("-12.5");
    expect(formatUsd(parseDec("1234.565") as bigint)).toBe("$1,234.57");
    expect(formatUsd(-(parseDec("3.2") as bigint))).toBe("-$3.20");
    expect(formatUsd(parseDec("3.2") as bigint, { sign: true })).toBe("+$3.20");
  });
  it("rejects what is not a decimal", () => {
    expect(parseDec("1e3")).toBeUndefined();
    expect(parseDec("abc")).toBeUndefined();
    expect(parseDec(Number.NaN)).toBeUndefined();
    expect(parseDec(20)).toBe(dec(20));
    expect(formatDec(parseDec(0.5) as bigint)).toBe("0.5");
  });
});
