import { describe, expect, it } from "vitest";
import { actionLabel } from "./actions.ts";
import { parsePlan } from "./parse.ts";
import { renderJson } from "./render/json.ts";
import { renderMarkdown } from "./render/markdown.ts";
import { renderText } from "./render/text.ts";
import { reviewPlan, summaryLine } from "./review.ts";
import { type ChangeSpec, planText } from "./test/plans.ts";

const review = (text: string) => reviewPlan(parsePlan(text));

describe("counts agree with terraform's summary", () => {
  it("an import with changes counts as one import and one update (1 to import, 0 to add, 1 to change)", () => {
    const r = review(
      planText([
        {
          actions: ["update"],
          before: { tags: {} },
          after: { tags: { a: "b" } },
          changeExtra: { importing: { id: "i-1" } },
        },
      ]),
    );
    expect(r.counts).toMatchObject({ import: 1, update: 1, create: 0, move: 0 });
    expect(r.summary).toEqual({ import: 1, add: 0, change: 1, destroy: 0 });
    expect(summaryLine(r.summary)).toBe("Plan: 1 to import, 0 to add, 1 to change, 0 to destroy.");
    expect(renderMarkdown(r)).toContain("Plan: 1 to import, 0 to add, 1 to change, 0 to destroy.");
    expect(renderText(r)).toContain("Plan: 1 to import, 0 to add, 1 to change, 0 to destroy.");
    expect(JSON.parse(renderJson(r)).summary).toEqual(r.summary);
  });

  it("a pure import counts only as an import", () => {
    const r = review(planText([{ actions: ["no-op"], changeExtra: { importing: { id: "i-1" } } }]));
    expect(r.counts).toMatchObject({ import: 1, update: 0 });
    expect(r.summary).toEqual({ import: 1, add: 0, change: 0, destroy: 0 });
  });

  it("a moved resource with changes counts as an update and shows the move; a pure move counts as a move", () => {
    const r = review(
      planText([
        { actions: ["update"], name: "b", extra: { previous_address: "aws_instance.old_b" } },
        { actions: ["no-op"], name: "c", extra: { previous_address: "aws_instance.old_c" } },
      ]),
    );
    expect(r.counts).toMatchObject({ update: 1, move: 1 });
    expect(r.summary).toEqual({ import: 0, add: 0, change: 1, destroy: 0 });
    expect(summaryLine(r.summary)).toBe("Plan: 0 to add, 1 to change, 0 to destroy.");
    const moved = r.changes[0];
    expect(moved && actionLabel(moved)).toBe("move, then update in-place");
    expect(renderMarkdown(r)).toContain("moved from `aws_instance.old_b`");
  });

  it("a replace adds and destroys, create-then-forget only adds, a deleted data source is not a destroy", () => {
    const r = review(
      planText([
        { actions: ["delete", "create"], name: "a" },
        { actions: ["create", "forget"], name: "b" },
        { actions: ["delete"], name: "c" },
        { actions: ["delete"], name: "d", extra: { mode: "data", address: "data.aws_instance.d" } },
        { actions: ["create"], name: "e" },
      ]),
    );
    expect(r.summary).toEqual({ import: 0, add: 3, change: 0, destroy: 2 });
  });
  it("each change alone: a create adds, a managed delete or a replace destroys, a data source or a forgotten old object does not", () => {
    const summary = (spec: ChangeSpec) => review(planText([spec])).summary;
    expect(summary({ actions: ["create"] })).toEqual({ import: 0, add: 1, change: 0, destroy: 0 });
    expect(summary({ actions: ["delete"] })).toEqual({ import: 0, add: 0, change: 0, destroy: 1 });
    expect(summary({ actions: ["delete"], extra: { mode: "data", address: "data.aws_instance.d" } })).toEqual(
      { import: 0, add: 0, change: 0, destroy: 0 },
    );
    expect(summary({ actions: ["delete", "create"] })).toEqual({ import: 0, add: 1, change: 0, destroy: 1 });
    expect(summary({ actions: ["create", "delete"] })).toEqual({ import: 0, add: 1, change: 0, destroy: 1 });
    expect(summary({ actions: ["create", "forget"] })).toEqual({ import: 0, add: 1, change: 0, destroy: 0 });
    // An action list Sluice does not know is counted as unknown, in no column of terraform's line.
    const unknown = review(planText([{ actions: ["update", "delete"] }]));
    expect(unknown.counts).toMatchObject({ unknown: 1, update: 0, delete: 0 });
    expect(unknown.summary).toEqual({ import: 0, add: 0, change: 0, destroy: 0 });
  });
});
