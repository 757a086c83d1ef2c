import fc from "fast-check";

// Mutation runs must repeat: every property test draws the same cases (override with FC_SEED). They run
// fewer cases than in `npm test` (FC_NUM_RUNS, default 50): property tests that state their own numRuns take
// this one when it is set (`fc.readConfigureGlobal().numRuns ?? their own`), so that a mutant that survives
// does not pay for hundreds of cases in each of them.
fc.configureGlobal({
  seed: Number(process.env.FC_SEED ?? 20_261_202),
  numRuns: Number(process.env.FC_NUM_RUNS ?? 50),
});
