import { sql } from "drizzle-orm";
import { getDatabase } from "../../db/client.server";
import { getConfig } from "../../server/config";
import { FULL_DISK_BYTES, freeBytes } from "../../server/fs-errors";
import { getSearchIndex, searchLag } from "./search.server";

export interface Health {
  status: "ok" | "unavailable";
  database: "pglite" | "postgres";
  /** Free space where the data directory lives; a full disk fails every write, so it is unhealthy. */
  disk?: { freeBytes: number; ok: boolean };
  reason?: string;
  search?: { engine: string; ok: boolean; outboxPending: number; outboxOldestSeconds: number; outboxFailing: number };
}

/** Does the database answer, and how far is the search index behind the database? */
export async function checkHealth(): Promise<Health> {
  const database = getDatabase();
  try {
    await database.db.execute(sql`select 1`);
    const free = freeBytes(getConfig().dataDir);
    const disk = free === null ? undefined : { freeBytes: free, ok: free >= FULL_DISK_BYTES };
    if (disk && !disk.ok) {
      return { status: "unavailable", database: database.driver, disk, reason: `the disk holding ${getConfig().dataDir} is full` };
    }
    const index = getSearchIndex();
    const [engine, lag] = await Promise.all([index.health(), searchLag()]);
    return {
      status: "ok",
      database: database.driver,
      ...(disk ? { disk } : {}),
      search: { engine: index.engine, ok: engine.ok, outboxPending: lag.pending, outboxOldestSeconds: lag.oldestSeconds, outboxFailing: lag.failing },
    };
  } catch {
    return { status: "unavailable", database: database.driver, reason: "the database does not answer" };
  }
}
