import type { Logger } from "pino";
import { drainSearchOutbox } from "../app/models/search.server";
import { reviewEscalationJob } from "../app/insights/jobs.server";
import { reverificationJob } from "../workflows/reverification";

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
  // Keeps search within a second of certification; a down engine only delays it (the outbox retries).
  { name: "search-outbox", everyMs: 500, run: () => drainSearchOutbox() },
];

export function startJobs(log: Logger): () => void {
  const timers = jobs.map((job) => {
    let running = false;
    const tick = async () => {
      if (running) return;
      running = true;
      try {
        await job.run(log.child({ job: job.name }));
      } catch (error) {
        log.error({ err: error, job: job.name }, "background job failed; it will run again");
      } finally {
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
