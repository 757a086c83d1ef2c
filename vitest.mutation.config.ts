import { defineConfig } from "vitest/config";

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
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
