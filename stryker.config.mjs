// Mutation testing of the change-control core: `npm run mutation` (see docs/testing.md).
/** @type {import("@stryker-mutator/api/core").PartialStrykerOptions} */
export default {
  mutate: [
    "{core/plan,core/policy,core/glossary}/**/*.ts",
    "core/bisect.ts",
    // The service's decision and gate logic, once it lands.
    "webhook-service/src/gate/decide.ts",
    "!**/*.test.ts",
    "!**/test/**",
  ],
  testRunner: "vitest",
  vitest: { configFile: "vitest.mutation.config.ts", related: true, pool: "threads" },
  coverageAnalysis: "perTest",
  // Mutants that do not compile are "CompileError", left out of the score. The checker (stryker/tsgo-checker.mjs)
  // type-checks with TypeScript 7's own API, only the mutated file and the files that import it.
  plugins: ["@stryker-mutator/vitest-runner", "./stryker/tsgo-checker.mjs"],
  checkers: ["tsgo"],
  tsconfigFile: "stryker/tsconfig.checker.json",
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
