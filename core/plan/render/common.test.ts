import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { KIND_ORDER } from "../actions.ts";
import type { ResourceChange } from "../types.ts";
import { byModule, byModuleInReviewOrder, inReviewOrder } from "./common.ts";

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
