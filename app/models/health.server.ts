import { sql } from "drizzle-orm";
import { getDatabase } from "../../db/client.server";

export interface Health {
  status: "ok" | "unavailable";
  database: "pglite" | "postgres";
}

/** Does the database answer? Later features add their own lag figures here (search outbox). */
export async function checkHealth(): Promise<Health> {
  const database = getDatabase();
  try {
    await database.db.execute(sql`select 1`);
    return { status: "ok", database: database.driver };
  } catch {
    return { status: "unavailable", database: database.driver };
  }
}
