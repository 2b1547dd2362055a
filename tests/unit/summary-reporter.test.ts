import { spawnSync } from "node:child_process";
import path from "node:path";
import { expect, it } from "vitest";
import { root } from "../../server/build-if-stale.mjs";

it("counts a file that failed in a hook or on import as failed in the closing line", () => {
  const fixtures = path.join(root, "tests/fixtures/summary");
  const run = spawnSync(process.execPath, [path.join(root, "node_modules/vitest/vitest.mjs"), "run", "--config", "vitest.config.ts"], {
    cwd: fixtures,
    encoding: "utf8",
    env: { ...process.env, NODE_ENV: "test" },
  });
  const lastLine = run.stdout.trim().split("\n").at(-1);
  expect(lastLine).toBe("1 passed, 2 failed, 2 skipped");
  expect(run.status).not.toBe(0);
}, 60_000);
