import { describe, expect, it } from "vitest";
import {
  ExactNumber,
  isContainer,
  isMasked,
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
});
