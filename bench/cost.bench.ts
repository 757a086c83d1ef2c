import { readFileSync } from "node:fs";
import { diffPlan, planRegion } from "../core/cost/diff.ts";
import { parsePriceData } from "../core/cost/prices.ts";
import { diffText } from "../core/cost/render.ts";
import { parsePlan } from "../core/plan/parse.ts";
import { renderMarkdown } from "../core/plan/render/markdown.ts";
import { reviewPlan } from "../core/plan/review.ts";
import { generatePlan } from "../core/plan/test/generate-plan.ts";
import { median, ms, writeSection } from "./harness.ts";

/**
 * `sluice cost diff` of a generated 10,000-change plan against the full plan review of the same text,
 * timed alternately in one process. Target: cost ≤ 1.5× the plan review.
 */
const CHANGES = 10_000;
const RUNS = 7;

/** The generated plan, with the attributes pricing reads filled in (instance types, DB classes). */
function pricedPlanText(): string {
  const plan = generatePlan({ changes: CHANGES }) as {
    resource_changes: { type: string; change: { before: unknown; after: unknown } }[];
  };
  const fill = (type: string, v: unknown, i: number) => {
    if (!v || typeof v !== "object") return;
    const o = v as Record<string, unknown>;
    if (type === "aws_instance") o.instance_type = ["m6i.large", "m7g.xlarge", "c6g.2xlarge"][i % 3];
    if (type === "aws_db_instance")
      Object.assign(o, {
        engine: "postgres",
        instance_class: "db.m6g.large",
        allocated_storage: 100,
        storage_type: "gp3",
        multi_az: i % 2 === 0,
      });
  };
  plan.resource_changes.forEach((c, i) => {
    fill(c.type, c.change.before, i);
    fill(c.type, c.change.after, i + 1);
  });
  return JSON.stringify(plan);
}

const prices = parsePriceData(
  readFileSync(new URL("../core/cost/aws-prices.json", import.meta.url), "utf8"),
  "aws-prices.json",
);

function cost(text: string): string {
  const plan = parsePlan(text, "plan.json");
  const d = diffPlan(plan, prices, { region: planRegion(text) ?? "eu-west-1" });
  return diffText(d, true);
}

function review(text: string): string {
  return renderMarkdown(reviewPlan(parsePlan(text, "plan.json")));
}

const text = pricedPlanText();
const fileMb = text.length / 1e6;
console.log(`plan: ${CHANGES} resource changes, ${fileMb.toFixed(1)} MB`);
cost(text);
review(text);
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
const costTimes: number[] = [];
const reviewTimes: number[] = [];
for (let i = 0; i < RUNS; i++) {
  gc();
  let start = performance.now();
  review(text);
  reviewTimes.push(performance.now() - start);
  gc();
  start = performance.now();
  cost(text);
  costTimes.push(performance.now() - start);
}
const reviewMs = median(reviewTimes);
const costMs = median(costTimes);
const ratio = costMs / reviewMs;
const pass = ratio <= 1.5;
console.log(`plan review median ${ms(reviewMs)}; cost diff median ${ms(costMs)}; ratio ${ratio.toFixed(2)}×`);
writeSection(
  "cost",
  `## Cost diff (\`npm run bench -- cost\`)

The generated 10,000-change plan of the plan-review benchmark (${fileMb.toFixed(1)} MB), with instance types and
PostgreSQL classes filled in so pricing does real lookups. Cost diff = \`parsePlan\` + \`diffPlan\` (eu-west-1) +
Markdown; baseline = the full plan review (\`parsePlan\` + \`reviewPlan\` + \`renderMarkdown\`) of the same text.
Medians of ${RUNS} alternating runs in one process after a warm-up, \`gc()\` before each.

| measure | baseline: plan review | cost diff | ratio | target | result |
|---|---:|---:|---:|---:|---|
| time (median) | ${ms(reviewMs)} | ${ms(costMs)} | ${ratio.toFixed(2)}× | ≤ 1.5× | ${pass ? "pass" : "FAIL"} |`,
);
if (!pass) process.exitCode = 1;
