import { defineConfig } from "vitest/config";
import { BaseSequencer, type TestSpecification } from "vitest/node";

/**
 * The files that take longest, started first so that two workers end together. Vitest orders by
 * the last run's durations, but a fresh clone (CI) has none and falls back to file size, which
 * put the 80-second accessibility walk last, alone on one core. Measured on 2026-12-04.
 */
const SLOW_FIRST = [
  "tests/e2e/pages.test.ts",
  "tests/e2e/accessibility.test.ts",
  "tests/e2e/defects.test.ts",
  "tests/e2e/server.test.ts",
  "tests/attack/sign-in.test.ts",
  "tests/attack/data-dir.test.ts",
  "tests/integration/backup.test.ts",
  "tests/integration/auth.test.ts",
];

class SlowFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (spec: TestSpecification) => {
      const i = SLOW_FIRST.findIndex((f) => spec.moduleId.endsWith(f));
      return i === -1 ? SLOW_FIRST.length : i;
    };
    // Groups run one after another: reorder only inside each group.
    const blocks = new Map<number, TestSpecification[]>();
    for (const spec of sorted) {
      const group = spec.project.config.sequence.groupOrder;
      blocks.set(group, [...(blocks.get(group) ?? []), spec]);
    }
    return [...blocks.values()].flatMap((block) => block.map((spec, i) => ({ spec, i })).sort((a, b) => rank(a.spec) - rank(b.spec) || a.i - b.i).map(({ spec }) => spec));
  }
}

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
    // Two files at a time on the project's two cores, from every project but the cluster's in one
    // pool: one file at a time left a core idle half the time, and a project waiting for the last
    // file of the one before it left one idle at every hand-over. The apps the browser and attack
    // files start no longer seed a database of their own (tests/setup/global-build.ts), which is
    // what made an app starting beside the integration files slow.
    maxWorkers: 2,
    sequence: { sequencer: SlowFirstSequencer },
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
          setupFiles: ["tests/setup/e2e-guard.ts", "tests/setup/shared-fixtures.ts", "tests/setup/server-report.ts"],
          // Generous: the browser tests share two cores with the other files running beside them.
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
      {
        extends: true,
        test: {
          // `npm run test:attack`: every probe of the attack-and-fault run, against a real server
          // on both databases (tests/attack/support.ts).
          name: "attack",
          include: ["tests/attack/**/*.test.ts"],
          globalSetup: ["tests/setup/global-build.ts"],
          setupFiles: ["tests/setup/e2e-guard.ts", "tests/setup/shared-fixtures.ts", "tests/setup/server-report.ts"],
          testTimeout: 180_000,
          hookTimeout: 180_000,
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
          setupFiles: ["tests/setup/server-report.ts"],
          testTimeout: 180_000,
          hookTimeout: 240_000,
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
