import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, it } from "vitest";

/**
 * Tests over the real fixtures in ../shared/fixtures (beside the repository in CI, absent in a fork).
 * When a folder is missing, the tests that need it are replaced by one test that says so in the test
 * output: a warning outside CI, a failure under CI=true (where the fixtures must be present).
 */

export type SharedFixtures = "plans" | "webhooks";

const ROOT = new URL("../../../shared/fixtures/", import.meta.url);

/** The folder ../shared/fixtures/<name>/, as a URL ending in "/". */
export function sharedFixturesDir(name: SharedFixtures): URL {
  return new URL(`${name}/`, ROOT);
}

/** The body of the test that stands in for tests that could not run: throws under CI, warns elsewhere. */
export function missingFixtures(
  dir: string,
  what: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
): () => void {
  const message = `${dir} is missing (a fork without ../shared?): ${what} did not run.`;
  return () => {
    if (env.CI === "true") throw new Error(`${message} CI=true: the shared fixtures must be present.`);
    console.warn(`NOT RUN: ${message}`);
  };
}

/** `describe(title, body)` when ../shared/fixtures/<name> exists; otherwise one test saying it did not run. */
export function describeWithSharedFixtures(name: SharedFixtures, title: string, body: () => void): void {
  const dir = sharedFixturesDir(name);
  if (existsSync(dir)) describe(title, body);
  else
    it(
      `${title}: NOT RUN, ../shared/fixtures/${name} is missing`,
      missingFixtures(fileURLToPath(dir), `"${title}"`),
    );
}

/** `it(title, body)` when ../shared/fixtures/<name> exists; otherwise a test with the same title saying it did not run. */
export function itWithSharedFixtures(name: SharedFixtures, title: string, body: () => void): void {
  const dir = sharedFixturesDir(name);
  if (existsSync(dir)) it(title, body);
  else
    it(
      `${title}: NOT RUN, ../shared/fixtures/${name} is missing`,
      missingFixtures(fileURLToPath(dir), `"${title}"`),
    );
}
