import { defineConfig } from "vitest/config";

// Files named *.postgres.test.ts test only against a real PostgreSQL server (TEST_DATABASE_URL). Without one
// they are left out, saying so; with CI=true they stay in, and `postgresOnly` fails them (test/databases.ts).
const postgresOnlyFiles = "**/*.postgres.test.ts";
const withoutPostgres = !process.env.TEST_DATABASE_URL && process.env.CI !== "true";
if (withoutPostgres) console.warn(`NOT RUN: ${postgresOnlyFiles}: TEST_DATABASE_URL is not set`);

export default defineConfig({
  test: {
    include: ["{infra,modules,environments,core,cli,webhook-service,bench,gitops,stryker}/**/*.test.ts"],
    exclude: ["**/node_modules/**", ...(withoutPostgres ? [postgresOnlyFiles] : [])],
    // Synth tests load provider bindings; the default 5 s is too tight on a loaded 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
  },
});
