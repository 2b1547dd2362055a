// `npm run search:eval -- --corpus corpus.jsonl --queries queries.jsonl [--usage usage.jsonl] [--engine postgres|meilisearch] [--db pglite|server]`
// Imports the corpus into a fresh temporary database, indexes it, runs every query and prints
// MRR@10, nDCG@10, Recall@10, Success@1 and latency — overall and per query style — beside a plain
// BM25 over the same corpus (question only, lower-cased words, no stemming, k1 1.2, b 0.75) as the
// floor any engine must clear.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import postgres from "postgres";
import { z } from "zod";
import { createDb, setDatabase, type Database } from "../db/client.server";
import { migrateDatabase } from "../db/migrate";
import { users } from "../db/schema";
import { importAnswers } from "../workflows/import";
import type { SearchIndex } from "./index";
import { createMeilisearchIndex } from "./meilisearch";
import { drainAll, embedAll } from "./outbox";
import { plainBm25 } from "./plain-bm25";
import { createPostgresIndex } from "./postgres";
import { parseUsage, replayUsage, type UsageLine } from "./usage-replay";

const Args = z.object({
  corpus: z.string({ message: "--corpus file.jsonl is required" }),
  queries: z.string({ message: "--queries file.jsonl is required" }),
  engine: z.enum(["postgres", "meilisearch"]).default("postgres"),
  db: z.enum(["pglite", "server"]).default("pglite"),
  /** A log of agents' uses replayed after the import, before the queries (search/usage-replay.ts). */
  usage: z.string().optional(),
});
const Query = z.object({ id: z.string(), query: z.string().min(1), relevant: z.array(z.string()).min(1), style: z.string().optional() });

function fail(message: string): never {
  process.stderr.write(`search:eval: ${message}\n`);
  process.exit(2);
}

const { values } = parseArgs({ options: { corpus: { type: "string" }, queries: { type: "string" }, engine: { type: "string" }, db: { type: "string" }, usage: { type: "string" } } });
const args = Args.safeParse(values);
if (!args.success) fail(args.error.issues.map((i) => i.message).join("; "));
const { corpus, queries: queriesFile, engine, db: dbKind, usage: usageFile } = args.data;
if (engine === "meilisearch" && !process.env.MEILI_URL) fail("--engine meilisearch needs MEILI_URL (and MEILI_KEY if the server has one)");

const read = (file: string) => {
  try {
    return readFileSync(file, "utf8").split(/\r?\n/);
  } catch (error) {
    fail(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code}`);
  }
};
const queries = read(queriesFile)
  .map((l, i) => ({ l, i }))
  .filter(({ l }) => l.trim())
  .map(({ l, i }) => {
    try {
      return Query.parse(JSON.parse(l));
    } catch (error) {
      fail(`${queriesFile} line ${i + 1}: ${(error as Error).message.split("\n")[0]}`);
    }
  });

let database: Database;
let cleanup = async () => {};
if (dbKind === "server") {
  const server = process.env.TEST_DATABASE_URL || "postgres://postgres@127.0.0.1:5432/test";
  const name = `vetted_eval_${randomBytes(4).toString("hex")}`;
  const admin = postgres(server, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  await admin.end();
  const url = new URL(server);
  url.pathname = `/${name}`;
  database = await createDb({ url: url.toString() });
  cleanup = async () => {
    const a = postgres(server, { max: 1, onnotice: () => {} });
    await a.unsafe(`drop database if exists "${name}" with (force)`);
    await a.end();
  };
} else {
  database = await createDb({ dataDir: "memory://" });
}
setDatabase(database);
try {
  await migrateDatabase(database);
  const db = database.db;
  await db.insert(users).values({ email: "eval@vetted.local", displayName: "Relevance evaluation", roles: ["knowledge_manager"], passwordHash: null });
  const t0 = performance.now();
  const report = await importAnswers(db, read(corpus), { as: "certified", skipInvalid: false, userEmail: "eval@vetted.local" });
  const index: SearchIndex =
    engine === "meilisearch"
      ? createMeilisearchIndex({ host: process.env.MEILI_URL!, ...(process.env.MEILI_KEY ? { apiKey: process.env.MEILI_KEY } : {}), indexUid: `eval_${Date.now()}` })
      : createPostgresIndex(() => db);
  await index.clear();
  await drainAll(db, index);
  await embedAll(index);
  process.stderr.write(`imported and indexed ${report.created} answers in ${((performance.now() - t0) / 1000).toFixed(1)} s (${engine} on ${dbKind})\n`);

  // Answers are keyed by the corpus id through answers.external_id = import:<id>.
  const ext = await db.query.answers.findMany({ columns: { id: true, externalId: true } });
  const corpusId = new Map(ext.map((a) => [a.id, a.externalId?.replace(/^import:/, "") ?? ""]));
  if (usageFile) {
    const answerOf = new Map([...corpusId].map(([answerId, id]) => [id, answerId]));
    const t1 = performance.now();
    let usage: UsageLine[] = [];
    try {
      usage = parseUsage(read(usageFile), usageFile);
    } catch (error) {
      fail((error as Error).message);
    }
    const replayed = await replayUsage(db, usage, (id) => answerOf.get(id));
    await drainAll(db, index);
    await embedAll(index);
    process.stderr.write(`replayed ${usage.length} uses (${replayed.recorded} recorded, ${replayed.repeated} repeats, ${replayed.unknown} unknown ids, ${replayed.agents} agents) in ${((performance.now() - t1) / 1000).toFixed(1)} s\n`);
  }
  for (const q of queries.slice(0, 5)) await index.search({ q: q.query, limit: 10 }); // warm up

  type Row = { rr: number; ndcg: number; recall: number; s1: number; ms: number; style: string };
  const measure = async (run: (q: string) => Promise<string[]> | string[]) => {
    const rows: Row[] = [];
    for (const q of queries) {
      const t = performance.now();
      const ranked = await run(q.query);
      const ms = performance.now() - t;
      rows.push(judge(q, ranked, ms));
    }
    return rows;
  };
  const judge = (q: (typeof queries)[number], ranked: string[], ms: number): Row => {
    const relevant = new Set(q.relevant);
    const firstHit = ranked.findIndex((id) => relevant.has(id));
    const dcg = ranked.reduce((sum, id, i) => sum + (relevant.has(id) ? 1 / Math.log2(i + 2) : 0), 0);
    const ideal = [...Array(Math.min(relevant.size, 10)).keys()].reduce((sum, i) => sum + 1 / Math.log2(i + 2), 0);
    return {
      rr: firstHit >= 0 ? 1 / (firstHit + 1) : 0,
      ndcg: ideal ? dcg / ideal : 0,
      recall: ranked.filter((id) => relevant.has(id)).length / relevant.size,
      s1: firstHit === 0 ? 1 : 0,
      ms,
      style: q.style ?? "all",
    };
  };
  // Submitted queries, as an agent presses Enter or pastes a message: the last word is complete.
  const rows = await measure(async (q) => (await index.search({ q, limit: 10, submitted: true })).hits.map((h) => corpusId.get(h.document.id) ?? ""));
  const bm25 = plainBm25(
    read(corpus)
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l) as { id: string | number; question: string })
      .map((d) => ({ id: String(d.id), question: d.question })),
  );
  const baseline = await measure((q) => bm25(q, 10));
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(xs.length, 1);
  const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)] ?? NaN;
  const line = (label: string, rs: Row[]) =>
    `${label.padEnd(22)} n=${String(rs.length).padStart(4)}  MRR@10 ${mean(rs.map((r) => r.rr)).toFixed(3)}  nDCG@10 ${mean(rs.map((r) => r.ndcg)).toFixed(3)}  Recall@10 ${mean(rs.map((r) => r.recall)).toFixed(3)}  Success@1 ${mean(rs.map((r) => r.s1)).toFixed(3)}  p50 ${pct(rs.map((r) => r.ms), 50).toFixed(1)} ms  p95 ${pct(rs.map((r) => r.ms), 95).toFixed(1)} ms`;
  console.log(`search:eval — engine ${engine}, database ${dbKind}, ${report.created} answers, ${rows.length} queries${usageFile ? `, after replaying ${usageFile}` : ""}`);
  const styles = [...new Set(rows.map((r) => r.style))].filter((s) => s !== "all");
  const gain = (a: Row[], b: Row[]) => {
    const [x, y] = [mean(a.map((r) => r.rr)), mean(b.map((r) => r.rr))];
    return `${x >= y ? "+" : ""}${(((x - y) / Math.max(y, 1e-9)) * 100).toFixed(1)} %`;
  };
  console.log(line("plain BM25 (question)", baseline));
  for (const style of styles) console.log(line(`  ${style}`, baseline.filter((r) => r.style === style)));
  console.log(line(`${engine}`, rows));
  for (const style of styles) console.log(line(`  ${style}`, rows.filter((r) => r.style === style)));
  console.log(
    `MRR@10 against plain BM25: ${gain(rows, baseline)}` +
      (styles.length > 1 ? ` (${styles.map((s) => `${s} ${gain(rows.filter((r) => r.style === s), baseline.filter((r) => r.style === s))}`).join(", ")})` : ""),
  );
} finally {
  setDatabase(undefined);
  await database.close();
  await cleanup();
}
