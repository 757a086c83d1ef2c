import fc from "fast-check";

// Mutation runs must repeat: every property test draws the same cases (override with FC_SEED).
fc.configureGlobal({ seed: Number(process.env.FC_SEED ?? 20_261_202) });
