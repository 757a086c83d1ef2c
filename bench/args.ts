/** What `npm run bench -- [NAME] [--write]` asks for. */
export interface BenchArgs {
  /** Only benchmarks whose file name contains this. */
  readonly filter?: string;
  /** Rewrite the benchmarks' sections of docs/benchmarks.md; without it results are only printed. */
  readonly write: boolean;
}

/** Parses the benchmark runner's arguments; anything it does not know is an error naming it. */
export function parseBenchArgs(argv: readonly string[]): BenchArgs {
  let filter: string | undefined;
  let write = false;
  for (const arg of argv) {
    if (arg === "--write") write = true;
    else if (arg.startsWith("-")) throw new Error(`unknown option '${arg}' (expected: [NAME] [--write])`);
    else if (filter === undefined) filter = arg;
    else throw new Error(`expected at most one benchmark name, got '${filter}' and '${arg}'`);
  }
  return { ...(filter !== undefined ? { filter } : {}), write };
}

/** Set for the benchmark processes when the runner was given --write. */
export const WRITE_VARIABLE = "SLUICE_BENCH_WRITE";
