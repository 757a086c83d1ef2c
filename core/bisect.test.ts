import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { largestFitting } from "./bisect.ts";

describe("largestFitting", () => {
  it("finds the last n that fits, inside the range", () => {
    expect(largestFitting(0, 10, (n) => n <= 7)).toBe(7);
    expect(largestFitting(3, 4, (n) => n <= 3)).toBe(3);
    expect(largestFitting(3, 4, (n) => n <= 4)).toBe(4);
  });

  it("is low when the range holds one number, or nothing past low fits", () => {
    expect(largestFitting(5, 5, () => true)).toBe(5);
    expect(largestFitting(0, 1000, (n) => n === 0)).toBe(0);
  });

  it("is high when everything fits", () => {
    expect(largestFitting(0, 1000, () => true)).toBe(1000);
  });

  it("asks about log2 of the range, never outside it", () => {
    const asked: number[] = [];
    const found = largestFitting(0, 1_000_000, (n) => {
      asked.push(n);
      return n <= 123_456;
    });
    expect(found).toBe(123_456);
    expect(asked.length).toBeLessThanOrEqual(20);
    expect(asked.every((n) => n > 0 && n <= 1_000_000)).toBe(true);
  });

  it("reaches either end of the widest safe range", () => {
    expect(largestFitting(0, Number.MAX_SAFE_INTEGER, () => true)).toBe(Number.MAX_SAFE_INTEGER);
    expect(largestFitting(0, Number.MAX_SAFE_INTEGER, (n) => n === 0)).toBe(0);
  });

  it("agrees with a linear search on any range and threshold", () => {
    fc.assert(
      fc.property(fc.nat(200), fc.nat(200), fc.nat(400), (low, span, threshold) => {
        const high = low + span;
        const fits = (n: number) => n === low || n <= threshold;
        let expected = low;
        for (let n = low; n <= high; n++) if (fits(n)) expected = n;
        expect(largestFitting(low, high, fits)).toBe(expected);
      }),
    );
  });
});
