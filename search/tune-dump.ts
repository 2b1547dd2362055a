// SETS=clinc150,hwu64 limits the sets; DIAG takes a comma list.
// TUNE='[{"name":"base"},{"name":"bA 0.9","b":{"A":0.9}},{"name":"k1 1.6","t":{"k1":1.6}}]' npx tsx search/tune-ranking.ts [DIAG=<set>]
// Compares ranking knobs (TUNING, FIELD_WEIGHT, FIELD_B of search/resident.ts) on all three
// development sets at once, in one process: each set is imported into PGlite once and every
// configuration is run over it. Prints per configuration and set MRR@10 and its gain over the
// plain BM25 row of search:eval. DIAG=<set> lists that set's queries where plain BM25 ranks the
// first relevant answer higher, with both top hits. Knobs that change the stored tsvector cannot
// be compared this way (they need a reindex): use search:eval. With several configurations, each
// later one is also compared query by query with the first (how many ranked better, how many
// worse), and each line ends with the in-process search latency (p50/p95 over the sets' queries).
import { readFileSync } from "node:fs";
import { createDb, setDatabase } from "../db/client.server";
import { migrateDatabase } from "../db/migrate";
import { users } from "../db/schema";
import { importAnswers } from "../workflows/import";
import { drainAll, embedAll } from "./outbox";
import { plainBm25 } from "./plain-bm25";
import { createPostgresIndex } from "./postgres";
import { FIELD_B, FIELD_WEIGHT, retuned, TUNING } from "./resident";

type Cfg = { name: string; t?: Partial<typeof TUNING>; w?: Record<string, number>; b?: Record<string, number> };
const configs = JSON.parse(process.env.TUNE ?? "[]") as Cfg[];
const base = { t: { ...TUNING }, w: { ...FIELD_WEIGHT }, b: { ...FIELD_B } };
/** The bundled made-up set (bench/eval/*.jsonl) is "northwind". */
const dir = (set: string) => (set === "northwind" ? "bench/eval" : `bench/eval/${set}`);
const sets = (process.env.SETS ?? "clinc150,hwu64,semeval-cqa").split(",");
if (configs.length === 0) configs.push({ name: "current" });
const table: Record<string, string[]> = {};
const perQuery: Record<string, number[]> = {};
const latency: Record<string, number[]> = {};
const versus: string[] = [];
for (const set of sets) {
  const corpus = readFileSync(`${dir(set)}/corpus.jsonl`, "utf8").split("\n").filter((l) => l.trim());
  const queries = readFileSync(`${dir(set)}/queries.jsonl`, "utf8").split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l) as { query: string; relevant: string[] });
  const database = await createDb({ dataDir: "memory://" });
  setDatabase(database);
  await migrateDatabase(database);
  const db = database.db;
  await db.insert(users).values({ email: "eval@vetted.local", displayName: "x", roles: ["knowledge_manager"], passwordHash: null });
  await importAnswers(db, corpus, { as: "certified", skipInvalid: false, userEmail: "eval@vetted.local" });
  const index = createPostgresIndex(() => db);
  await index.clear();
  await drainAll(db, index);
  await embedAll(index);
  const ext = await db.query.answers.findMany({ columns: { id: true, externalId: true } });
  const corpusId = new Map(ext.map((a) => [a.id, a.externalId?.replace(/^import:/, "") ?? ""]));
  const rr = (ranked: string[], rel: string[]) => { const i = ranked.findIndex((id) => rel.includes(id)); return i >= 0 ? 1 / (i + 1) : 0; };
  const bm = plainBm25(corpus.map((l) => JSON.parse(l) as { id: string; question: string }).map((d) => ({ id: String(d.id), question: d.question })));
  const plain = queries.reduce((s, q) => s + rr(bm(q.query, 10), q.relevant), 0) / queries.length;
  for (const c of configs) {
    Object.assign(TUNING, base.t, c.t ?? {});
    Object.assign(FIELD_WEIGHT, base.w, c.w ?? {});
    Object.assign(FIELD_B, base.b, c.b ?? {});
    retuned();
    let sum = 0;
    let oracle = 0;
    let wins = 0;
    let losses = 0;
    const text = new Map(corpus.map((l) => JSON.parse(l) as { id: string; question: string }).map((d) => [String(d.id), d.question]));
    for (const q of queries) {
      const started = performance.now();
      const res = await index.search({ q: q.query, limit: 100, submitted: true }); (globalThis as any).dump ??= {}; (globalThis as any).dump[set] ??= []; (globalThis as any).dump[set].push(res.hits.map((h) => [corpusId.get(h.document.id) ?? "", h.score])); const ours = res.hits.slice(0,10).map((h) => corpusId.get(h.document.id) ?? "");
      (latency[c.name] ??= []).push(performance.now() - started);
      const r = rr(ours, q.relevant);
      sum += r;
      (perQuery[c.name] ??= []).push(r);
      const p = bm(q.query, 10);
      const rp = rr(p, q.relevant);
      oracle += Math.max(r, rp);
      if (r > rp) wins++;
      if (r < rp) losses++;
      if ((process.env.DIAG ?? "").split(",").includes(set) && rr(p, q.relevant) > r) console.log(`Q ${q.query}\n  plain ${rr(p, q.relevant).toFixed(2)} ${text.get(p[0]!)}\n  ours  ${r.toFixed(2)} ${text.get(ours[0]!)}`);
    }
    const m = sum / queries.length;
    if (process.env.ORACLE) console.log(`${set} ${c.name}: best of both ${(oracle / queries.length).toFixed(3)}, wins ${wins}, losses ${losses}`);
    (table[c.name] ??= []).push(`${m.toFixed(3)} ${((m / plain - 1) * 100).toFixed(1).padStart(5)}%`);
  }
  const first = perQuery[configs[0]!.name]!;
  for (const c of configs.slice(1)) {
    const rs = perQuery[c.name]!;
    const better = rs.filter((r, i) => r > first[i]! + 1e-9).length;
    const worse = rs.filter((r, i) => r < first[i]! - 1e-9).length;
    versus.push(`${set} ${c.name} vs ${configs[0]!.name}: ${better} queries better, ${worse} worse`);
  }
  for (const c of configs) delete perQuery[c.name];
  setDatabase(undefined);
  await database.close();
}
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))] ?? 0;
for (const c of configs) console.log(c.name.padEnd(40), table[c.name]!.join("   "), `   p50 ${pct(latency[c.name]!, 50).toFixed(2)} ms p95 ${pct(latency[c.name]!, 95).toFixed(2)} ms`);
for (const line of versus) console.log(line);
import("node:fs").then(fs=>fs.writeFileSync("/tmp/emb/lex.json", JSON.stringify((globalThis as any).dump)));
