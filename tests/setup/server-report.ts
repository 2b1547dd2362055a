import { afterEach, beforeEach } from "vitest";
import { serverReport, startedApps } from "../support/server";

/**
 * After a failed test, the end of the output of every server this file started that was running
 * at some point during the test (tests/support/server.ts): the CI log then says why a request
 * was refused or a page was missing, not only that it was.
 */
let testStartedAt = 0;
beforeEach(() => {
  testStartedAt = Date.now();
});
afterEach((context) => {
  if (context.task.result?.state !== "fail") return;
  const involved = startedApps.filter((s) => s.stoppedAt === null || s.stoppedAt >= testStartedAt);
  for (const { app } of involved) process.stderr.write(`\n${serverReport(app)}\n`);
});
