import { readFileSync, writeFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { WRITE_VARIABLE } from "./args.ts";

/** The median of a non-empty list of numbers. */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error("median of an empty list");
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Runs `fn` `runs` times after one warm-up and returns each run's wall time in milliseconds. */
export async function timeRuns(fn: () => unknown, runs: number, warmup = 1): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  return times;
}

/** Peak resident memory of this process so far, in MB. */
export function peakRssMb(): number {
  return process.resourceUsage().maxRSS / 1024;
}

const DEFAULT_DOC = new URL("../docs/benchmarks.md", import.meta.url);

/**
 * Replaces the section between `<!-- bench:AREA -->` and `<!-- /bench:AREA -->` in docs/benchmarks.md,
 * appending it when absent, so each benchmark owns its own part of the page. Only when the runner was
 * given --write (or `options.write` says so); otherwise the page is left alone. Returns whether it wrote.
 */
export function writeSection(
  area: string,
  markdown: string,
  options: { readonly write?: boolean; readonly doc?: URL | string } = {},
): boolean {
  if (!(options.write ?? process.env[WRITE_VARIABLE] === "1")) return false;
  const DOC = options.doc ?? DEFAULT_DOC;
  let doc: string;
  try {
    doc = readFileSync(DOC, "utf8");
  } catch {
    doc =
      "# Benchmarks\n\nMade by `npm run bench -- --write` on the development machine (2 cores, 24 GiB, shared and noisy). Every figure is a median, beside a baseline measured in the same run.\n";
  }
  const open = `<!-- bench:${area} -->`;
  const close = `<!-- /bench:${area} -->`;
  const block = `${open}\n${markdown.trim()}\n${close}`;
  const start = doc.indexOf(open);
  const end = doc.indexOf(close);
  const next =
    start >= 0 && end > start
      ? doc.slice(0, start) + block + doc.slice(end + close.length)
      : `${doc.trimEnd()}\n\n${block}\n`;
  writeFileSync(DOC, next);
  return true;
}

/** Formats a number of milliseconds for the docs. */
export function ms(value: number): string {
  return value >= 100 ? `${value.toFixed(0)} ms` : `${value.toFixed(2)} ms`;
}
