import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Logger } from "pino";
import { getDb } from "../db/client.server";
import type { Job } from "../server/jobs";
import { runReverification } from "./approval.service";

/** The server's timer: every 10 minutes, send certified answers past their date to re-verification. */
export const reverificationJob: Job = {
  name: "reverification",
  // REVERIFY_EVERY_MS: the cluster test runs it every second on both instances to prove it applies each answer once.
  everyMs: Number(process.env.REVERIFY_EVERY_MS ?? 10 * 60_000),
  async run(log: Logger) {
    const moved = await runReverification(getDb());
    if (moved > 0) log.info({ moved }, "answers are due for re-verification");
    return moved;
  },
};

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const { runCli } = await import("../server/cli");
  await runCli("jobs:reverify", async ({ database }) => {
    const moved = await runReverification(database.db);
    process.stdout.write(`${moved} answer${moved === 1 ? "" : "s"} moved to re-verification due.\n`);
  });
}
