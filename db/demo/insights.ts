import { randomUUID } from "node:crypto";
import { count, eq, sql } from "drizzle-orm";
import type { Role } from "../../app/auth/policy";
import { createDraft, sendEvent } from "../../workflows/approval.service";
import type { Db } from "../client.server";
import { answerOpens, answers, answerUses, answerVersions, failedSearches, searchLog, topics, users } from "../schema";

const DAY = 86_400_000;

/** Gaps agents keep running into, with the typos and rewordings real people type. */
const GAPS: { topic: string; variants: string[] }[] = [
  { topic: "billing", variants: ["refund to gift card", "Refund to giftcard", "refund to gift crad", "refund onto a gift card?"] },
  { topic: "billing", variants: ["split payment two cards", "split payment between two cards"] },
  { topic: "shipping", variants: ["deliver to parcel locker", "delivery to a parcel locker", "parcel locker delivery"] },
  { topic: "shipping", variants: ["saturday delivery", "Saturday delivery?"] },
  { topic: "accounts", variants: ["merge two accounts", "merge 2 accounts"] },
  { topic: "devices", variants: ["router blinking orange", "router blinking amber"] },
];

/** A deterministic pseudo-random sequence: the same seed gives the same demo. */
function random(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

/**
 * A few months of searches, uses and misses behind the knowledge-health dashboard, written
 * straight into the event tables (these are history, not actions anyone takes now). Weekdays are
 * busier; the link rate creeps up and misses fall as the months go, as they should after the
 * team writes the answers agents asked for. Skipped when any search is logged.
 */
export async function seedDemoInsights(db: Db, now = new Date(), days = 120): Promise<void> {
  const [{ n } = { n: 0 }] = await db.select({ n: count() }).from(searchLog);
  if (n > 0) return;
  const [alex] = await db.select({ id: users.id }).from(users).where(eq(users.email, "alex@example.com"));
  if (!alex) return;
  const live = await db
    .select({ answerId: answers.id, versionId: answerVersions.id, question: answerVersions.question, topicIds: answerVersions.topicIds, slugs: sql<string[]>`(select array_agg(t.slug) from topics t where t.id = any(${answerVersions.topicIds}))` })
    .from(answers)
    .innerJoin(answerVersions, eq(answerVersions.id, answers.liveVersionId));
  if (live.length === 0) return;
  const topicIdOf = new Map<string, string>();
  for (const a of live) (a.slugs ?? []).forEach((slug, i) => a.topicIds[i] && topicIdOf.set(slug, a.topicIds[i]!));
  const rnd = random(42);
  const logs: (typeof searchLog.$inferInsert)[] = [];
  const uses: (typeof answerUses.$inferInsert)[] = [];
  const misses: (typeof failedSearches.$inferInsert)[] = [];
  const opens: (typeof answerOpens.$inferInsert)[] = [];
  // Its own generator, so the searches and uses above stay what they were before opens existed.
  const openRnd = random(7);
  // A few answers agents open and leave (a question that matches, an answer that does not help).
  const disappointing = new Set(live.filter((_, i) => i % 7 === 3).map((a) => a.answerId));
  const channels = ["chat", "email", "phone", "chat", "social"] as const;
  for (let d = days; d >= 1; d--) {
    const day = new Date(now.getTime() - d * DAY);
    const weekend = [0, 6].includes(day.getUTCDay());
    const progress = 1 - d / days; // 0 at the start, 1 today
    const searches = Math.round((weekend ? 6 : 22) + rnd() * 10);
    for (let k = 0; k < searches; k++) {
      const at = new Date(day.getTime() + (8 + rnd() * 9) * 3_600_000);
      const sessionId = randomUUID();
      const miss = rnd() < 0.22 - 0.1 * progress;
      if (miss) {
        const gap = GAPS[Math.floor(rnd() * GAPS.length)]!;
        const query = gap.variants[Math.floor(rnd() * gap.variants.length)]!;
        const topicId = topicIdOf.get(gap.topic);
        logs.push({ sessionId, userId: alex.id, query, results: 0, topicIds: topicId ? [topicId] : [], at });
        misses.push({ query, results: 0, reason: "no_results", filters: topicId ? { topic: topicId } : {}, sessionId, userId: alex.id, at });
        continue;
      }
      const hit = live[Math.floor(rnd() * live.length)]!;
      logs.push({ sessionId, userId: alex.id, query: hit.question.toLowerCase().replace(/\?$/, ""), results: 1 + Math.floor(rnd() * 6), topicIds: hit.topicIds, at });
      const used = rnd() < 0.45 + 0.25 * progress;
      if (openRnd() < (used ? 0.3 : disappointing.has(hit.answerId) ? 0.8 : 0.25)) opens.push({ sessionId, answerId: hit.answerId, userId: alex.id, at: new Date(at.getTime() + 30_000) });
      if (used) {
        uses.push({ answerId: hit.answerId, versionId: hit.versionId, userId: alex.id, kind: "used", channel: channels[Math.floor(rnd() * channels.length)]!, conversation: `demo-${sessionId.slice(0, 8)}`, searchSession: sessionId, searchQuery: hit.question, at: new Date(at.getTime() + 60_000) });
      }
    }
  }
  await seedReviewHistory(db, now);
  for (let i = 0; i < logs.length; i += 500) await db.insert(searchLog).values(logs.slice(i, i + 500));
  for (let i = 0; i < uses.length; i += 500) await db.insert(answerUses).values(uses.slice(i, i + 500));
  for (let i = 0; i < misses.length; i += 500) await db.insert(failedSearches).values(misses.slice(i, i + 500));
  for (let i = 0; i < opens.length; i += 500) await db.insert(answerOpens).values(opens.slice(i, i + 500));
}

/** Answers written for the gaps over the months, each through the real workflow with review times in days, and one review left waiting past its target. */
const HISTORY: { topic: string; question: string; daysAgo: number; reviewDays: number; certifyDays: number | null }[] = [
  { topic: "billing", question: "Can a refund go to a gift card?", daysAgo: 100, reviewDays: 3, certifyDays: 1 },
  { topic: "shipping", question: "Can you deliver to a parcel locker?", daysAgo: 80, reviewDays: 2, certifyDays: 2 },
  { topic: "billing", question: "Can I split a payment between two cards?", daysAgo: 55, reviewDays: 1, certifyDays: 1 },
  { topic: "shipping", question: "Do you deliver on Saturdays?", daysAgo: 30, reviewDays: 1, certifyDays: 0.5 },
  { topic: "billing", question: "Why was I charged twice for one order?", daysAgo: 12, reviewDays: 0.5, certifyDays: 0.3 },
  { topic: "shipping", question: "Can I change the delivery address after ordering?", daysAgo: 8, reviewDays: 99, certifyDays: null },
];

async function seedReviewHistory(db: Db, now: Date): Promise<void> {
  const people = await db.select({ id: users.id, email: users.email, roles: users.roles }).from(users);
  const person = (email: string) => {
    const p = people.find((u) => u.email === email);
    return p ? { id: p.id, roles: p.roles as Role[] } : null;
  };
  const [emma, xavier, kim] = ["emma", "xavier", "kim"].map((u) => person(`${u}@example.com`));
  if (!emma || !xavier || !kim) return;
  for (const h of HISTORY) {
    const [topic] = await db.select().from(topics).where(eq(topics.slug, h.topic));
    if (!topic || topic.requiredApprovals !== 1) continue;
    const start = now.getTime() - h.daysAgo * DAY;
    const at = (days: number) => new Date(start + days * DAY);
    const body = { type: "doc", content: [{ type: "paragraph", content: [{ type: "text", text: `${h.question} Written after agents searched for it and found nothing.` }] }] };
    const { versionId } = await createDraft(db, { actor: emma, draft: { question: h.question, shortAnswer: "See the full answer.", body, topicIds: [topic.id], tags: [], audience: "internal" }, now: at(0) });
    await sendEvent(db, { actor: emma, versionId, revision: 1, event: { type: "SUBMIT" }, now: at(1) });
    if (h.certifyDays === null) continue;
    await sendEvent(db, { actor: xavier, versionId, revision: 1, event: { type: "APPROVE" }, now: at(1 + h.reviewDays) });
    await sendEvent(db, { actor: kim, versionId, revision: 1, event: { type: "CERTIFY", ownerId: emma.id, reverifyIntervalDays: topic.reverifyIntervalDays }, now: at(1 + h.reviewDays + h.certifyDays) });
  }
}
