import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { getDb, type Db, type DbOrTx } from "../../db/client.server";
import { expertise, topics, users, type Topic } from "../../db/schema";
import { DomainError } from "../utils/errors";
import { recordAudit } from "./audit.server";

export interface TopicWithExperts extends Topic {
  experts: { id: string; displayName: string; email: string }[];
}

export async function listTopics(db: DbOrTx = getDb()): Promise<TopicWithExperts[]> {
  const [rows, experts] = await Promise.all([
    db.select().from(topics).orderBy(asc(topics.name)),
    db
      .select({ topicId: expertise.topicId, id: users.id, displayName: users.displayName, email: users.email })
      .from(expertise)
      .innerJoin(users, eq(users.id, expertise.userId))
      .orderBy(asc(users.displayName)),
  ]);
  return rows.map((t) => ({
    ...t,
    experts: experts.filter((e) => e.topicId === t.id).map(({ id, displayName, email }) => ({ id, displayName, email })),
  }));
}

export async function getTopicBySlug(slug: string, db: DbOrTx = getDb()): Promise<TopicWithExperts | undefined> {
  const all = await listTopics(db);
  return all.find((t) => t.slug === slug);
}

/** Topic ids in which the user is an expert. */
export async function expertTopicIds(userId: string, db: DbOrTx = getDb()): Promise<string[]> {
  const rows = await db.select({ topicId: expertise.topicId }).from(expertise).where(eq(expertise.userId, userId));
  return rows.map((r) => r.topicId);
}

export interface TopicInput {
  slug: string;
  name: string;
  description: string;
  requiredApprovals: number;
  reverifyIntervalDays: number;
  flagResponseDays?: number;
  reviewTargetDays?: number;
  flagThreshold?: number;
}

export async function createTopic(input: TopicInput & { actorId: string }, db: Db = getDb()): Promise<Topic> {
  return db.transaction(async (tx) => {
    const [clash] = await tx.select({ id: topics.id }).from(topics).where(eq(topics.slug, input.slug)).limit(1);
    if (clash) throw new DomainError("conflict", "A topic with this slug already exists.", { field: "slug" });
    const { actorId, ...values } = input;
    const [topic] = await tx.insert(topics).values(values).returning();
    if (!topic) throw new Error("insert returned no row");
    await recordAudit(tx, { actorId, action: "topic.create", subjectType: "topic", subjectId: topic.id, data: values });
    return topic;
  });
}

export async function updateTopic(
  input: TopicInput & { id: string; actorId: string },
  db: Db = getDb(),
): Promise<void> {
  await db.transaction(async (tx) => {
    const [clash] = await tx
      .select({ id: topics.id })
      .from(topics)
      .where(and(eq(topics.slug, input.slug), sql`${topics.id} <> ${input.id}`))
      .limit(1);
    if (clash) throw new DomainError("conflict", "Another topic has this slug.", { field: "slug" });
    const { actorId, id, ...values } = input;
    const updated = await tx
      .update(topics)
      .set({ ...values, updatedAt: new Date() })
      .where(eq(topics.id, id))
      .returning({ id: topics.id });
    if (updated.length === 0) throw new DomainError("not_found", "No such topic.");
    await recordAudit(tx, { actorId, action: "topic.update", subjectType: "topic", subjectId: id, data: values });
  });
}

/** Replaces the topic's experts with exactly these users (who must exist and hold the expert role). */
export async function setTopicExperts(
  input: { topicId: string; userIds: string[]; actorId: string },
  db: Db = getDb(),
): Promise<void> {
  const ids = [...new Set(input.userIds)];
  await db.transaction(async (tx) => {
    const [topic] = await tx.select({ id: topics.id }).from(topics).where(eq(topics.id, input.topicId)).limit(1);
    if (!topic) throw new DomainError("not_found", "No such topic.");
    if (ids.length > 0) {
      const found = await tx
        .select({ id: users.id, roles: users.roles })
        .from(users)
        .where(inArray(users.id, ids));
      const notExperts = ids.filter((id) => !found.find((u) => u.id === id && u.roles.includes("expert")));
      if (notExperts.length > 0) {
        throw new DomainError("bad_request", "Only users with the expert reviewer role can be a topic's experts.", {
          field: "experts",
        });
      }
    }
    await tx.delete(expertise).where(eq(expertise.topicId, input.topicId));
    if (ids.length > 0) await tx.insert(expertise).values(ids.map((userId) => ({ userId, topicId: input.topicId })));
    await recordAudit(tx, {
      actorId: input.actorId,
      action: "topic.experts",
      subjectType: "topic",
      subjectId: input.topicId,
      data: { experts: ids },
    });
  });
}
