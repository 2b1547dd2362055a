import type { DbOrTx } from "../../db/client.server";
import { getDb } from "../../db/client.server";
import { searchLog } from "../../db/schema";
import { eq, sql } from "drizzle-orm";

/**
 * Records one search session (the /search page and the help-desk panel): its final words, how
 * many answers it found and the topics it landed in. As-you-type requests of one session update
 * its one row, so a session counts once however many keystrokes it took; `at` stays the start.
 */
export async function logSearch(
  input: { sessionId: string; userId: string | null; query: string; results: number; topicIds: readonly string[] },
  db: DbOrTx = getDb(),
): Promise<void> {
  const query = input.query.trim().slice(0, 500);
  if (query.length < 2) return;
  const topicIds = [...new Set(input.topicIds)];
  await db
    .insert(searchLog)
    .values({ sessionId: input.sessionId, userId: input.userId, query, results: input.results, topicIds })
    .onConflictDoUpdate({
      target: searchLog.sessionId,
      set: { query, results: input.results, topicIds },
      // Only the session's own person may move its row (a guessed session id changes nothing).
      setWhere: input.userId ? eq(searchLog.userId, input.userId) : sql`false`,
    });
}
