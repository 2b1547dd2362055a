// npm run bench:workflow — the approval workflow under load, on the PostgreSQL server and on PGlite:
// 1,000 answers taken draft → submitted → approved → certified by concurrent clients, then 100
// clients racing on one answer. Prints transitions per second, p50/p95 latency of one
// transition, and lost or duplicated transitions (must be 0).
import { and, count, eq, sql } from "drizzle-orm";
import type { Role } from "../app/auth/policy";
import type { Db } from "../db/client.server";
import { answerEvents, answerVersions, expertise, searchOutbox, topics, users } from "../db/schema";
import { createDraft, sendEvent, type Actor } from "../workflows/approval.service";
import { benchDatabase, ms, percentile, pool } from "./support";

const ANSWERS = Number(process.env.ANSWERS ?? 1000);
const CLIENTS = Number(process.env.CLIENTS ?? 20);
const RACERS = 100;

async function people(db: Db, n: number, roles: Role[], topicId?: string): Promise<Actor[]> {
  const rows = await db
    .insert(users)
    .values(Array.from({ length: n }, (_, i) => ({ email: `${roles[0]}-${i}-${Math.random().toString(36).slice(2)}@bench.test`, displayName: `${roles[0]} ${i}`, roles, passwordHash: "x" })))
    .returning({ id: users.id });
  if (topicId) await db.insert(expertise).values(rows.map((r) => ({ userId: r.id, topicId })));
  return rows.map((r) => ({ id: r.id, roles }));
}

const draft = (topicId: string, i: number) => ({
  question: `Benchmark question number ${i}: how do I do thing ${i}?`,
  shortAnswer: `Short answer ${i}.`,
  body: { type: "doc", content: [{ type: "paragraph", content: [{ type: "text", text: `Full answer ${i}.` }] }] },
  topicIds: [topicId],
  audience: "internal",
});

async function run(driver: "postgres" | "pglite") {
  const database = await benchDatabase(driver, CLIENTS);
  const db = database.db;
  try {
    const [topic] = await db.insert(topics).values({ slug: "bench", name: "Bench", requiredApprovals: 1 }).returning();
    const [author] = await people(db, 1, ["employee"]);
    const [expert] = await people(db, 1, ["expert"], topic!.id);
    const [km] = await people(db, 1, ["knowledge_manager"]);

    const versions: string[] = [];
    for (let i = 0; i < ANSWERS; i++) versions.push((await createDraft(db, { actor: author!, draft: draft(topic!.id, i) })).versionId);

    const latencies: number[] = [];
    const timed = async (f: () => Promise<unknown>) => {
      const t = performance.now();
      await f();
      latencies.push(performance.now() - t);
    };
    const started = performance.now();
    await pool(versions, CLIENTS, async (versionId) => {
      await timed(() => sendEvent(db, { actor: author!, versionId, revision: 1, event: { type: "SUBMIT" } }));
      await timed(() => sendEvent(db, { actor: expert!, versionId, revision: 1, event: { type: "APPROVE" } }));
      await timed(() => sendEvent(db, { actor: km!, versionId, revision: 1, event: { type: "CERTIFY", ownerId: author!.id, reverifyIntervalDays: 90 } }));
    });
    const seconds = (performance.now() - started) / 1000;

    const expected = ANSWERS * 4; // CREATE, SUBMIT, APPROVE, CERTIFY
    const [events] = await db.select({ n: count() }).from(answerEvents);
    const [certified] = await db.select({ n: count() }).from(answerVersions).where(eq(answerVersions.state, "certified"));
    const [outbox] = await db.select({ n: count() }).from(searchOutbox);
    const dupes = await db.execute(
      sql`select count(*)::int as n from (select version_id, event from answer_events group by version_id, event having count(*) > 1) d`,
    );
    const duplicated = Number((Array.isArray(dupes) ? dupes[0] : (dupes as { rows: { n: number }[] }).rows[0])?.n ?? 0);
    const lost = expected - (events?.n ?? 0) + (ANSWERS - (certified?.n ?? 0));
    console.log(
      `[${driver}] ${ANSWERS} answers × 3 transitions by ${CLIENTS} clients: ${(latencies.length / seconds).toFixed(0)} transitions/s, ` +
        `p50 ${ms(percentile(latencies, 50))}, p95 ${ms(percentile(latencies, 95))}; certified ${certified?.n}/${ANSWERS}, ` +
        `events ${events?.n}/${expected}, outbox rows ${outbox?.n}, lost ${lost}, duplicated ${duplicated}`,
    );

    // The race: 100 experts approve one answer whose topic needs 10; then 100 knowledge managers certify it.
    const [raceTopic] = await db.insert(topics).values({ slug: "race", name: "Race", requiredApprovals: 10 }).returning();
    const experts = await people(db, RACERS, ["expert"], raceTopic!.id);
    const kms = await people(db, RACERS, ["knowledge_manager"]);
    const { versionId } = await createDraft(db, { actor: author!, draft: draft(raceTopic!.id, -1) });
    await sendEvent(db, { actor: author!, versionId, revision: 1, event: { type: "SUBMIT" } });
    const raceLatencies: number[] = [];
    const race = async (actors: Actor[], event: Parameters<typeof sendEvent>[1]["event"]) => {
      const results = await Promise.allSettled(
        actors.map(async (actor) => {
          const t = performance.now();
          try {
            return await sendEvent(db, { actor, versionId, revision: 1, event });
          } finally {
            raceLatencies.push(performance.now() - t);
          }
        }),
      );
      return { ok: results.filter((r) => r.status === "fulfilled").length, refused: results.filter((r) => r.status === "rejected").length };
    };
    const approvals = await race(experts, { type: "APPROVE" });
    const certifications = await race(kms, { type: "CERTIFY", ownerId: author!.id, reverifyIntervalDays: 30 });
    const [approveEvents] = await db.select({ n: count() }).from(answerEvents).where(and(eq(answerEvents.versionId, versionId), eq(answerEvents.event, "APPROVE")));
    const [quorum] = await db.select({ n: count() }).from(answerEvents).where(and(eq(answerEvents.versionId, versionId), eq(answerEvents.toState, "in_certification"), eq(answerEvents.fromState, "in_review")));
    const [certifyEvents] = await db.select({ n: count() }).from(answerEvents).where(and(eq(answerEvents.versionId, versionId), eq(answerEvents.event, "CERTIFY")));
    const raceLost = Math.max(0, 10 - (approveEvents?.n ?? 0)) + Math.max(0, 1 - (certifyEvents?.n ?? 0));
    const raceDup = Math.max(0, (approveEvents?.n ?? 0) - 10) + Math.max(0, (certifyEvents?.n ?? 0) - 1) + Math.max(0, (quorum?.n ?? 0) - 1);
    console.log(
      `[${driver}] ${RACERS} clients racing on one answer: approvals accepted ${approvals.ok} (quorum 10, ${approvals.refused} refused), ` +
        `certifications accepted ${certifications.ok} (${certifications.refused} refused), quorum reached ${quorum?.n}×; ` +
        `p50 ${ms(percentile(raceLatencies, 50))}, p95 ${ms(percentile(raceLatencies, 95))}; lost ${raceLost}, duplicated ${raceDup}`,
    );
    if (lost || duplicated || raceLost || raceDup) process.exitCode = 1;
  } finally {
    await database.close();
  }
}

for (const driver of (process.env.DRIVERS ?? "postgres,pglite").split(",") as ("postgres" | "pglite")[]) await run(driver);
