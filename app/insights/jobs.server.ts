import { getDb } from "../../db/client.server";
import type { Job } from "../../server/jobs";
import { escalateOverdueReviews } from "./review-targets.server";

/** Every 15 minutes: reviews and certifications past their topic's target go to its knowledge managers, once. */
export const reviewEscalationJob: Job = {
  name: "review-escalation",
  everyMs: 15 * 60_000,
  async run(log) {
    const escalated = await escalateOverdueReviews(getDb());
    if (escalated > 0) log.info({ escalated }, "overdue reviews escalated to knowledge managers");
    return escalated;
  },
};
