// npm run bench:scale — the measured inputs of docs/scale.md, on the PostgreSQL server:
//  1. memory of one app instance with its resident search copy, empty and at ANSWERS (default
//     100,000) certified answers of varied text (a 30,000-word vocabulary drawn Zipf-like, not a
//     40-word one), read from the instance's own /metrics;
//  2. what one instance serves: API searches per second under 20 clients (wrk or autocannon), with
//     the shared rate limiter in PostgreSQL on every call;
//  3. bytes per row on disk (table + indexes) of the tables that grow with use: uses, failed
//     searches, notifications, answer versions, search documents;
//  4. the shared rate limiter alone under 20 concurrent callers on one key.
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import type { Role } from "../app/auth/policy";
import { createApiToken } from "../app/models/agent.server";
import { RateLimiter } from "../app/models/rate-limit.server";
import { rowsOf, type Db } from "../db/client.server";
import { answers, answerVersions, topics, users } from "../db/schema";
import { createPostgresIndex } from "../search/postgres";
import { reindex } from "../search/outbox";
import { buildIfStale, root } from "../server/build-if-stale.mjs";
import { createDraft, sendEvent } from "../workflows/approval.service";
import { freePort } from "../tests/support/server";
import { benchDatabase, loadTest, ms, percentile } from "./support";

const ANSWERS = Number(process.env.ANSWERS ?? 100_000);
const METRICS_TOKEN = "bench-metrics-token-0123456789";

/** Pronounceable made-up words: a vocabulary as large as a real help centre's, without shipping one. */
function vocabulary(n: number): string[] {
  const onset = ["b", "c", "d", "f", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w", "br", "cl", "dr", "fl", "gr", "pl", "pr", "sh", "st", "tr"];
  const vowel = ["a", "e", "i", "o", "u", "ai", "ea", "ou"];
  const coda = ["", "n", "r", "s", "t", "l", "nd", "st", "ck"];
  const out = new Set<string>();
  let seed = 42;
  const rnd = (k: number) => ((seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff) % k);
  while (out.size < n) {
    const syllables = 1 + rnd(3);
    let w = "";
    for (let s = 0; s < syllables; s++) w += onset[rnd(onset.length)]! + vowel[rnd(vowel.length)]! + coda[rnd(coda.length)]!;
    out.add(w);
  }
  return [...out];
}

async function instance(url: string, env: Record<string, string> = {}) {
  const port = await freePort();
  const proc = spawn(process.execPath, [path.join(root, "server/start.mjs")], {
    cwd: root,
    env: { ...process.env, PORT: String(port), DATA_DIR: mkdtempSync(path.join(tmpdir(), "vetted-bench-scale-")), DATABASE_URL: url, LOG_LEVEL: "warn", METRICS_TOKEN, NODE_ENV: "production", ...env },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const base = `http://127.0.0.1:${port}`;
  const started = performance.now();
  for (let i = 0; ; i++) {
    if ((await fetch(`${base}/ready`).then((r) => r.status, () => 0)) === 200) break;
    if (i > 3000 || proc.exitCode !== null) throw new Error("the instance did not become ready");
    await new Promise((r) => setTimeout(r, 100));
  }
  const readyMs = performance.now() - started;
  const metric = async (name: string) => {
    const text = await (await fetch(`${base}/metrics`, { headers: { Authorization: `Bearer ${METRICS_TOKEN}` } })).text();
    return Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, "m").exec(text)?.[1] ?? NaN);
  };
  return {
    base,
    readyMs,
    metric,
    stop: () => new Promise<void>((r) => (proc.kill("SIGTERM"), proc.once("exit", () => r()))),
  };
}

async function bytesPerRow(db: Db, table: string): Promise<string> {
  const [r] = rowsOf<{ bytes: number; n: number }>(await db.execute(sql.raw(`select pg_total_relation_size('${table}')::float8 as bytes, (select count(*) from "${table}")::float8 as n`)));
  return r && r.n > 0 ? `${Math.round(r.bytes / r.n)} B/row (${r.n.toLocaleString("en")} rows)` : "no rows";
}

async function main() {
  buildIfStale({ quiet: true });
  const database = await benchDatabase("postgres", 20);
  const db = database.db;
  try {
    const [topic] = await db.insert(topics).values({ slug: "scale", name: "Scale", requiredApprovals: 1 }).returning({ id: topics.id });
    const mk = (email: string, role: Role) => ({ email, displayName: email, roles: [role], passwordHash: "x" });
    const [author, expert, km, agent] = await db
      .insert(users)
      .values([mk("author@bench.test", "employee"), mk("expert@bench.test", "expert"), mk("km@bench.test", "knowledge_manager"), mk("agent@bench.test", "agent")])
      .returning({ id: users.id });
    await db.execute(sql`insert into expertise (user_id, topic_id) values (${expert!.id}, ${topic!.id})`);

    // Empty: what an instance costs before it holds any answers.
    const empty = await instance(database.url!);
    const emptyRss = await empty.metric("vetted_process_resident_memory_bytes");
    const emptyHeap = await empty.metric("vetted_nodejs_heap_size_used_bytes");
    await empty.stop();

    // One answer through the real workflow; its certified snapshot is cloned with varied text.
    const body = { type: "doc", content: [{ type: "paragraph", content: [{ type: "text", text: "Full answer." }] }] };
    const a = { id: author!.id, roles: ["employee"] as Role[] };
    const { versionId } = await createDraft(db, { actor: a, draft: { question: "Template", shortAnswer: "Short.", body, topicIds: [topic!.id], audience: "internal" } });
    await sendEvent(db, { actor: a, versionId, revision: 1, event: { type: "SUBMIT" } });
    await sendEvent(db, { actor: { id: expert!.id, roles: ["expert"] }, versionId, revision: 1, event: { type: "APPROVE" } });
    await sendEvent(db, { actor: { id: km!.id, roles: ["knowledge_manager"] }, versionId, revision: 1, event: { type: "CERTIFY", ownerId: a.id, reverifyIntervalDays: 365 } });
    const words = vocabulary(30_000);
    const t0 = performance.now();
    // Zipf-like: the word at rank r drawn with probability ∝ 1/r (power(random(), 3) favours low ranks).
    const pick = (n: number, salt: string) =>
      sql.raw(`array_to_string(array(select w[1 + floor(power(random(), 3) * ${words.length})::int] from generate_series(1, ${n}) g where a.id is not null and '${salt}' <> ''), ' ')`);
    await db.execute(sql`
      with w as (select array(select jsonb_array_elements_text(${JSON.stringify(words)}::jsonb)) as w),
      a as (insert into ${answers} (id, created_by) select gen_random_uuid(), ${a.id} from generate_series(1, ${ANSWERS - 1}) returning id)
      insert into ${answerVersions} (answer_id, number, author_id, question, short_answer, body, body_html, body_text, topic_ids, state, snapshot, machine_version, owner_id, certified_by, certified_at, reverify_at)
      select a.id, 1, t.author_id, x.q || '?', x.s, t.body, '<p>' || x.b || '</p>', x.b, t.topic_ids, 'certified', t.snapshot, t.machine_version, t.owner_id, t.certified_by, now(), now() + interval '1 year'
      from a cross join w cross join (select * from ${answerVersions} where id = ${versionId}) t
      cross join lateral (select ${pick(10, "q")} as q, left(${pick(25, "s")}, 280) as s, ${pick(110, "b")} as b) x`);
    await db.execute(sql`update answers a set live_version_id = v.id from answer_versions v where v.answer_id = a.id and a.live_version_id is null`);
    const indexed = await reindex(db, createPostgresIndex(() => db));
    console.log(`${indexed.toLocaleString("en")} certified answers of varied text written and indexed in ${((performance.now() - t0) / 1000).toFixed(0)} s`);

    const full = await instance(database.url!, { API_RATE_BURST: "1000000", API_RATE_PER_SECOND: "1000000" });
    const fullRss = await full.metric("vetted_process_resident_memory_bytes");
    const fullHeap = await full.metric("vetted_nodejs_heap_size_used_bytes");
    const docs = await full.metric("vetted_search_resident_documents");
    const mb = (b: number) => `${(b / 1e6).toFixed(0)} MB`;
    console.log(`memory, empty instance: RSS ${mb(emptyRss)}, heap used ${mb(emptyHeap)}`);
    console.log(
      `memory, instance holding ${docs.toLocaleString("en")} answers in its search copy: RSS ${mb(fullRss)}, heap used ${mb(fullHeap)} → ${mb(((fullRss - emptyRss) / docs) * 100_000)} per 100,000 answers (ready in ${(full.readyMs / 1000).toFixed(1)} s, copy loaded)`,
    );

    const { token } = await createApiToken({ name: "bench", scopes: ["search:read"], createdBy: agent!.id }, db);
    const sample = rowsOf<{ q: string }>(await db.execute(sql`select question as q from answer_versions where state = 'certified' order by random() limit 200`));
    const queries = sample.map((r, i) => r.q.split(" ").slice(i % 3, (i % 3) + 2 + (i % 4)).join(" "));
    const load = await loadTest(full.base, queries.map((q) => `/api/v1/search?q=${encodeURIComponent(q)}&limit=10`), { Authorization: `Bearer ${token}` }, 15);
    console.log(
      `one instance, API search under 20 clients for 15 s (${load.tool}): ${Math.round(load.rps)} searches/s, p50 ${ms(load.p50)}, p95 ${ms(load.p95)}, p99 ${ms(load.p99)}, non-2xx ${load.non2xx}`,
    );
    await full.stop();

    // Table growth: 100,000 rows of each growing table, shaped as the app writes them.
    const [v] = rowsOf<{ id: string; answer_id: string }>(await db.execute(sql`select id, answer_id from answer_versions where state = 'certified' limit 1`));
    await db.execute(sql`insert into answer_uses (answer_id, version_id, user_id, kind, channel, conversation, search_session, search_query, at)
      select ${v!.answer_id}, ${v!.id}, ${agent!.id}, 'used', 'email', 'ticket-' || g, gen_random_uuid(), 'how do I change my delivery address', now() - g * interval '1 second' from generate_series(1, 100000) g`);
    await db.execute(sql`insert into failed_searches (query, filters, results, reason, session_id, user_id, at)
      select 'can I pay with a voucher from a partner ' || g, '{}'::jsonb, 0, 'no_results', gen_random_uuid(), ${agent!.id}, now() - g * interval '1 second' from generate_series(1, 100000) g`);
    await db.execute(sql`insert into notifications (user_id, kind, title, link, data, created_at)
      select ${a.id}, 'certified', 'Your answer “How do I change my delivery address?” was certified', '/answers/' || ${v!.answer_id}, '{}'::jsonb, now()
      from generate_series(1, 100000) g`);
    for (const t of ["answer_uses", "failed_searches", "notifications", "answer_versions", "search_documents"]) console.log(`disk, ${t}: ${await bytesPerRow(db, t)}`);

    // The shared rate limiter alone: what every API call adds, on one hot key (one token, 20 clients).
    const limiter = new RateLimiter(1_000_000, 1_000_000);
    const waits: number[] = [];
    const t1 = performance.now();
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        for (let i = 0; i < 500; i++) {
          const s = performance.now();
          await limiter.take("bench-one-token", Date.now(), db);
          waits.push(performance.now() - s);
        }
      }),
    );
    const rate = Math.round(10_000 / ((performance.now() - t1) / 1000));
    console.log(`rate limiter, one key, 20 concurrent callers (leases of ${limiter.lease}): ${rate} takes/s, p50 ${ms(percentile(waits, 50))}, p95 ${ms(percentile(waits, 95))}`);
  } finally {
    await database.close();
  }
}

await main();
process.exit(0);
