import { count, eq } from "drizzle-orm";
import { getDb } from "../../db/client.server";
import { expertise, topics, users } from "../../db/schema";
import type { SessionUser } from "../auth/session.server";

export interface HomeData {
  expertTopics: { slug: string; name: string }[];
  admin: { users: number; activeUsers: number; topics: number } | null;
}

/** What each role's home page shows about the user's own corner of Vetted. */
export async function homeFor(user: SessionUser): Promise<HomeData> {
  const db = getDb();
  const expertTopics = user.roles.includes("expert")
    ? await db
        .select({ slug: topics.slug, name: topics.name })
        .from(expertise)
        .innerJoin(topics, eq(topics.id, expertise.topicId))
        .where(eq(expertise.userId, user.id))
        .orderBy(topics.name)
    : [];
  let admin: HomeData["admin"] = null;
  if (user.roles.includes("admin")) {
    const [[u], [a], [t]] = await Promise.all([
      db.select({ n: count() }).from(users),
      db.select({ n: count() }).from(users).where(eq(users.active, true)),
      db.select({ n: count() }).from(topics),
    ]);
    admin = { users: u?.n ?? 0, activeUsers: a?.n ?? 0, topics: t?.n ?? 0 };
  }
  return { expertTopics, admin };
}
