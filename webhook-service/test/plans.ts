import { existsSync, readFileSync } from "node:fs";

/** The shared corpus of real `terraform show -json` outputs (../shared/fixtures/plans, outside this repository). */
export const SHARED_PLANS = new URL("../../../shared/fixtures/plans/", import.meta.url);

/**
 * Reads one real plan from the shared corpus. When the corpus is absent, the test that needs it fails with a
 * message saying so (it is never skipped silently).
 */
export function sharedPlan(name: string): string {
  const file = new URL(name, SHARED_PLANS);
  if (!existsSync(file)) {
    throw new Error(
      `needs ../shared/fixtures/plans/${name} (the shared plan corpus), which is absent on this machine`,
    );
  }
  return readFileSync(file, "utf8");
}

/** A plan with a sensitive attribute and a sensitive output whose plaintext is "boop". */
export const SENSITIVE_PLAN =
  "hashicorp_terraform__internal__command__testdata__show-json__sensitive-values__output.json";
/** A plan creating, updating and deleting resources. */
export const BASIC_PLAN = "hashicorp_terraform-json__testdata__basic__plan.json";
