import type { Logger } from "pino";
import { drainSearchOutbox, embedSearchVectors } from "../app/models/search.server";
import { pruneRateLimits } from "../app/models/rate-limit.server";
import { getDb } from "../db/client.server";
import { configuredTransport } from "../app/notifications/mail-transport.server";
import { drainMailQueue } from "../app/notifications/mail-queue.server";
import { insightsRollupJob, reviewEscalationJob } from "../app/insights/jobs.server";
import { phrasingAgeingJob } from "../app/learning/jobs.server";
import { reverificationJob } from "../workflows/reverification";
import { metrics } from "./metrics";

/** A background job the running server repeats (re-verification, search outbox, …). */
export interface Job {
  name: string;
  everyMs: number;
  run(log: Logger): Promise<unknown>;
}

/** The server's background jobs; each runs on its own timer and never overlaps itself. */
export const jobs: Job[] = [
  reverificationJob,
  reviewEscalationJob,
  insightsRollupJob,
  phrasingAgeingJob,
  // Keeps search within a second of certification; a down engine only delays it (the outbox retries).
  { name: "search-outbox", everyMs: 500, run: () => drainSearchOutbox() },
  // Meaning vectors follow indexing by a moment; until then an answer ranks by its words alone.
  { name: "search-vectors", everyMs: 1000, run: () => embedSearchVectors() },
  { name: "rate-limit-prune", everyMs: 10 * 60_000, run: () => pruneRateLimits() },
  // Email: immediate mail within seconds, daily digests at each person's hour. A failing SMTP server
  // leaves the queue pending with backoff (shown on /health and Admin → Email); nothing is lost.
  {
    name: "mail",
    everyMs: 3000,
    run: async (log) => {
      const transport = configuredTransport(log);
      if (!transport) return;
      const result = await drainMailQueue(getDb(), transport);
      if (result.failed > 0) log.warn(result, "mail could not be sent; it will be retried");
      return result;
    },
  },
];

export function startJobs(log: Logger): () => void {
  const timers = jobs.map((job) => {
    let running = false;
    const tick = async () => {
      if (running) return;
      running = true;
      const stop = metrics().jobDuration.startTimer({ job: job.name });
      try {
        await job.run(log.child({ job: job.name }));
        metrics().jobRuns.inc({ job: job.name, outcome: "ok" });
      } catch (error) {
        metrics().jobRuns.inc({ job: job.name, outcome: "failed" });
        log.error({ err: error, job: job.name }, "background job failed; it will run again");
      } finally {
        stop();
        running = false;
      }
    };
    // Once soon after start (catching up on downtime), then on the interval.
    const first = setTimeout(() => void tick(), 500);
    const timer = setInterval(() => void tick(), job.everyMs);
    first.unref();
    timer.unref();
    return [first, timer];
  });
  return () => timers.flat().forEach((t) => clearTimeout(t));
}
