import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { median, ms, writeSection } from "./harness.ts";

/**
 * Synth benchmark: the whole platform (every environment, every stack, plus the rule set) against a
 * baseline that only root-imports @cdktf/provider-aws and synthesizes one VPC. Each run is a fresh
 * process, timed from spawn to exit; peak memory is the child's own maxRSS.
 */
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

interface Sample {
  readonly ms: number;
  readonly maxRssMb: number;
}

function runOnce(script: string): Sample {
  const outdir = mkdtempSync(join(tmpdir(), "sluice-bench-"));
  try {
    const start = performance.now();
    const child = spawnSync(
      process.execPath,
      [
        "--import",
        "tsx",
        "-e",
        `await import(${JSON.stringify(`./${script}`)}); console.log(JSON.stringify({ maxRssMb: process.resourceUsage().maxRSS / 1024 }))`,
      ],
      { encoding: "utf8", env: { ...process.env, SLUICE_OUTDIR: outdir, CDKTF_OUTDIR: outdir } },
    );
    const elapsed = performance.now() - start;
    if (child.status !== 0) throw new Error(`${script} exited ${child.status}: ${child.stderr}`);
    const last = child.stdout.trim().split("\n").at(-1) ?? "{}";
    return { ms: elapsed, maxRssMb: (JSON.parse(last) as { maxRssMb: number }).maxRssMb };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

function series(script: string): { ms: number; maxRssMb: number; runs: number[] } {
  runOnce(script); // warm the file-system cache
  const samples: Sample[] = [];
  for (let i = 0; i < RUNS; i++) samples.push(runOnce(script));
  return {
    ms: median(samples.map((s) => s.ms)),
    maxRssMb: median(samples.map((s) => s.maxRssMb)),
    runs: samples.map((s) => Math.round(s.ms)),
  };
}

const baseline = series("infra/synth-baseline.ts");
const platform = series("infra/main.ts");
const ratio = platform.ms / baseline.ms;
const timePass = platform.ms < baseline.ms;
const memoryPass = platform.maxRssMb < 600;

const markdown = `## Synth: every environment vs. a root import of the AWS provider

Command: \`npm run bench -- synth\` (${RUNS} runs each after one warm-up, each a fresh \`node --import tsx\` process, timed from spawn to exit).

| what | median time | median peak memory | runs (ms) |
| --- | --- | --- | --- |
| baseline: root import of \`@cdktf/provider-aws\`, one VPC | ${ms(baseline.ms)} | ${baseline.maxRssMb.toFixed(0)} MB | ${baseline.runs.join(", ")} |
| \`npm run synth\`: dev, staging, prod (all stacks) + rule set | ${ms(platform.ms)} | ${platform.maxRssMb.toFixed(0)} MB | ${platform.runs.join(", ")} |

Ratio (platform / baseline): **${ratio.toFixed(2)}×**. Target: all environments in less time than the baseline alone (${timePass ? "met" : "NOT met"}) and under 600 MB (${memoryPass ? "met" : "NOT met"}).
`;
console.log(markdown);
writeSection("synth", markdown);
