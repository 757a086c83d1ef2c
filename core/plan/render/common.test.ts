import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { KIND_ORDER } from "../actions.ts";
import type { PlanCounts, ResourceChange, ReviewKind } from "../types.ts";
import { byModule, byModuleInReviewOrder, countColumns, inReviewOrder, oneLine } from "./common.ts";

const counts = (unknown: number) =>
  Object.fromEntries(KIND_ORDER.map((k) => [k, k === "unknown" ? unknown : 0])) as PlanCounts;

const change = (address: string, kind: ReviewKind, deposed?: string) =>
  ({
    address,
    moduleAddress: address.startsWith("module.") ? address.split(".").slice(0, 2).join(".") : "",
    kind,
    deposed,
  }) as unknown as ResourceChange;

describe("countColumns", () => {
  it('labels every kind, no-op as "no-op", and shows the unknown column only when some change is unknown', () => {
    const labels = ["create", "update", "replace", "delete", "import", "move", "read", "forget", "no-op"];
    expect(countColumns(counts(0)).map((c) => c.label)).toEqual(labels);
    expect(countColumns(counts(1)).map((c) => c.label)).toEqual([...labels, "unknown"]);
    expect(countColumns(counts(1)).map((c) => c.kind)).toEqual([
      "create",
      "update",
      "replace",
      "delete",
      "import",
      "move",
      "read",
      "forget",
      "noop",
      "unknown",
    ]);
  });
});

describe("inReviewOrder", () => {
  it("puts destructive kinds first, then orders by address, and keeps deposed objects of one address in input order", () => {
    const changes = [
      change("aws_instance.b", "create"),
      change("aws_instance.a", "create"),
      change("aws_instance.z", "delete", "1"),
      change("aws_instance.c", "update"),
      change("aws_instance.z", "delete", "2"),
      change("aws_instance.z", "delete", "3"),
      change("aws_instance.y", "delete"),
      change("aws_instance.a", "unknown"),
    ];
    expect(inReviewOrder(changes).map((c) => `${c.kind} ${c.address} ${c.deposed ?? ""}`.trim())).toEqual([
      "unknown aws_instance.a",
      "delete aws_instance.y",
      "delete aws_instance.z 1",
      "delete aws_instance.z 2",
      "delete aws_instance.z 3",
      "update aws_instance.c",
      "create aws_instance.a",
      "create aws_instance.b",
    ]);
  });

  it("byModuleInReviewOrder puts a module where its first change in review order comes", () => {
    const changes = [
      change("module.a.aws_instance.y", "create"),
      change("module.b.aws_instance.x", "create"),
      change("aws_instance.r", "update"),
      change("module.b.aws_instance.a", "delete"),
    ];
    const order = [...byModuleInReviewOrder(changes)].map(([m, list]) => [m, list.map((c) => c.address)]);
    expect(order).toEqual([
      ["module.b", ["module.b.aws_instance.a", "module.b.aws_instance.x"]],
      ["", ["aws_instance.r"]],
      ["module.a", ["module.a.aws_instance.y"]],
    ]);
  });
});

describe("oneLine", () => {
  it("writes control characters as \\u escapes and leaves the rest alone", () => {
    expect(oneLine("a\nb\tc\u007fd\u001f é")).toBe("a\\u000ab\\u0009c\\u007fd\\u001f é");
    expect(oneLine("aws_instance.web")).toBe("aws_instance.web");
  });
});

describe("byModuleInReviewOrder", () => {
  it("gives the modules and changes of byModule(inReviewOrder(...)), in the same order", () => {
    const change = fc.record({
      // Few distinct values, so ties in kind, address and module are common (deposed objects share an address).
      module: fc.constantFrom("", "module.a", "module.b", "module.c"),
      name: fc.constantFrom("x", "y", "z"),
      kind: fc.constantFrom(...KIND_ORDER),
      serial: fc.nat(),
    });
    fc.assert(
      fc.property(fc.array(change, { maxLength: 40 }), (specs) => {
        const changes = specs.map(
          (s) =>
            ({
              address: `${s.module ? `${s.module}.` : ""}aws_instance.${s.name}`,
              moduleAddress: s.module,
              kind: s.kind,
              deposed: String(s.serial),
            }) as unknown as ResourceChange,
        );
        // Compared by position in the input, so equal-looking changes in a different order differ.
        const positions = (groups: Iterable<[string, ResourceChange[]]>) =>
          [...groups].map(([module, list]) => [module, list.map((c) => changes.indexOf(c))]);
        expect(positions(byModuleInReviewOrder(changes))).toEqual(
          positions(byModule(inReviewOrder(changes))),
        );
      }),
      { numRuns: 300 },
    );
  });
});
