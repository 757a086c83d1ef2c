import { describe, expect, it } from "vitest";
import { parsePlan } from "../parse.ts";
import { planText } from "../test/plans.ts";
import { UNKNOWN } from "../values.ts";
import { get, items, strings, writes } from "./access.ts";

describe("reading resource values", () => {
  it("items: a list attribute's items; nothing for an absent, unknown or non-list value", () => {
    expect(items([{ a: 1 }, "b"])).toEqual([{ a: 1 }, "b"]);
    expect(items(undefined)).toEqual([]);
    expect(items(null)).toEqual([]);
    expect(items(UNKNOWN)).toEqual([]);
    expect(items({ cidr_blocks: ["0.0.0.0/0"] })).toEqual([]);
  });

  it("strings: a string, or the strings of a list (unknown items and numbers left out); nothing otherwise", () => {
    expect(strings("10.0.0.0/8")).toEqual(["10.0.0.0/8"]);
    expect(strings(["0.0.0.0/0", UNKNOWN, 22, null, "::/0"])).toEqual(["0.0.0.0/0", "::/0"]);
    expect(strings(undefined)).toEqual([]);
    expect(strings(UNKNOWN)).toEqual([]);
    expect(strings(443)).toEqual([]);
  });

  it("get: the value at a path of objects and list indexes, undefined past a leaf or a marker", () => {
    const value = { ingress: [{ cidr_blocks: ["0.0.0.0/0"] }], id: UNKNOWN };
    expect(get(value, "ingress", 0, "cidr_blocks", 0)).toBe("0.0.0.0/0");
    expect(get(value, "ingress", "0")).toBeUndefined();
    expect(get(value, "id", "x")).toBeUndefined();
    expect(get(value, "missing", "x")).toBeUndefined();
  });

  it("writes: true for a change that leaves an object behind, false for delete, read, no-op and forget", () => {
    const after = { id: "i-1" };
    const changes = parsePlan(
      planText([
        { name: "create", actions: ["create"], after },
        { name: "update", actions: ["update"], before: after, after },
        { name: "replace", actions: ["delete", "create"], before: after, after },
        {
          name: "import",
          actions: ["no-op"],
          before: after,
          after,
          changeExtra: { importing: { id: "i-1" } },
        },
        {
          name: "move",
          actions: ["no-op"],
          before: after,
          after,
          extra: { previous_address: "aws_instance.old" },
        },
        { name: "delete", actions: ["delete"], before: after },
        {
          name: "read",
          actions: ["read"],
          after,
          extra: { mode: "data", address: "data.aws_instance.read" },
        },
        { name: "noop", actions: ["no-op"], before: after, after },
        { name: "forget", actions: ["forget"], before: after, after },
      ]),
    ).changes;
    expect(changes.map((c) => [c.name, c.kind, writes(c)])).toEqual([
      ["create", "create", true],
      ["update", "update", true],
      ["replace", "replace", true],
      ["import", "import", true],
      ["move", "move", true],
      ["delete", "delete", false],
      ["read", "read", false],
      ["noop", "noop", false],
      ["forget", "forget", false],
    ]);
  });
});
