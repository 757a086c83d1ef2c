import { describe, expect, it } from "vitest";
import {
  ExactNumber,
  isContainer,
  isMasked,
  isRecord,
  isSensitive,
  maskLabel,
  SENSITIVE,
  SENSITIVE_UNCHANGED,
  UNKNOWN,
} from "./values.ts";

describe("plan value markers", () => {
  it("are masked, each of the three, and nothing that only looks like one", () => {
    expect([SENSITIVE, SENSITIVE_UNCHANGED, UNKNOWN].map(isMasked)).toEqual([true, true, true]);
    expect(isMasked({ ...SENSITIVE })).toBe(false);
    expect(isMasked("(sensitive)")).toBe(false);
  });

  it("are sensitive when terraform marked the value sensitive, changed or not, and not when unknown", () => {
    expect([SENSITIVE, SENSITIVE_UNCHANGED, UNKNOWN].map(isSensitive)).toEqual([true, true, false]);
    expect([SENSITIVE, SENSITIVE_UNCHANGED, UNKNOWN].map(maskLabel)).toEqual([
      "(sensitive)",
      "(sensitive)",
      "(known after apply)",
    ]);
  });

  it("are not containers, nor are exact numbers", () => {
    expect([SENSITIVE, SENSITIVE_UNCHANGED, UNKNOWN, new ExactNumber("1")].map(isContainer)).toEqual([
      false,
      false,
      false,
      false,
    ]);
    expect([{}, []].map(isContainer)).toEqual([true, true]);
  });

  it("serialize, as the digest hashes them, to distinct objects under a key no plan attribute has", () => {
    expect([SENSITIVE, SENSITIVE_UNCHANGED, UNKNOWN].map((m) => JSON.stringify(m))).toEqual([
      '{"\\u0000sluice-masked":"sensitive"}',
      '{"\\u0000sluice-masked":"sensitive-unchanged"}',
      '{"\\u0000sluice-masked":"unknown"}',
    ]);
    expect(
      Object.isFrozen(SENSITIVE) && Object.isFrozen(SENSITIVE_UNCHANGED) && Object.isFrozen(UNKNOWN),
    ).toBe(true);
  });
});

describe("ExactNumber", () => {
  it("is its literal digits as text and in JSON", () => {
    const n = new ExactNumber("123456789012345678901");
    expect(String(n)).toBe("123456789012345678901");
    expect(`${n}`).toBe("123456789012345678901");
    expect(JSON.stringify({ n })).toBe('{"n":"123456789012345678901"}');
  });
});

describe("isRecord", () => {
  it("holds for plain objects only, not null, arrays or scalars", () => {
    expect([{}, { a: 1 }].map(isRecord)).toEqual([true, true]);
    expect([null, [], "x", 1, undefined].map(isRecord)).toEqual([false, false, false, false, false]);
  });
});
