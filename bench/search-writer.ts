// Started by bench/search.ts beside a load test: re-indexes WRITES_PER_SECOND answers a second
// (of the first 5,000 by id) with a change an agent's use makes, a learned phrasing that comes or
// goes, through the index's own upsert (the server's copy follows as it follows any write).
// Runs until killed. WRITER_URL is the database.
import { sql } from "drizzle-orm";
import { createDb, rowsOf } from "../db/client.server";
import { loadDocuments } from "../search/documents";
import { createPostgresIndex } from "../search/postgres";

const { db } = await createDb({ url: process.env.WRITER_URL, max: 2 });
const index = createPostgresIndex(() => db);
const ids = rowsOf<{ id: string }>(await db.execute(sql`select answer_id as id from search_documents order by answer_id limit 5000`)).map((r) => r.id);
const perSecond = Number(process.env.WRITES_PER_SECOND ?? 2);
let i = 0;
setInterval(() => {
  const n = i++;
  void (async () => {
    const [doc] = await loadDocuments(db, [ids[(n * 7919) % ids.length]!]);
    if (!doc) return;
    doc.learnedPhrasings = [...(doc.learnedPhrasings ?? []), ...(n % 2 === 0 ? [`how do i get help with case ${n}`] : [])];
    await index.upsert([doc]);
  })().catch((error: unknown) => console.error(error));
}, 1000 / perSecond);
