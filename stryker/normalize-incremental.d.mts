// Types of normalize-incremental.mjs (plain JavaScript, because stryker/run.mjs runs before any TypeScript loader).
import type { schema } from "@stryker-mutator/api/core";

export function normalizeIncremental(report: schema.MutationTestResult): schema.MutationTestResult;
export function normalizeIncrementalFile(file: string | undefined): void;
