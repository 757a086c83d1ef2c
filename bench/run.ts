import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { type BenchArgs, parseBenchArgs, WRITE_VARIABLE } from "./args.ts";

/**
 * Runs every bench/*.bench.ts in its own process (so peak memory is per benchmark), one after another.
 * Each benchmark prints its results; with --write it also rewrites its own section of docs/benchmarks.md.
 * `npm run bench -- glossary` runs only the benchmarks whose file name contains "glossary".
 */
let args: BenchArgs;
try {
  args = parseBenchArgs(process.argv.slice(2));
} catch (error) {
  console.error(`bench: ${(error as Error).message}`);
  process.exit(2);
}
const { filter, write } = args;
const files = readdirSync(new URL(".", import.meta.url))
  .filter((f) => f.endsWith(".bench.ts") && (!filter || f.includes(filter)))
  .sort();
if (files.length === 0) {
  console.error(`bench: no benchmark matches '${filter ?? ""}'`);
  process.exit(2);
}
let failed = 0;
for (const file of files) {
  console.log(`\n== ${file}`);
  const result = spawnSync(process.execPath, ["--import", "tsx", "--expose-gc", `bench/${file}`], {
    stdio: "inherit",
    env: { ...process.env, [WRITE_VARIABLE]: write ? "1" : "" },
  });
  if (result.status !== 0) {
    failed++;
    console.error(`bench: ${file} exited ${result.status}`);
  }
}
if (write) {
  // Sections are written as plain Markdown; the formatter lines their tables up so `npm run lint` passes.
  spawnSync("npx", ["biome", "format", "--write", "docs/benchmarks.md"], { stdio: "ignore" });
} else {
  console.log(
    "\nbench: docs/benchmarks.md left as it was; run `npm run bench -- --write` to record these figures.",
  );
}
process.exit(failed > 0 ? 1 : 0);
