// `npm test`: builds the app if needed, then runs every vitest project (unit, integration on
// PostgreSQL and PGlite, e2e in Chromium). The last line is "N passed, N failed, N skipped";
// the exit code is vitest's, so CI fails when anything fails.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { buildIfStale, root } from "../server/build-if-stale.mjs";

buildIfStale();
process.env.TEST_DATABASE_URL ||= "postgres://postgres@127.0.0.1:5432/test";
const vitest = path.join(root, "node_modules/vitest/vitest.mjs");
const result = spawnSync(process.execPath, [vitest, "run", ...process.argv.slice(2)], { cwd: root, stdio: "inherit" });
process.exit(result.status ?? 1);
