import { sql } from "drizzle-orm";
import { getDatabase } from "../../db/client.server";
import { getSearchIndex, searchLag } from "./search.server";

export interface Health {
  status: "ok" | "unavailable";
  database: "pglite" | "postgres";
  search?: { engine: string; ok: boolean; outboxPending: number; outboxOldestSeconds: number; outboxFailing: number };
}

/** Does the database answer, and how far is the search index behind the database? */
export async function checkHealth(): Promise<Health> {
  const database = getDatabase();
  try {
    await database.db.execute(sql`select 1`);
    const index = getSearchIndex();
    const [engine, lag] = await Promise.all([index.health(), searchLag()]);
    return {
      status: "ok",
      database: database.driver,
      search: { engine: index.engine, ok: engine.ok, outboxPending: lag.pending, outboxOldestSeconds: lag.oldestSeconds, outboxFailing: lag.failing },
    };
  } catch {
    return { status: "unavailable", database: database.driver };
  }
}
