import { createDb } from "../db/client.server";
import { createPostgresIndex } from "../search/postgres";
import { QUERIES } from "./.scratch-lines";
const database = await createDb({ url: `postgres://postgres@127.0.0.1:5432/${process.env.DBNAME ?? "vetted_perf"}` });
const index = createPostgresIndex(() => database.db);
let t = performance.now();
await index.search({ q: "warm" });
console.log("load s", ((performance.now() - t) / 1000).toFixed(2), "rss MB", Math.round(process.memoryUsage().rss / 1e6));
for (const q of QUERIES) await index.search({ q });
const per = new Map<string, number[]>();
for (let r = 0; r < Number(process.env.ROUNDS ?? 10); r++) for (const q of QUERIES) { const t = performance.now(); await index.search({ q }); (per.get(q) ?? per.set(q, []).get(q)!).push(performance.now() - t); }
const all = [...per.values()].flat().sort((a, b) => a - b);
console.log("p50", all[Math.floor(all.length / 2)]!.toFixed(2), "p95", all[Math.floor(all.length * 0.95)]!.toFixed(2));
for (const [q, v] of per) console.log(v.sort((a, b) => a - b)[5]!.toFixed(2), q.slice(0, 60));
await database.close();
