import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { tableIn } from "../core/cost/table.ts";
import { COST_DOC, currentCostTable } from "./cost-table.ts";

describe("docs/cost.md", () => {
  it("shows each environment's monthly estimate as synthesized today (run `npx tsx infra/cost-table.ts` to refresh)", () => {
    const table = currentCostTable();
    expect(table).toMatch(/\| dev \| eu-west-1 \| \$\d/);
    expect(table).toMatch(/\| prod \| eu-west-1 \| \$\d/);
    expect(tableIn(readFileSync(COST_DOC, "utf8"))).toBe(table);
  });
});
