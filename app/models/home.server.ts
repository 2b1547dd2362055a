import { and, count, desc, eq, gt, isNull, lte } from "drizzle-orm";
import { getDb } from "../../db/client.server";
import { answers, answerUses, answerVersions, expertise, failedSearches, topics, users } from "../../db/schema";
import { can } from "../auth/policy";
import type { SessionUser } from "../auth/session.server";
import { listRequests } from "./agent.server";
import { certificationQueue, myDrafts, reverificationDue, reviewQueue, type QueueItem } from "./answer.server";

/** Days ahead in which an owned answer counts as "due soon" on its owner's home page. */
export const DUE_SOON_DAYS = 14;
/** Rows per list on the home page; each list links to the full page. */
const SHOWN = 6;

export interface WorkList<T> {
  items: T[];
  total: number;
}

export interface HomeData {
  expertTopics: { slug: string; name: string }[];
  drafts: WorkList<QueueItem> | null;
  reviews: WorkList<QueueItem> | null;
  certifications: WorkList<QueueItem> | null;
  /** Answers the user owns (or may re-verify) that are past or near their date. */
  due: WorkList<{ answerId: string; question: string; reverifyAt: Date | null; overdue: boolean }> | null;
  requests: WorkList<{ id: string; question: string; topicName: string | null; createdAt: Date; askers: number }> | null;
  recentMisses: { query: string; at: Date }[] | null;
  /** An agent's last uses of answers (the answers they reach for), newest first. */
  recentUses: { answerId: string; question: string; channel: string | null; at: Date }[] | null;
  admin: { users: number; activeUsers: number; topics: number } | null;
}

function list<T>(rows: T[]): WorkList<T> {
  return { items: rows.slice(0, SHOWN), total: rows.length };
}

/** What each role's home page shows: that person's own work, oldest waiting first. */
export async function homeFor(user: SessionUser, now = new Date()): Promise<HomeData> {
  const db = getDb();
  const expertTopics = user.roles.includes("expert")
    ? await db
        .select({ slug: topics.slug, name: topics.name })
        .from(expertise)
        .innerJoin(topics, eq(topics.id, expertise.topicId))
        .where(eq(expertise.userId, user.id))
        .orderBy(topics.name)
    : [];
  const writes = can(user.roles, "answer.draft");
  const reviews = can(user.roles, "answer.review");
  const certifies = can(user.roles, "answer.certify");
  const soon = new Date(now.getTime() + DUE_SOON_DAYS * 86_400_000);

  const [drafts, reviewItems, certificationItems, overdue, dueSoon, requests, misses, uses] = await Promise.all([
    writes ? myDrafts(user) : null,
    reviews ? reviewQueue(user) : null,
    certifies ? certificationQueue(user) : null,
    reviews || certifies || writes ? reverificationDue(user) : null,
    db
      .select({ answerId: answerVersions.answerId, question: answerVersions.question, reverifyAt: answerVersions.reverifyAt })
      .from(answerVersions)
      .where(and(eq(answerVersions.ownerId, user.id), eq(answerVersions.state, "certified"), gt(answerVersions.reverifyAt, now), lte(answerVersions.reverifyAt, soon)))
      .orderBy(answerVersions.reverifyAt),
    reviews || certifies || writes ? listRequests() : null,
    user.roles.includes("agent")
      ? db.select({ query: failedSearches.query, at: failedSearches.at }).from(failedSearches).where(eq(failedSearches.userId, user.id)).orderBy(desc(failedSearches.at)).limit(5)
      : null,
    can(user.roles, "answer.use")
      ? db
          .select({ answerId: answerUses.answerId, question: answerVersions.question, channel: answerUses.channel, at: answerUses.at })
          .from(answerUses)
          .innerJoin(answers, eq(answers.id, answerUses.answerId))
          .innerJoin(answerVersions, eq(answerVersions.id, answers.liveVersionId))
          .where(and(eq(answerUses.userId, user.id), isNull(answerUses.undoneAt)))
          .orderBy(desc(answerUses.at))
          .limit(SHOWN)
      : null,
  ]);

  const myTopicNames = new Set(expertTopics.map((t) => t.name));
  const relevantRequests = requests
    ? requests.filter((r) => certifies || r.topicName === null || myTopicNames.has(r.topicName) || (writes && myTopicNames.size === 0))
    : null;
  const dueRows = overdue
    ? [
        ...overdue.map((o) => ({ answerId: o.answerId, question: o.question, reverifyAt: o.reverifyAt, overdue: true })),
        ...dueSoon.map((d) => ({ ...d, overdue: false })),
      ]
    : null;

  let admin: HomeData["admin"] = null;
  if (user.roles.includes("admin")) {
    const [[u], [a], [t]] = await Promise.all([
      db.select({ n: count() }).from(users),
      db.select({ n: count() }).from(users).where(eq(users.active, true)),
      db.select({ n: count() }).from(topics),
    ]);
    admin = { users: u?.n ?? 0, activeUsers: a?.n ?? 0, topics: t?.n ?? 0 };
  }
  return {
    expertTopics,
    drafts: drafts ? list(drafts) : null,
    reviews: reviewItems ? list(reviewItems) : null,
    certifications: certificationItems ? list(certificationItems) : null,
    due: dueRows && (dueRows.length > 0 || reviews || certifies) ? list(dueRows) : null,
    requests: relevantRequests ? list(relevantRequests.map((r) => ({ id: r.id, question: r.question, topicName: r.topicName, createdAt: r.createdAt, askers: r.askers }))) : null,
    recentMisses: misses,
    recentUses: uses,
    admin,
  };
}
