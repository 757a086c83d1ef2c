import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { planDigest } from "./digest.ts";
import { parsePlan } from "./parse.ts";
import { generatePlan } from "./test/generate-plan.ts";
import { planText } from "./test/plans.ts";
import type { NormalizedPlan } from "./types.ts";

/**
 * The digest as its documentation defines it: SHA-512/256 of the UTF-8 of one JSON.stringify of every
 * record. The streamed implementation must give the same value, so digests approved earlier stay valid.
 */
function referenceDigest(plan: Pick<NormalizedPlan, "changes" | "outputs">): string {
  const changes = [...plan.changes].sort((a, b) =>
    a.address === b.address
      ? (a.deposed ?? "").localeCompare(b.deposed ?? "")
      : a.address < b.address
        ? -1
        : 1,
  );
  const outputs = [...plan.outputs].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const text = JSON.stringify([
    "sluice-plan-digest/v1",
    changes.map((c) => [
      c.address,
      c.deposed ?? null,
      c.previousAddress ?? null,
      c.importing?.id ?? null,
      c.actions,
      c.kind === "noop" || c.kind === "read" ? null : c.after,
    ]),
    outputs.map((o) => [o.name, o.actions, o.after]),
  ]);
  return `sha512-256:${createHash("sha512-256").update(text, "utf8").digest("hex")}`;
}

describe("planDigest streaming", () => {
  it("equals one stringify of all records on a generated plan larger than one chunk", () => {
    const plan = parsePlan(JSON.stringify(generatePlan({ changes: 300 })));
    expect(planDigest(plan)).toBe(referenceDigest(plan));
  });

  it("equals the reference for any values: non-ASCII, surrogates, masks, exact numbers, outputs", () => {
    const value = fc.jsonValue({ maxDepth: 3 });
    const change = fc.record({
      name: fc.string({ minLength: 1, maxLength: 8 }),
      actions: fc.constantFrom(["create"], ["update"], ["no-op"], ["delete", "create"], ["read"]),
      before: value,
      after: value,
      // Long strings make some records cross the 64 KB chunk boundary with multi-byte text.
      filler: fc.constantFrom("", "é".repeat(70_000), "a".repeat(70_000), "\u{1F600}".repeat(20_000)),
      sensitive: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(change, { maxLength: 6 }), fc.dictionary(fc.string(), value), (specs, outs) => {
        const text = planText(
          specs.map((s, i) => ({
            name: `r${i}_${s.name}`,
            address: `aws_instance.r${i}`,
            actions: s.actions,
            before: { v: s.before },
            after: { v: s.after, filler: s.filler, big: 1 },
            afterSensitive: s.sensitive ? { v: true } : {},
          })),
          {
            output_changes: Object.fromEntries(
              Object.entries(outs).map(([k, v]) => [k, { actions: ["update"], before: null, after: v }]),
            ),
          },
        ).replaceAll('"big":1', '"big":123456789012345678901');
        const plan = parsePlan(text);
        expect(planDigest(plan)).toBe(referenceDigest(plan));
      }),
      { numRuns: 60 },
    );
  });
});

describe("planDigest of masked values", () => {
  it("differs from the digest of a plain object that looks like the marker", () => {
    const digestOf = (after: unknown, afterSensitive: unknown) =>
      planDigest(
        parsePlan(
          planText([{ type: "aws_instance", name: "a", actions: ["update"], after, afterSensitive }]),
        ),
      );
    const masked = digestOf({ v: "secret" }, { v: true });
    expect(digestOf({ v: "other secret" }, { v: true })).toBe(masked);
    expect(digestOf({ v: { "": "sensitive" } }, {})).not.toBe(masked);
  });
});

describe("planDigest order", () => {
  const changes = [
    { address: "aws_instance.b", name: "b", actions: ["create"], after: { v: 1 } },
    { address: "aws_instance.a", name: "a", actions: ["update"], after: { v: 2 } },
    { address: "aws_instance.a", name: "a", actions: ["delete"], extra: { deposed: "00000002" } },
    { address: "aws_instance.a", name: "a", actions: ["delete"], extra: { deposed: "0000000a" } },
  ];
  const outputs = {
    z: { actions: ["create"], before: null, after: 1 },
    a: { actions: ["create"], before: null, after: 2 },
  };

  function permutations<T>(items: readonly T[]): T[][] {
    if (items.length <= 1) return [[...items]];
    return items.flatMap((item, i) =>
      permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]),
    );
  }

  it("does not depend on the order of changes, deposed objects included, or of outputs", () => {
    const expected = referenceDigest(parsePlan(planText(changes, { output_changes: outputs })));
    const reversedOutputs = Object.fromEntries(Object.entries(outputs).reverse());
    for (const order of permutations(changes)) {
      expect(planDigest(parsePlan(planText(order, { output_changes: outputs })))).toBe(expected);
      expect(planDigest(parsePlan(planText(order, { output_changes: reversedOutputs })))).toBe(expected);
    }
  });
});

describe("planDigest binds", () => {
  const digestOf = (extra: Record<string, unknown>, changeExtra: Record<string, unknown>) => {
    const plan = parsePlan(
      planText([
        { type: "aws_instance", name: "a", actions: ["update"], after: { v: 1 }, extra, changeExtra },
      ]),
    );
    const digest = planDigest(plan);
    expect(digest).toBe(referenceDigest(plan));
    return digest;
  };

  it("the deposed key, the previous address and the import id of a change", () => {
    const digests = [
      digestOf({}, {}),
      digestOf({ deposed: "00000001" }, {}),
      digestOf({ deposed: "00000002" }, {}),
      digestOf({ previous_address: "aws_instance.old" }, {}),
      digestOf({ previous_address: "aws_instance.older" }, {}),
      digestOf({}, { importing: { id: "i-1" } }),
      digestOf({}, { importing: { id: "i-2" } }),
    ];
    expect(new Set(digests).size).toBe(digests.length);
  });
});
