import { describe, expect, it } from "vitest";
import { applyMarks, deepEqual, unionMarks } from "./mask.ts";
import { parsePlan } from "./parse.ts";
import { planText } from "./test/plans.ts";
import type { ResourceChange } from "./types.ts";
import { ExactNumber, SENSITIVE, SENSITIVE_UNCHANGED, UNKNOWN } from "./values.ts";

/** One update through the parser, as a real plan is read: marks are unioned, then applied to both sides. */
function update(spec: {
  before: unknown;
  after: unknown;
  beforeSensitive?: unknown;
  afterSensitive?: unknown;
  afterUnknown?: unknown;
}): ResourceChange {
  const [change] = parsePlan(planText([{ actions: ["update"], ...spec }])).changes;
  return change as ResourceChange;
}

describe("a sensitive value before and after", () => {
  it("unchanged: the reviewer sees it is unchanged, never the value", () => {
    const c = update({
      before: { password: "s3cret", note: "a" },
      after: { password: "s3cret", note: "b" },
      beforeSensitive: { password: true },
      afterSensitive: { password: true },
    });
    expect(c.before).toEqual({ password: SENSITIVE, note: "a" });
    expect(c.after).toEqual({ password: SENSITIVE_UNCHANGED, note: "b" });
  });

  it.each([
    ["a list element", ["a", "b"], ["a", "c"]],
    ["a list's length", ["a"], ["a", "b"]],
    ["a list that was an object", { 0: "a" }, ["a"]],
    ["an object's value", { x: 1 }, { x: 2 }],
    ["an object's keys", { x: 1 }, { y: 1 }],
    ["an added key", { x: 1 }, { x: 1, y: 2 }],
    ["a removed key", { x: 1, y: 2 }, { x: 1 }],
    ["null to an object", null, { x: 1 }],
    ["a nested value", { x: { y: [1, 2] } }, { x: { y: [1, 3] } }],
    ["a string to a number", "1", 1],
  ])("changed (%s): reported as changed", (_, before, after) => {
    const c = update({
      before: { secret: before },
      after: { secret: after },
      afterSensitive: { secret: true },
    });
    expect(c.after).toEqual({ secret: SENSITIVE });
    expect(c.before).toEqual({ secret: SENSITIVE });
  });

  it("unchanged lists and objects, element by element", () => {
    const c = update({
      before: { list: ["a", "b"], obj: { k: "v", j: "w" }, whole: { deep: [1, { x: null }] } },
      after: { list: ["a", "B"], obj: { k: "v", j: "W" }, whole: { deep: [1, { x: null }] } },
      afterSensitive: { list: [true, true], obj: { k: true, j: true }, whole: true },
    });
    expect(c.after).toEqual({
      list: [SENSITIVE_UNCHANGED, SENSITIVE],
      obj: { k: SENSITIVE_UNCHANGED, j: SENSITIVE },
      whole: SENSITIVE_UNCHANGED,
    });
  });

  it("an element is compared with the element at the same place, not with a different shape", () => {
    const c = update({
      before: { list: "a", obj: ["v"] },
      after: { list: ["a"], obj: { 0: "v" } },
      afterSensitive: { list: [true], obj: { 0: true } },
    });
    expect(c.after).toEqual({ list: [SENSITIVE], obj: { 0: SENSITIVE } });
  });
});

describe("marks of the two sides are unioned", () => {
  it("before_sensitive true hides the whole value on both sides, not only the keys after_sensitive lists", () => {
    const c = update({
      before: { password: "old", user: "admin-old" },
      after: { password: "new", user: "admin-new" },
      beforeSensitive: true,
      afterSensitive: { password: true },
    });
    expect(c.before).toBe(SENSITIVE);
    expect(c.after).toBe(SENSITIVE);
  });

  it("after_sensitive true against object marks before, too", () => {
    const c = update({
      before: { a: "1", b: "2" },
      after: { a: "1", b: "2" },
      beforeSensitive: { a: true },
      afterSensitive: true,
    });
    expect(c.before).toBe(SENSITIVE);
    expect(c.after).toBe(SENSITIVE_UNCHANGED);
  });

  it("list marks of different lengths: an element either side flags is hidden on both", () => {
    for (const [beforeSensitive, afterSensitive] of [
      [[false, true], [true]],
      [[true], [false, true]],
    ]) {
      const c = update({
        before: { l: ["b0", "b1", "b2"] },
        after: { l: ["a0", "a1", "a2"] },
        beforeSensitive: { l: beforeSensitive },
        afterSensitive: { l: afterSensitive },
      });
      expect(c.before).toEqual({ l: [SENSITIVE, SENSITIVE, "b2"] });
      expect(c.after).toEqual({ l: [SENSITIVE, SENSITIVE, "a2"] });
    }
  });

  it("list marks on one side and object marks on the other hide the whole attribute", () => {
    for (const [beforeSensitive, afterSensitive] of [
      [{ x: [true] }, { x: { k: true } }],
      [{ x: { k: true } }, { x: [true] }],
    ]) {
      const c = update({
        before: { x: ["p"], y: "kept" },
        after: { x: { k: "q" }, y: "kept" },
        beforeSensitive,
        afterSensitive,
      });
      expect(c.before).toEqual({ x: SENSITIVE, y: "kept" });
      expect(c.after).toEqual({ x: SENSITIVE, y: "kept" });
    }
  });

  it("object marks merge key by key, deeply", () => {
    const c = update({
      before: { o: { a: "1", b: "2", c: "3" }, p: "4", q: "5" },
      after: { o: { a: "x", b: "y", c: "z" }, p: "6", q: "7" },
      beforeSensitive: { o: { a: true }, p: true },
      afterSensitive: { o: { b: true }, q: false },
    });
    expect(c.before).toEqual({ o: { a: SENSITIVE, b: SENSITIVE, c: "3" }, p: SENSITIVE, q: "5" });
    expect(c.after).toEqual({ o: { a: SENSITIVE, b: SENSITIVE, c: "z" }, p: SENSITIVE, q: "7" });
  });

  it("unionMarks: what flags nothing gives way to the other side; true wins", () => {
    expect(unionMarks({ a: false }, { b: true })).toEqual({ b: true });
    expect(unionMarks({ b: [true] }, [false])).toEqual({ b: [true] });
    expect(unionMarks(undefined, null)).toBeNull();
    expect(unionMarks([{ a: true }], true)).toBe(true);
    expect(unionMarks(true, { a: true })).toBe(true);
    expect(unionMarks([true, false], [false, false, true])).toEqual([true, false, true]);
    expect(unionMarks({ a: true }, { a: { b: true }, c: true })).toEqual({ a: true, c: true });
  });
});

describe("an unexpected mark shape fails closed", () => {
  it.each([["yes"], [1], [Symbol.for("x")]])("in unionMarks (%s)", (odd) => {
    expect(unionMarks(odd, {})).toBe(true);
    expect(unionMarks({}, odd)).toBe(true);
    expect(unionMarks({ a: odd }, { a: { b: true } })).toEqual({ a: true });
  });

  it("in applyMarks: the whole value, or the whole part the odd mark stands over", () => {
    expect(applyMarks({ a: "1" }, "yes", SENSITIVE)).toBe(SENSITIVE);
    expect(applyMarks({ a: "1", b: "2" }, { a: 5 }, SENSITIVE)).toEqual({ a: SENSITIVE, b: "2" });
    expect(applyMarks(["1", "2"], [false, "yes"], UNKNOWN)).toEqual(["1", UNKNOWN]);
  });

  it("through the parser, on both sides", () => {
    const c = update({
      before: { a: "old" },
      after: { a: "new" },
      beforeSensitive: "yes",
      afterSensitive: {},
    });
    expect(c.before).toBe(SENSITIVE);
    expect(c.after).toBe(SENSITIVE);
  });

  it("container marks over a scalar, or of the other container kind, hide the whole value", () => {
    expect(applyMarks("plain", { a: true }, SENSITIVE)).toBe(SENSITIVE);
    expect(applyMarks("plain", [true], SENSITIVE)).toBe(SENSITIVE);
    expect(applyMarks(["a"], { 0: true }, SENSITIVE)).toBe(SENSITIVE);
    expect(applyMarks({ 0: "a" }, [true], SENSITIVE)).toBe(SENSITIVE);
  });
});

describe("applyMarks", () => {
  it("marks that flag nothing leave the value as it is", () => {
    const value = { a: [1, { b: 2 }] };
    for (const marks of [false, undefined, null, {}, [], { a: [false, { b: false }] }]) {
      expect(applyMarks(value, marks, SENSITIVE)).toBe(value);
      expect(value).toEqual({ a: [1, { b: 2 }] });
    }
    expect(applyMarks(undefined, {}, SENSITIVE)).toBeNull();
    expect(applyMarks(undefined, false, UNKNOWN)).toBeNull();
  });

  it("finds a flag however deep", () => {
    expect(applyMarks({ a: [[{ b: "x" }]] }, { a: [[{ b: true }]] }, SENSITIVE)).toEqual({
      a: [[{ b: SENSITIVE }]],
    });
  });

  it("adds no sensitive element or key the value does not have", () => {
    expect(applyMarks(["a"], [false, true, true], SENSITIVE)).toEqual(["a"]);
    expect(applyMarks({ a: "1" }, { a: false, b: true }, SENSITIVE)).toEqual({ a: "1" });
    expect(applyMarks(null, { a: true }, SENSITIVE)).toBeNull();
    expect(applyMarks(undefined, [true], SENSITIVE)).toBeNull();
  });

  it("compares with the other side only for the sensitive marker", () => {
    expect(applyMarks("same", true, SENSITIVE, { value: "same" })).toBe(SENSITIVE_UNCHANGED);
    expect(applyMarks("same", true, SENSITIVE)).toBe(SENSITIVE);
    expect(applyMarks("same", true, UNKNOWN, { value: "same" })).toBe(UNKNOWN);
  });
});

describe("known after apply under a null or absent after", () => {
  it("adds the unknown attributes terraform leaves out of after", () => {
    const [created] = parsePlan(
      planText([
        { actions: ["create"], after: null, afterUnknown: { id: true, tags: { owner: true }, arn: false } },
      ]),
    ).changes;
    expect(created?.after).toEqual({ id: UNKNOWN, tags: { owner: UNKNOWN } });
  });

  it("adds unknown list elements, and keys absent from a present after", () => {
    expect(applyMarks(null, [false, true], UNKNOWN)).toEqual([null, UNKNOWN]);
    expect(applyMarks(undefined, [{ a: true }], UNKNOWN)).toEqual([{ a: UNKNOWN }]);
    expect(applyMarks(null, true, UNKNOWN)).toBe(UNKNOWN);
    expect(applyMarks(undefined, true, UNKNOWN)).toBe(UNKNOWN);
    expect(applyMarks(["a"], [false, true], UNKNOWN)).toEqual(["a", UNKNOWN]);
    expect(applyMarks({ a: "1" }, { b: true }, UNKNOWN)).toEqual({ a: "1", b: UNKNOWN });
    expect(applyMarks({ a: null }, { a: { b: true } }, UNKNOWN)).toEqual({ a: { b: UNKNOWN } });
    expect(applyMarks(undefined, { id: true, arn: false }, UNKNOWN)).toEqual({ id: UNKNOWN });
  });

  it("an after absent from the plan JSON gets its unknown attributes too", () => {
    const plan = JSON.parse(planText([{ actions: ["create"], afterUnknown: { id: true } }]));
    delete plan.resource_changes[0].change.after;
    expect(parsePlan(JSON.stringify(plan)).changes[0]?.after).toEqual({ id: UNKNOWN });
  });

  it("a whole after known only after apply, and a sensitive unknown, stay unknown", () => {
    const [c] = parsePlan(
      planText([{ actions: ["create"], after: null, afterUnknown: true, afterSensitive: { a: true } }]),
    ).changes;
    expect(c?.after).toBe(UNKNOWN);
  });
});

describe("deepEqual", () => {
  it.each<[unknown, unknown, boolean]>([
    [{ a: [1, "x", null, true] }, { a: [1, "x", null, true] }, true],
    [new ExactNumber("12345678901234567890"), new ExactNumber("12345678901234567890"), true],
    [new ExactNumber("12345678901234567890"), new ExactNumber("12345678901234567891"), false],
    [new ExactNumber("1"), 1, false],
    [new ExactNumber("1"), { digits: "1" }, false],
    [{ digits: "1" }, new ExactNumber("1"), false],
    [SENSITIVE, SENSITIVE, true],
    [SENSITIVE, UNKNOWN, false],
    [null, {}, false],
    [{}, null, false],
    [[], {}, false],
    [{}, [], false],
    [[1], [1, 2], false],
    [{ a: undefined }, { b: undefined }, false],
    [{ a: 1 }, { a: 1, b: 2 }, false],
    [{ a: 1, b: 2 }, { a: 1, b: 3 }, false],
    [{ a: 1, b: 2 }, { b: 2, a: 1 }, true],
    ["1", 1, false],
  ])("%j and %j: %s", (a, b, equal) => {
    expect(deepEqual(a, b)).toBe(equal);
    expect(deepEqual(b, a)).toBe(equal);
  });
});
