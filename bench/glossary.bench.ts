import { readFileSync } from "node:fs";
import { NameChecker, type NameUse } from "../core/glossary/check.ts";
import { checkFile } from "../core/glossary/files.ts";
import { parseGlossary } from "../core/glossary/parse.ts";
import type { NameTarget } from "../core/glossary/targets.ts";
import { median, ms, peakRssMb, timeRuns, writeSection } from "./harness.ts";

/**
 * Checking 100,000 names against the repository's glossary.md (target: < 1 s, linear in the count).
 * Names are realistic: 4–7 tokens, about 7 in 100 with an unknown or deprecated token, over a mix of
 * targets. Each run uses a fresh NameChecker, so the per-token cache is rebuilt every time.
 * Baseline, same run: only splitting each name into tokens (the floor any checker pays).
 */
const glossary = parseGlossary(readFileSync(new URL("../glossary.md", import.meta.url), "utf8"));
const terms = [...glossary.tokens.keys()];
const bad = ["ordrs", "production", "k8s", "databse", "foo", "prd", "clustr", "kubernetes"];
const targets: NameTarget[] = [
  "iam-role",
  "sqs-queue",
  "rds-identifier",
  "s3-bucket",
  "alb",
  "k8s-namespace",
  "generic",
];

let seed = 42;
const random = () => {
  seed = (seed * 1103515245 + 12345) % 2 ** 31;
  return seed / 2 ** 31;
};
const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;

function names(count: number): NameUse[] {
  const out: NameUse[] = [];
  for (let i = 0; i < count; i++) {
    const tokens = [pick(["dev", "staging", "prod"])];
    const n = 2 + Math.floor(random() * 4);
    for (let j = 0; j < n; j++) tokens.push(random() < 0.02 ? pick(bad) : pick(terms));
    tokens.push(String(i % 97));
    out.push({ file: "bench", name: tokens.join("-"), target: pick(targets) });
  }
  return out;
}

const runs = 7;
const sizes = [25_000, 50_000, 100_000];
const results: { size: number; check: number; split: number; findings: number }[] = [];
for (const size of sizes) {
  const uses = names(size);
  // Collect the garbage of generating the names, so it is not charged to the check (run with --expose-gc).
  (globalThis as { gc?: () => void }).gc?.();
  let findings = 0;
  const check = median(
    await timeRuns(() => {
      const checker = new NameChecker(glossary);
      findings = 0;
      for (const use of uses) findings += checker.check(use).length;
    }, runs),
  );
  const split = median(
    await timeRuns(() => {
      let tokens = 0;
      for (const use of uses) tokens += use.name.split(/[^A-Za-z0-9]+/).length;
      return tokens;
    }, runs),
  );
  results.push({ size, check, split, findings });
  console.log(`${size} names: check ${ms(check)} (split-only baseline ${ms(split)}), ${findings} findings`);
}

const at100k = results.find((r) => r.size === 100_000) as (typeof results)[number];
const at25k = results.find((r) => r.size === 25_000) as (typeof results)[number];
const scaling = at100k.check / at25k.check;
const fast = at100k.check < 1000;
// Linear: 4× the names should cost about 4× the time; on this noisy machine allow ×2 either way.
const linear = scaling > 2 && scaling < 8;
/**
 * A whole plan the size of the one that overflowed the stack: 58,000 resource changes in nested modules,
 * about 29 MB, each with a name and tags, 1 in 50 with a token outside the glossary. `checkFile` reads it as
 * the CLI does (parse, find the names, check them, add lines to the findings). Baseline: JSON.parse alone.
 */
const PLAN_RESOURCES = 58_000;
function planText(): string {
  const changes: string[] = [];
  for (let i = 0; i < PLAN_RESOURCES; i++) {
    const env = pick(["dev", "staging", "prod"]);
    const word = random() < 0.02 ? pick(bad) : pick(terms);
    const name = `${env}-${word}-${pick(terms)}-${i}`;
    const after = {
      name,
      delay_seconds: 0,
      kms_master_key_id: `alias/${env}-data-key`,
      tags: { Name: name, environment: env, component: word },
      tags_all: { Name: name, environment: env, component: word, "managed-by": "sluice" },
    };
    changes.push(
      JSON.stringify({
        address: `module.${env}.module.tenant_${i % 40}.aws_sqs_queue.queue_${i}`,
        mode: "managed",
        type: "aws_sqs_queue",
        name: `queue_${i}`,
        provider_name: "registry.terraform.io/hashicorp/aws",
        change: { actions: ["create"], before: null, after, after_unknown: { arn: true, id: true } },
      }),
    );
  }
  return `{"format_version":"1.2","terraform_version":"1.9.8","resource_changes":[\n${changes.join(",\n")}\n]}`;
}
const plan = planText();
const planMb = plan.length / 1024 / 1024;
(globalThis as { gc?: () => void }).gc?.();
const planRuns = 5;
let planFindings = 0;
const planCheck = median(
  await timeRuns(() => {
    planFindings = checkFile({ path: "plan.json", content: plan }, new NameChecker(glossary)).findings.length;
  }, planRuns),
);
const planParse = median(await timeRuns(() => JSON.parse(plan), planRuns));
console.log(
  `plan of ${PLAN_RESOURCES} resources (${planMb.toFixed(1)} MB): check ${ms(planCheck)} (JSON.parse baseline ${ms(planParse)}), ${planFindings} findings`,
);

const rss = peakRssMb();
console.log(
  `100k: ${ms(at100k.check)} (target < 1000 ms: ${fast ? "pass" : "FAIL"}); 25k→100k ×${scaling.toFixed(2)} (linear: ${linear ? "pass" : "FAIL"}); peak RSS ${rss.toFixed(0)} MB`,
);

writeSection(
  "glossary",
  `## Glossary: checking names

Command: \`npm run bench -- glossary\`. Median of ${runs} runs after one warm-up, each with a fresh \`NameChecker\`
(so the per-token cache and edit-distance suggestions are rebuilt every run). Names are 4–7 tokens from
glossary.md plus a number, about 7 in 100 with an unknown or deprecated token and some too long for their target, over ${targets.length} targets.
Baseline: only splitting the same names on separators, measured in the same run. Measured on the 2-core
development machine, whose host is shared and noisy: single sizes swing by up to 2×, so compare sizes\nwithin one run only loosely.

| names | check (median) | split-only baseline | ratio | findings |
|---:|---:|---:|---:|---:|
${results.map((r) => `| ${r.size.toLocaleString("en")} | ${ms(r.check)} | ${ms(r.split)} | ×${(r.check / r.split).toFixed(1)} | ${r.findings.toLocaleString("en")} |`).join("\n")}

Target: 100,000 names in under 1 s — **${fast ? "pass" : "fail"}** (${ms(at100k.check)}).
Linear in the number of names: 4× the names took ×${scaling.toFixed(2)} the time — **${linear ? "pass" : "fail"}** (pass between ×2 and ×8, i.e. 4× within the noise).

A whole plan the size of the one that once overflowed the stack: ${PLAN_RESOURCES.toLocaleString("en")} resource changes in nested
modules, ${planMb.toFixed(1)} MB, ${planFindings.toLocaleString("en")} findings, checked as \`sluice glossary check plan.json\` does it
(\`checkFile\`: parse, find the names, check them, add each finding's line). Median of ${planRuns} runs; baseline: \`JSON.parse\` of the
same text, same run.

| input | check (median) | JSON.parse baseline | ratio |
|---|---:|---:|---:|
| plan, ${PLAN_RESOURCES.toLocaleString("en")} resources, ${planMb.toFixed(1)} MB | ${ms(planCheck)} | ${ms(planParse)} | ×${(planCheck / planParse).toFixed(1)} |

Peak RSS of the benchmark process: ${rss.toFixed(0)} MB.`,
);
if (!fast || !linear) process.exitCode = 1;
