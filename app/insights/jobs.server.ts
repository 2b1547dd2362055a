import { getDb } from "../../db/client.server";
import type { Job } from "../../server/jobs";
import { escalateOverdueReviews } from "./review-targets.server";
import { companyCalendar } from "./calendar.server";
import { keptUsage } from "./measures.server";
import { refreshAnswerUsage, refreshHealthNow, refreshRollups } from "./rollups.server";

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

/**
 * Every 5 minutes: the dashboard's hourly rollups catch up (the first run after an upgrade fills
 * the whole history; until then the dashboard reads the raw tables, only slower).
 */
export const insightsRollupJob: Job = {
  name: "insights-rollup",
  everyMs: 5 * 60_000,
  async run(log) {
    const now = new Date();
    const result = await refreshRollups(getDb(), now);
    await refreshAnswerUsage(getDb(), now, (await companyCalendar()).timeZone, (tx, days) => keptUsage(tx, days, null));
    await refreshHealthNow(getDb(), now);
    if (result.from === null) log.info({ through: result.through }, "insights rollups filled from the whole history");
    return result;
  },
};
