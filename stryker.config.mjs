// Mutation testing of the change-control core: `npm run mutation` (see docs/testing.md).
/** @type {import("@stryker-mutator/api/core").PartialStrykerOptions} */
export default {
  mutate: [
    "{core/plan,core/policy,core/glossary}/**/*.ts",
    // The service's decision and gate logic, once it lands.
    "webhook-service/src/gate/decide.ts",
    "!**/*.test.ts",
    "!**/test/**",
  ],
  testRunner: "vitest",
  vitest: { configFile: "vitest.mutation.config.ts", related: true },
  coverageAnalysis: "perTest",
  // Mutants that do not compile are "CompileError", left out of the score. TypeScript 7 has no compiler API:
  // stryker/typescript-5.9.mjs gives the checker TypeScript 5.9 (package.json: "typescript-5.9").
  checkers: ["typescript"],
  tsconfigFile: "stryker/tsconfig.checker.json",
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  concurrency: 2,
  incremental: true,
  incrementalFile: "stryker/incremental.json",
  reporters: ["html", "json", "clear-text", "progress"],
  htmlReporter: { fileName: "reports/mutation/mutation.html" },
  jsonReporter: { fileName: "reports/mutation/mutation.json" },
  clearTextReporter: { allowEmojis: false, logTests: false, reportScoreTable: true },
  // Only what the mutated code and its tests need is copied to the sandbox.
  ignorePatterns: [
    "/infra",
    "/modules",
    "/environments",
    "/cli",
    "/gitops",
    "/bench",
    "/cdktf.out",
    "/reports",
  ],
  tempDirName: ".stryker-tmp",
  cleanTempDir: true,
  timeoutMS: 10_000,
  thresholds: { high: 90, low: 80, break: null },
};
