import { getDb } from "../../db/client.server";
import type { Job } from "../../server/jobs";
import { agePhrasings } from "./learn.server";

/** Hourly: learned phrasings unused for LEARNING_MAX_AGE_DAYS leave the index (their answers are reindexed through the outbox). */
export const phrasingAgeingJob: Job = {
  name: "phrasing-ageing",
  everyMs: 60 * 60_000,
  async run(log) {
    const result = await getDb().transaction((tx) => agePhrasings(tx));
    if (result.aged > 0 || result.changed > 0) log.info(result, "learned phrasings aged out or re-counted");
    return result;
  },
};
