// Makes Stryker's incremental file the same from every run and every checkout that found the same results, so
// that a run which changed nothing leaves the committed `stryker/incremental.json` as it is.
//
// - Stryker numbers the tests in the order they ran, and vitest orders test files by its cache of past results
//   (the file that failed last runs first, which is what makes a run fast: consecutive mutants tend to be killed
//   by the same file). Tests are renumbered here in path, position and name order.
// - `projectRoot` is the checkout's absolute path, which Stryker does not read back; it is written as ".".
import { existsSync, readFileSync, writeFileSync } from "node:fs";

const byKey = (a, b) => (a < b ? -1 : a > b ? 1 : 0);

/** The report with its tests renumbered in a stable order and its project root written as ".". */
export function normalizeIncremental(report) {
  const testFiles = Object.keys(report.testFiles ?? {}).sort(byKey);
  const newId = new Map();
  const renumbered = {};
  for (const file of testFiles) {
    const entry = report.testFiles[file];
    const tests = [...entry.tests].sort(
      (a, b) =>
        (a.location?.start.line ?? 0) - (b.location?.start.line ?? 0) ||
        (a.location?.start.column ?? 0) - (b.location?.start.column ?? 0) ||
        byKey(a.name, b.name),
    );
    renumbered[file] = {
      ...entry,
      tests: tests.map((test) => {
        const id = String(newId.size);
        newId.set(test.id, id);
        return { ...test, id };
      }),
    };
  }
  const ids = (list) =>
    list === undefined
      ? undefined
      : list.map((id) => newId.get(id) ?? id).sort((a, b) => Number(a) - Number(b));
  const files = {};
  for (const [file, entry] of Object.entries(report.files ?? {})) {
    files[file] = {
      ...entry,
      mutants: entry.mutants.map((mutant) => ({
        ...mutant,
        ...(mutant.coveredBy ? { coveredBy: ids(mutant.coveredBy) } : {}),
        ...(mutant.killedBy ? { killedBy: ids(mutant.killedBy) } : {}),
      })),
    };
  }
  return {
    ...report,
    files,
    testFiles: renumbered,
    ...("projectRoot" in report ? { projectRoot: "." } : {}),
  };
}

/** Rewrites the incremental file at `file` (as Stryker writes it: two-space JSON) when it exists. */
export function normalizeIncrementalFile(file) {
  if (!file || !existsSync(file)) return;
  const text = readFileSync(file, "utf8");
  const normal = JSON.stringify(normalizeIncremental(JSON.parse(text)), null, 2);
  if (normal !== text) writeFileSync(file, normal);
}
