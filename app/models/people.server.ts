import { eq } from "drizzle-orm";
import { z } from "zod";
import { getDb, type DbOrTx } from "../../db/client.server";
import { appSettings } from "../../db/schema";
import { recordAudit } from "./audit.server";
import { leaderboard, personProfile, REPUTATION_RULES, searchPeople, suggestReviewers } from "./expertise.server";
import { listTopics } from "./topic.server";

/** The /people pages' reads and the leaderboard switch: thin facades over expertise.server.ts. */

const LEADERBOARDS_KEY = "leaderboards";

export async function leaderboardsEnabled(db: DbOrTx = getDb()): Promise<boolean> {
  const [row] = await db.select().from(appSettings).where(eq(appSettings.key, LEADERBOARDS_KEY));
  // On unless an admin turned them off.
  return (row?.value as { enabled?: boolean } | undefined)?.enabled !== false;
}

export const LeaderboardSettingSchema = z.object({ intent: z.literal("leaderboards"), enabled: z.enum(["on", "off"], { message: "Choose on or off." }) });

export async function setLeaderboards(enabled: boolean, actorId: string, db: DbOrTx = getDb()): Promise<void> {
  await db.transaction(async (tx) => {
    await tx
      .insert(appSettings)
      .values({ key: LEADERBOARDS_KEY, value: { enabled } })
      .onConflictDoUpdate({ target: appSettings.key, set: { value: { enabled }, updatedAt: new Date() } });
    await recordAudit(tx, { actorId, action: "settings.leaderboards", subjectType: "settings", subjectId: "leaderboards", data: { enabled } });
  });
}

const PeopleQuery = z.object({
  q: z.string().trim().max(200).optional().catch(undefined),
  topic: z.uuid().optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(1000).optional().catch(undefined),
});

export async function peoplePage(url: URL) {
  const q = PeopleQuery.parse(Object.fromEntries(url.searchParams));
  const db = getDb();
  const [result, topics, boards] = await Promise.all([searchPeople(db, { q: q.q, topicId: q.topic, page: q.page }), listTopics(db), leaderboardsEnabled(db)]);
  const board = boards && q.topic ? await leaderboard(db, q.topic) : null;
  return { q: q.q ?? "", topic: q.topic ?? "", ...result, topics: topics.map((t) => ({ id: t.id, name: t.name })), board, boards };
}

export async function profilePage(userId: string) {
  return personProfile(getDb(), userId);
}

export function reputationRules() {
  return Object.entries(REPUTATION_RULES).map(([kind, r]) => ({ kind, ...r }));
}

/** "Suggested reviewers" beside Submit for review. */
export async function reviewerSuggestions(topicIds: readonly string[], authorId: string) {
  return suggestReviewers(getDb(), { topicIds, excludeUserId: authorId, limit: 3 });
}
