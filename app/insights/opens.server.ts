import { sql } from "drizzle-orm";
import { getDb, type DbOrTx } from "../../db/client.server";
import { answerOpens } from "../../db/schema";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Records that an agent opened an answer from a search result (the result links carry the search
 * session as `?s=`). Once per session and answer; anything that is not a session id is ignored,
 * so a hand-made link cannot make the page fail.
 */
export async function recordOpen(input: { sessionId: string | null; answerId: string; userId: string }, db: DbOrTx = getDb()): Promise<boolean> {
  if (!input.sessionId || !UUID.test(input.sessionId)) return false;
  const rows = await db
    .insert(answerOpens)
    .values({ sessionId: input.sessionId, answerId: input.answerId, userId: input.userId })
    .onConflictDoNothing()
    .returning({ at: answerOpens.at });
  return rows.length > 0;
}

/** Opens whose search session used the same answer count as used; the rest as opened and left. */
export const usedInSession = sql`exists (select 1 from answer_uses u where u.search_session = o.session_id and u.answer_id = o.answer_id and u.undone_at is null)`;
