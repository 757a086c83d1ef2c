import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App } from "cdktf";
import { readSynthesizedStacks } from "../cli/synth-output.ts";
import { estimate } from "../core/cost/estimate.ts";
import { parsePriceData } from "../core/cost/prices.ts";
import { environmentTable, tableIn } from "../core/cost/table.ts";
import { environments } from "../environments/index.ts";
import { buildPlatform } from "./app.ts";

const ROOT = new URL("../", import.meta.url);
export const COST_DOC = new URL("docs/cost.md", ROOT);

/** Synthesizes every environment into a temporary folder and returns docs/cost.md's estimate table. */
export function currentCostTable(): string {
  const outdir = mkdtempSync(join(tmpdir(), "sluice-cost-table-"));
  try {
    const app = new App({ outdir });
    buildPlatform(
      app,
      environments.map((e) => e.config),
    );
    app.synth();
    const stacks = readSynthesizedStacks(outdir, process.cwd());
    const prices = parsePriceData(
      readFileSync(new URL("core/cost/aws-prices.json", ROOT), "utf8"),
      "core/cost/aws-prices.json",
    );
    return environmentTable(estimate(stacks, prices));
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

// `npx tsx infra/cost-table.ts` rewrites the table in docs/cost.md.
if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split("/").pop() ?? "")) {
  const doc = readFileSync(COST_DOC, "utf8");
  const old = tableIn(doc);
  if (!old) throw new Error("docs/cost.md has no cost-table markers");
  writeFileSync(COST_DOC, doc.replace(old, currentCostTable()));
  console.log("docs/cost.md: estimate table updated");
}
