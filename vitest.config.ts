import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["{infra,modules,environments,core,cli,webhook-service,bench,gitops}/**/*.test.ts"],
    // Synth tests load provider bindings; the default 5 s is too tight on a loaded 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
  },
});
