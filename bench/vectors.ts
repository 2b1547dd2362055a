// npm run bench:vectors — how well and how fast VectorStore.nearest finds the nearest answers by
// meaning, against an exact cosine with every vector, at each number of vectors read (PROBE).
// Reads the vectors of a database that bench:search kept: KEEP_DB=name npm run bench:vectors.
import { sql } from "drizzle-orm";
import { rowsOf } from "../db/client.server";
import { encodeSentences } from "../search/sentence-encoder";
import { PROBE, VectorStore } from "../search/vector-store";
import { evalLines, every, keptBenchDatabase, ms, percentile } from "./support";

const name = process.env.KEEP_DB;
if (!name) {
  console.error("KEEP_DB=<database bench:search kept> is required");
  process.exit(2);
}
const PROBES = [4000, 8000, PROBE, 16_000];
/** What the blend lets in by meaning alone (TUNING.semanticOnly in search/resident.ts). */
const JOINS = 0.5;

const queries = ["clinc150", "hwu64", "semeval-cqa", "usage"].flatMap((set) =>
  every(
    evalLines<{ query: string }>(`${set}/queries.jsonl`).map((q) => q.query),
    75,
  ),
);

const database = await keptBenchDatabase(name, 4);
try {
  const t0 = performance.now();
  const rows: { id: string; v: Buffer }[] = [];
  let after = "00000000-0000-0000-0000-000000000000";
  for (;;) {
    const page = rowsOf<{ id: string; v: string }>(
      await database.db.execute(
        sql`select answer_id as id, translate(encode(vectors, 'base64'), E'\n', '') as v from search_documents where vectors is not null and answer_id > ${after}::uuid order by answer_id limit 5000`,
      ),
    );
    for (const r of page) rows.push({ id: r.id, v: Buffer.from(r.v, "base64") });
    if (page.length < 5000) break;
    after = page.at(-1)!.id;
  }
  console.log(`${rows.length} answers with vectors read in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const key = (slot: number) => rows[slot]!.id;
  const vectors = await encodeSentences(queries);
  let exact: { slot: number; sim: number }[][] | null = null;
  for (const probe of PROBES) {
    const store = new VectorStore(probe);
    const tLoad = performance.now();
    rows.forEach((r, slot) => store.set(slot, r.v));
    const loadSeconds = (performance.now() - tLoad) / 1000;
    if (!exact) {
      const tExact = performance.now();
      exact = vectors.map((q) => store.nearestExact(q, 100, key));
      console.log(`exact scan of every vector: ${ms((performance.now() - tExact) / vectors.length)} a query on average`);
    }
    const times: number[] = [];
    let recall = 0;
    let joinRecall = 0;
    let joinTotal = 0;
    let sameFirst = 0;
    vectors.forEach((q, i) => {
      const t = performance.now();
      const found = store.nearest(q, 100, null, key);
      times.push(performance.now() - t);
      const want = exact![i]!;
      const got = new Set(found.map((f) => f.slot));
      recall += want.filter((w) => got.has(w.slot)).length / Math.max(want.length, 1);
      const joins = want.filter((w) => w.sim >= JOINS);
      joinTotal += joins.length;
      joinRecall += joins.filter((w) => got.has(w.slot)).length;
      if (found[0]?.slot === want[0]?.slot) sameFirst++;
    });
    console.log(
      `probe ${probe}: recall@100 ${(recall / vectors.length).toFixed(3)}, of the answers at cosine ≥ ${JOINS} ${(joinRecall / Math.max(joinTotal, 1)).toFixed(3)} (${joinTotal}), ` +
        `same nearest ${sameFirst}/${vectors.length}; nearest p50 ${ms(percentile(times, 50))}, p95 ${ms(percentile(times, 95))}; filing ${rows.length} answers' vectors into cells ${loadSeconds.toFixed(1)} s`,
    );
  }
} finally {
  await database.close();
}
