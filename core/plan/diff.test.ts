import { describe, expect, it } from "vitest";
import { attributeDiff } from "./diff.ts";
import { SENSITIVE, SENSITIVE_UNCHANGED } from "./values.ts";

describe("attributeDiff", () => {
  it("lists only the changed attributes, nested ones by their dotted path", () => {
    expect(
      attributeDiff(
        { ami: "a", size: 1, tags: { Name: "x", env: "dev" } },
        { ami: "a", size: 2, tags: { Name: "y", env: "dev" } },
      ),
    ).toEqual([
      { path: "size", op: "update", before: 1, after: 2 },
      { path: "tags.Name", op: "update", before: "x", after: "y" },
    ]);
  });

  it("quotes keys that are not identifiers", () => {
    expect(
      attributeDiff({ tags: {} }, { tags: { "kubernetes.io/role": "elb", "1st": "a", "a-b_c": "b" } }),
    ).toEqual([
      { path: 'tags["kubernetes.io/role"]', op: "add", after: "elb" },
      { path: 'tags["1st"]', op: "add", after: "a" },
      { path: "tags.a-b_c", op: "add", after: "b" },
    ]);
  });

  it("compares lists element by element, up to the longer list", () => {
    expect(
      attributeDiff(
        { ingress: [{ from_port: 80 }, { from_port: 443 }], ids: [1, 2, 3] },
        { ingress: [{ from_port: 8080 }, { from_port: 443 }, { from_port: 22 }], ids: [1] },
      ),
    ).toEqual([
      { path: "ingress[0].from_port", op: "update", before: 80, after: 8080 },
      { path: "ingress[2].from_port", op: "add", after: 22 },
      { path: "ids[1]", op: "remove", before: 2 },
      { path: "ids[2]", op: "remove", before: 3 },
    ]);
  });

  it("shows a new block as its attributes and a new list whole, leaving out null attributes", () => {
    expect(attributeDiff(null, { name: "a", tags: { Name: "x" }, ports: [80], description: null })).toEqual([
      { path: "name", op: "add", after: "a" },
      { path: "tags.Name", op: "add", after: "x" },
      { path: "ports", op: "add", after: [80] },
    ]);
    expect(attributeDiff({ name: "a", description: null }, null)).toEqual([
      { path: "name", op: "remove", before: "a" },
    ]);
  });

  it("shows a value set from null as added and one set to null as removed", () => {
    expect(attributeDiff({ a: null, b: "x" }, { a: "y", b: null })).toEqual([
      { path: "a", op: "add", after: "y" },
      { path: "b", op: "remove", before: "x" },
    ]);
  });

  it("diffs a value that is not an object under the path `value`", () => {
    expect(attributeDiff("a", "b")).toEqual([{ path: "value", op: "update", before: "a", after: "b" }]);
    expect(attributeDiff("a", "a")).toEqual([]);
  });

  it("shows a changed sensitive attribute, not an unchanged one", () => {
    expect(
      attributeDiff(
        { changed: SENSITIVE, same: SENSITIVE },
        { changed: SENSITIVE, same: SENSITIVE_UNCHANGED },
      ),
    ).toEqual([{ path: "changed", op: "update", before: SENSITIVE, after: SENSITIVE }]);
  });
});
