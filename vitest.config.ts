import { defineConfig } from "vitest/config";

const integration = (driver: "postgres" | "pglite") => ({
  extends: true as const,
  test: {
    name: `integration-${driver}`,
    include: ["tests/integration/**/*.test.ts"],
    globalSetup: ["tests/setup/global-database.ts"],
    // A small API rate limit so its test trips it quickly (each test token has its own bucket).
    env: { TEST_DB: driver, API_RATE_BURST: "20", API_RATE_PER_SECOND: "1" },
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});

export default defineConfig({
  test: {
    env: {
      // Tests never read ./data: a fixed secret, quiet logs.
      SESSION_SECRET: "test-secret-test-secret-test-secret-0123456789",
      LOG_LEVEL: "silent",
      NODE_ENV: "test",
    },
    reporters: ["default", "./tests/support/summary-reporter.ts"],
    projects: [
      { extends: true, test: { name: "unit", include: ["tests/unit/**/*.test.{ts,tsx}"] } },
      integration("postgres"),
      integration("pglite"),
      {
        extends: true,
        test: {
          name: "e2e",
          include: ["tests/e2e/**/*.test.ts"],
          globalSetup: ["tests/setup/global-build.ts"],
          setupFiles: ["tests/setup/e2e-guard.ts"],
          // Generous: the browser tests share two cores with the integration projects running beside them.
          testTimeout: 180_000,
          hookTimeout: 180_000,
          // One browser and one app at a time, after the other projects: the machine has two cores,
          // and an app starting beside the integration suites can take a minute to initialise PGlite.
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
      {
        extends: true,
        test: {
          // `npm run test:attack`: every probe of the attack-and-fault run, against a real server
          // on both databases (tests/attack/support.ts). After the browser tests, one file at a time.
          name: "attack",
          include: ["tests/attack/**/*.test.ts"],
          globalSetup: ["tests/setup/global-build.ts"],
          setupFiles: ["tests/setup/e2e-guard.ts"],
          testTimeout: 180_000,
          hookTimeout: 180_000,
          fileParallelism: false,
          sequence: { groupOrder: 2 },
        },
      },
      {
        extends: true,
        test: {
          // `npm run test:cluster`: two instances and nginx (skipped where nginx is not installed;
          // .ci/run installs it). Last, alone: it starts three servers.
          name: "cluster",
          include: ["tests/cluster/**/*.test.ts"],
          globalSetup: ["tests/setup/global-build.ts"],
          testTimeout: 180_000,
          hookTimeout: 240_000,
          fileParallelism: false,
          sequence: { groupOrder: 3 },
        },
      },
    ],
  },
});
