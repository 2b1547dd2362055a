// npm run bench:feedback — issue 13's figures on the PostgreSQL server, at the issue's scale:
// 100,000 certified answers, 1,000,000 uses, 50,000 flags and 2,000 people. Prints how long a flag
// takes from "Send to the owner" to the row in the owner's inbox (target ≤ 1 s), the Feedback queue
// and acting-on-feedback figures, the people search and a profile (target p95 ≤ 50 ms), and how soon
// expertise reflects a new use (target ≤ 5 s).
import { count, sql } from "drizzle-orm";
import type { Role } from "../app/auth/policy";
import { recordUse } from "../app/models/agent.server";
import { personProfile, searchPeople, suggestReviewers } from "../app/models/expertise.server";
import { feedbackActing, feedbackActingBreakdown, feedbackQueue, flagAnswer } from "../app/models/feedback.server";
import { rowsOf } from "../db/client.server";
import { answerFlags, answers, answerVersions, expertise, expertiseScores, notifications, topics, users } from "../db/schema";
import { createDraft, sendEvent } from "../workflows/approval.service";
import { benchDatabase, ms, percentile, pool } from "./support";

const ANSWERS = Number(process.env.ANSWERS ?? 100_000);
const FLAGS = Number(process.env.FLAGS ?? 50_000);
const PEOPLE = Number(process.env.PEOPLE ?? 2_000);
const SAMPLES = 200;
const USES = Number(process.env.USES ?? 1_000_000);

async function main() {
  const database = await benchDatabase("postgres", 20);
  const db = database.db;
  try {
    const t0 = performance.now();
    const topicRows = await db
      .insert(topics)
      .values(Array.from({ length: 20 }, (_, i) => ({ slug: `t${i}`, name: `Topic ${i}`, requiredApprovals: 1 })))
      .returning({ id: topics.id });
    const mk = (n: number, role: Role, tag: string) =>
      Array.from({ length: n }, (_, i) => ({ email: `${tag}-${i}@bench.test`, displayName: `${tag} ${i}`, roles: [role], passwordHash: "x" }));
    const owners = await db.insert(users).values(mk(200, "employee", "owner")).returning({ id: users.id });
    const experts = await db.insert(users).values(mk(100, "expert", "expert")).returning({ id: users.id });
    const [km] = await db.insert(users).values(mk(1, "knowledge_manager", "km")).returning({ id: users.id });
    const agents = await db.insert(users).values(mk(PEOPLE - 301, "agent", "agent")).returning({ id: users.id });
    await db.insert(expertise).values(experts.map((e, i) => ({ userId: e.id, topicId: topicRows[i % topicRows.length]!.id })));

    // One answer through the real workflow, then cloned: the clones carry its certified snapshot.
    const author = { id: owners[0]!.id, roles: ["employee"] as Role[] };
    const expertActor = { id: experts[0]!.id, roles: ["expert"] as Role[] };
    const body = { type: "doc", content: [{ type: "paragraph", content: [{ type: "text", text: "Full answer." }] }] };
    const { versionId } = await createDraft(db, { actor: author, draft: { question: "Template", shortAnswer: "Short.", body, topicIds: [topicRows[0]!.id], audience: "internal" } });
    await sendEvent(db, { actor: author, versionId, revision: 1, event: { type: "SUBMIT" } });
    await sendEvent(db, { actor: expertActor, versionId, revision: 1, event: { type: "APPROVE" } });
    await sendEvent(db, { actor: { id: km!.id, roles: ["knowledge_manager"] }, versionId, revision: 1, event: { type: "CERTIFY", ownerId: author.id, reverifyIntervalDays: 365 } });
    const ownerIds = sql.raw(`array[${owners.map((o) => `'${o.id}'::uuid`).join(",")}]`);
    const topicIds = sql.raw(`array[${topicRows.map((t) => `'${t.id}'::uuid`).join(",")}]`);
    await db.execute(sql`
      with a as (
        insert into ${answers} (id, created_by) select gen_random_uuid(), ${author.id} from generate_series(1, ${ANSWERS - 1}) returning id
      ), v as (
        insert into ${answerVersions} (answer_id, number, author_id, question, short_answer, body, body_html, body_text, topic_ids, state, snapshot, machine_version, owner_id, certified_by, certified_at, reverify_at)
        select a.id, 1, t.author_id, 'Bench question ' || row_number() over (), t.short_answer, t.body, t.body_html, t.body_text,
               array[(${topicIds})[1 + (abs(hashtext(a.id::text)) % 20)]], 'certified', t.snapshot, t.machine_version,
               (${ownerIds})[1 + (abs(hashtext(a.id::text || 'o')) % 200)], t.certified_by, now(), now() + interval '1 year'
        from a, (select * from ${answerVersions} where id = ${versionId}) t
        returning id
      )
      select count(*) from v`);
    // A separate statement: a data-modifying CTE's rows are invisible to the rest of its statement.
    await db.execute(sql`update answers a set live_version_id = v.id from answer_versions v where v.answer_id = a.id and a.live_version_id is null`);
    // 50,000 flags spread over the answers and the agents, a third of them acted on.
    const agentIds = sql.raw(`array[${agents.map((a) => `'${a.id}'::uuid`).join(",")}]`);
    await db.execute(sql`
      with v as (select row_number() over (order by id) as n, id, answer_id, topic_ids, owner_id from ${answerVersions} where state = 'certified')
      insert into ${answerFlags} (answer_id, version_id, topic_id, flagged_by, assignee_id, reason, comment, status, source, created_at, acted_at)
      select v.answer_id, v.id, v.topic_ids[1], (${agentIds})[1 + (g % ${agents.length})], v.owner_id, 'unclear', 'Bench flag ' || g,
             case when g % 3 = 0 then 'dismissed' else 'open' end, 'search', now() - (g % 30) * interval '1 day',
             case when g % 3 = 0 then now() - (g % 30) * interval '1 day' + interval '5 hours' end
      from generate_series(1, ${FLAGS}) g join v on v.n = 1 + (g * 7919) % ${ANSWERS - 1}`);
    // 1,000,000 uses by the agents, and the expertise and points they and the certifications earned,
    // as the domain keeps them (per author, topic and tag; one ledger row per award).
    await db.execute(sql`
      with v as (select row_number() over (order by id) as n, id, answer_id from ${answerVersions} where state = 'certified')
      insert into answer_uses (answer_id, version_id, user_id, kind, channel, at)
      select v.answer_id, v.id, (${agentIds})[1 + (g % ${agents.length})], 'used', 'chat', now() - (g % 60) * interval '1 day'
      from generate_series(1::bigint, ${USES}::bigint) g join v on v.n = 1 + (g * 104729) % ${ANSWERS - 1}`);
    await db.execute(sql`
      insert into expertise_scores (user_id, scope, key, authored, uses, helpful)
      select v.owner_id, 'topic', v.topic_ids[1]::text, count(distinct v.answer_id), count(u.id), 0
      from answer_versions v left join answer_uses u on u.version_id = v.id
      where v.state = 'certified' group by v.owner_id, v.topic_ids[1] on conflict do nothing`);
    await db.execute(sql`
      insert into expertise_scores (user_id, scope, key, reviews)
      select e.user_id, 'topic', e.topic_id::text, 20 + (abs(hashtext(e.user_id::text)) % 200) from expertise e
      on conflict (user_id, scope, key) do update set reviews = excluded.reviews`);
    await db.execute(sql`
      insert into expertise_scores (user_id, scope, key, authored, uses)
      select v.owner_id, 'tag', 'tag-' || (abs(hashtext(v.answer_id::text)) % 300), count(*), count(*) * 10
      from answer_versions v where v.state = 'certified' group by 1, 3 on conflict do nothing`);
    await db.execute(sql`
      insert into reputation_events (user_id, kind, points, subject, topic_id, day, at)
      select v.owner_id, 'answer_certified', 10, 'answer:' || v.answer_id, v.topic_ids[1], current_date - (abs(hashtext(v.id::text)) % 60), now() - (abs(hashtext(v.id::text)) % 60) * interval '1 day'
      from answer_versions v where v.state = 'certified' on conflict do nothing`);
    await db.execute(sql`analyze`);
    const [{ n: flagCount } = { n: 0 }] = await db.select({ n: count() }).from(answerFlags);
    console.log(`[feedback] seeded ${ANSWERS} certified answers, ${flagCount} flags, ${PEOPLE} people in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    // Targets: answers nobody has flagged yet, each flagged by a different agent.
    const targets = rowsOf<{ id: string; ownerId: string }>(await db.execute(sql`
      select a.id, v.owner_id as "ownerId" from answers a join answer_versions v on v.id = a.live_version_id
      where v.question like 'Bench%' and not exists (select 1 from answer_flags f where f.answer_id = a.id) limit ${SAMPLES}`));
    if (targets.length < SAMPLES) throw new Error(`only ${targets.length} unflagged answers to flag`);
    let i = 0;
    const fileAll = async (list: typeof targets, concurrency: number) => {
      const times: number[] = [];
      await pool(list, concurrency, async (t) => {
        const agent = { id: agents[i++ % agents.length]!.id, roles: ["agent"] as Role[] };
        const started = performance.now();
        const filed = await flagAnswer(db, agent, t.id, { reason: "outdated", comment: "The numbers changed last month.", source: "search" });
        // The owner's inbox reads notifications: the flag is there once this query sees it.
        const [seen] = await db.select({ n: count() }).from(notifications).where(sql`${notifications.userId} = ${t.ownerId} and ${notifications.data}->>'flagId' = ${filed.flagId}`);
        if (!seen?.n) throw new Error("the flag is not in the owner's inbox");
        times.push(performance.now() - started);
      });
      console.log(
        `[feedback] flag filed → in the owner's inbox, ${concurrency === 1 ? "one flagger at a time" : `${concurrency} concurrent flaggers`}: p50 ${ms(percentile(times, 50))}, p95 ${ms(percentile(times, 95))}, max ${ms(Math.max(...times))} (target ≤ 1 s)`,
      );
    };
    await fileAll(targets.slice(0, 50), 1);
    await fileAll(targets.slice(50), 20);

    const timeIt = async (label: string, f: () => Promise<unknown>) => {
      const times: number[] = [];
      for (let k = 0; k < 50; k++) {
        const s = performance.now();
        await f();
        times.push(performance.now() - s);
      }
      console.log(`[feedback] ${label}: p50 ${ms(percentile(times, 50))}, p95 ${ms(percentile(times, 95))}`);
    };
    const kmReader = { id: km!.id, roles: ["knowledge_manager"] as Role[] };
    const ownerReader = { id: owners[1]!.id, roles: ["employee"] as Role[] };
    const since = new Date(Date.now() - 90 * 86_400_000);
    await timeIt("Feedback queue, knowledge manager, all topics, oldest open first", () => feedbackQueue(db, kmReader, { view: "open" }));
    await timeIt("Feedback queue, one owner", () => feedbackQueue(db, ownerReader, { view: "open" }));
    await timeIt("acting-on-feedback figures, overall + per topic + per owner (90 days)", () => Promise.all([feedbackActing(db, { since }), feedbackActingBreakdown(db, { since })]));

    // People: the locator's three ways in, and a profile.
    const [{ n: scoreRows } = { n: 0 }] = await db.select({ n: count() }).from(expertiseScores);
    console.log(`[people] ${scoreRows} expertise rows, ${PEOPLE} people, ${USES} uses`);
    let t = 0;
    await timeIt("people search by topic (people page data)", () => searchPeople(db, { topicId: topicRows[t++ % topicRows.length]!.id }));
    await timeIt("people search by words (\"who knows about tag-42 and topic 7?\")", () => searchPeople(db, { q: `who knows about tag-${t++ % 300} and topic ${t % 20}?` }));
    await timeIt("people search by name", () => searchPeople(db, { q: `owner ${t++ % 200}` }));
    await timeIt("a profile (expertise, answers, points)", () => personProfile(db, owners[t++ % owners.length]!.id));
    await timeIt("reviewer suggestions for a topic", () => suggestReviewers(db, { topicIds: [topicRows[t++ % topicRows.length]!.id], excludeUserId: owners[0]!.id }));

    // Expertise is written in the event's own transaction: current as soon as the use commits.
    const lag: number[] = [];
    for (let k = 0; k < 50; k++) {
      const target = targets[k]!;
      const started = performance.now();
      await recordUse({ answerId: target.id, kind: "used", channel: "chat", userId: agents[k]!.id, conversation: `bench-${k}` }, db);
      const [row] = await db.select({ uses: expertiseScores.uses }).from(expertiseScores).where(sql`${expertiseScores.userId} = ${target.ownerId} and ${expertiseScores.scope} = 'topic'`).limit(1);
      if (!row) throw new Error("no expertise row after a use");
      lag.push(performance.now() - started);
    }
    console.log(`[people] a use in a reply → the author's expertise updated: p50 ${ms(percentile(lag, 50))}, p95 ${ms(percentile(lag, 95))} (target ≤ 5 s)`);
  } finally {
    await database.close();
  }
}

await main();
