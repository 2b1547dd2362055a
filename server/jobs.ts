import type { Logger } from "pino";

/** A background job the running server repeats (re-verification, search outbox, …). */
export interface Job {
  name: string;
  everyMs: number;
  run(log: Logger): Promise<unknown>;
}

/** Jobs later features register; each runs on its own timer and never overlaps itself. */
export const jobs: Job[] = [];

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
    const timer = setInterval(() => void tick(), job.everyMs);
    timer.unref();
    return timer;
  });
  return () => timers.forEach((t) => clearInterval(t));
}
