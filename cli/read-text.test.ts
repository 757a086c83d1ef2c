import { describe, expect, it } from "vitest";
import { isTooLongForText, readTextFileSync } from "./read-text.ts";

/** The RangeError V8 throws for a string over its limit, as fs/promises readFile does for a >512 MiB file. */
function realStringLengthError(): unknown {
  try {
    return "x".repeat(2 ** 30);
  } catch (error) {
    return error;
  }
}

describe("isTooLongForText", () => {
  it("recognises both ways Node.js fails to read a file larger than a string can hold", () => {
    expect(isTooLongForText(realStringLengthError())).toBe(true);
    // readFileSync's message (buffer.toString), whose reproduction needs a 512 MiB buffer.
    expect(isTooLongForText(new Error("Cannot create a string longer than 0x1fffffe8 characters"))).toBe(
      true,
    );
  });

  it("leaves other read errors alone", () => {
    let missing: unknown;
    try {
      readTextFileSync("/nonexistent/sluice/plan.json", "plan.json");
    } catch (error) {
      missing = error;
    }
    expect((missing as NodeJS.ErrnoException).code).toBe("ENOENT");
    expect(isTooLongForText(missing)).toBe(false);
    expect(isTooLongForText(new RangeError("Invalid time value"))).toBe(false);
  });
});
