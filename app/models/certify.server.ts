import { and, asc, eq, sql } from "drizzle-orm";
import { getDb } from "../../db/client.server";
import { users } from "../../db/schema";

/** What the certify form offers: possible owners (default the author) and the topic's interval. */
export async function certifyOptions(page: {
  shown: { authorId: string; ownerId: string | null };
  topics: { reverifyIntervalDays: number }[];
}) {
  const owners = await getDb()
    .select({ id: users.id, displayName: users.displayName })
    .from(users)
    .where(and(eq(users.active, true), sql`${users.roles} && array['employee','expert','knowledge_manager']::role[]`))
    .orderBy(asc(users.displayName));
  return {
    owners,
    defaultOwnerId: page.shown.ownerId ?? page.shown.authorId,
    defaultIntervalDays: page.topics.length ? Math.min(...page.topics.map((t) => t.reverifyIntervalDays)) : 180,
  };
}
