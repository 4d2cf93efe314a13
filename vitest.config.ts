/**
 * One test runner for the whole repo. Unit tests sit beside the code (x.test.ts); integration
 * suites live in each package's test/ folder and start real servers. Nothing here depends on
 * machine speed: timeouts are generous ceilings for hung tests, never performance assertions.
 */
import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: [
      "packages/*/src/**/*.test.ts",
      "packages/*/test/**/*.test.ts",
      "apps/*/src/**/*.test.ts",
      "apps/*/test/**/*.test.ts",
      "examples/*/test/**/*.test.ts",
    ],
    exclude: ["**/node_modules/**", "**/.next/**"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    // one file per core, not vitest's default of cores - 1 (a single worker on the 2-core CI
    // machines): the integration suites spend most of their time waiting on real servers'
    // timers (session timeouts, grace periods, JVM start), so two files at once keep both busy
    maxWorkers: Math.max(2, availableParallelism()),
    reporters: ["default", "./tooling/summary-reporter.ts"],
  },
});
