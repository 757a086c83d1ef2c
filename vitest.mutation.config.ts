import { defineConfig } from "vitest/config";
import { BaseSequencer, type TestSpecification } from "vitest/node";

/**
 * Test files in path order. Vitest's own order follows its cache of past durations, which differs from machine to
 * machine; Stryker numbers the tests in the order they run, so with it every run rewrote the committed
 * `stryker/incremental.json` with the same results under other test numbers.
 */
class PathOrder extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    return [...files].sort((a, b) => (a.moduleId < b.moduleId ? -1 : a.moduleId > b.moduleId ? 1 : 0));
  }
}

// The tests Stryker runs (`npm run mutation`): those of the mutated code only, not the slow synth tests,
// with property tests on a fixed seed so that two runs on the same code give the same score.
export default defineConfig({
  test: {
    include: [
      "{core/plan,core/policy,core/glossary}/**/*.test.ts",
      "core/bisect.test.ts",
      "webhook-service/src/gate/decide.test.ts",
    ],
    setupFiles: ["stryker/fast-check-seed.ts"],
    sequence: { sequencer: PathOrder },
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
