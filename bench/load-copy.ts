// KEEP_DB=name node --expose-gc --import tsx bench/load-copy.ts — how long a fresh process takes to load its resident
// search copy from a kept bench:search database, split into reading the rows and building the
// index (node --cpu-prof on this script shows where the building goes).
import { sql } from "drizzle-orm";
import { rowsOf } from "../db/client.server";
import { createPostgresIndex } from "../search/postgres";
import { keptBenchDatabase } from "./support";

const name = process.env.KEEP_DB;
if (!name) throw new Error("KEEP_DB=<a database bench:search kept> is required");
const database = await keptBenchDatabase(name, 4);
try {
  const [n] = rowsOf<{ n: number }>(await database.db.execute(sql`select count(*)::int as n from search_documents`));
  const t0 = performance.now();
  await createPostgresIndex(() => database.db).search({ q: "warm up", limit: 1 });
  const took = performance.now() - t0;
  // Then it sorts its long posting lists between requests (search/postgres.ts): how long, idle.
  const index = createPostgresIndex(() => database.db);
  while (!index.residentCopy?.().preparedAt) await new Promise((r) => setTimeout(r, 5));
  const prepared = performance.now() - t0 - took;
  // The index's own heap, not the garbage of loading it (run with node --expose-gc).
  (globalThis as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  console.log(`loaded ${n?.n} documents in ${(took / 1000).toFixed(2)} s, long lists sorted ${(prepared / 1000).toFixed(2)} s later; RSS ${Math.round(m.rss / 1e6)} MB, heap ${Math.round(m.heapUsed / 1e6)} MB`);
} finally {
  await database.close();
}
