import { fileURLToPath } from "node:url";
import path from "node:path";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import type { PgliteDatabase } from "drizzle-orm/pglite";
import type { PostgresJsDatabase } from "drizzle-orm/postgres-js";
import { sql } from "drizzle-orm";
import type { Database } from "./client.server";
// Imported, not read from disk: the Remix build bundles this module, where the folder beside it
// is build/, not db/. The count is what this release's code expects.
import journal from "./migrations/meta/_journal.json";

export const migrationsFolder = path.join(path.dirname(fileURLToPath(import.meta.url)), "migrations");

/**
 * Applies the committed SQL migrations from code on either driver (drizzle-kit migrate opens
 * PGlite without its extensions, so it is not used). Safe to run on every start.
 */
export async function migrateDatabase(database: Database, folder = migrationsFolder): Promise<void> {
  if (database.driver === "pglite") {
    await migratePglite(database.db as unknown as PgliteDatabase, { migrationsFolder: folder });
  } else {
    await migratePostgres(database.db as unknown as PostgresJsDatabase, { migrationsFolder: folder });
  }
}

/**
 * How many committed migrations the database has not applied yet (0 when current). An instance
 * of an older release rolled next to a newer one sees the newer migrations as applied, which is
 * fine: only a database behind the code is not ready.
 */
export async function pendingMigrations(database: Database, known: number = journal.entries.length): Promise<number> {
  try {
    const result = await database.db.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
    const rows = (Array.isArray(result) ? result : ((result as { rows?: unknown[] }).rows ?? [])) as { n: number }[];
    return Math.max(0, known - Number(rows[0]?.n ?? 0));
  } catch {
    return known;
  }
}

/** Any fixed number: the lock instances take to migrate and seed one at a time. */
const STARTUP_LOCK = 7_311_442;

/**
 * Runs `fn` while holding a PostgreSQL advisory lock, so that instances started together migrate
 * and seed one after the other (the migrator has no lock of its own; two at once would both try
 * to create the same tables). The lock lives in a transaction on one pooled connection and `fn`
 * runs on the others; PGlite has one process and needs none.
 */
export async function withStartupLock<T>(database: Database, fn: () => Promise<T>): Promise<T> {
  if (database.driver !== "postgres") return fn();
  let result: T | undefined;
  await database.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${STARTUP_LOCK})`);
    result = await fn();
  });
  return result as T;
}
