import { sql } from "drizzle-orm";
import { createDb, rowsOf } from "../db/client.server";
import { loadDocuments } from "../search/documents";
import { createPostgresIndex } from "../search/postgres";
const database = await createDb({ url: `postgres://postgres@127.0.0.1:5432/vetted_perf20` });
const db = database.db;
const ids = rowsOf<{ id: string }>(await db.execute(sql`select id from answers order by id limit 5000`)).map((r) => r.id);
const index = createPostgresIndex(() => db);
let tl = 0, tu = 0;
for (let i = 0; i < ids.length; i += 1000) {
  let t = performance.now();
  const docs = await loadDocuments(db, ids.slice(i, i + 1000));
  tl += performance.now() - t; t = performance.now();
  await index.upsert(docs);
  tu += performance.now() - t;
}
console.log("load ms/1000", (tl / 5).toFixed(0), "upsert ms/1000", (tu / 5).toFixed(0));
await database.close();
