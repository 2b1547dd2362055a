import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { fuzzystrmatch } from "@electric-sql/pglite/contrib/fuzzystrmatch";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import type { ExtractTablesWithRelations, SQL } from "drizzle-orm";
import { PgDialect, type PgDatabase, type PgQueryResultHKT, type PgTransaction } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import * as schema from "./schema";

export type Schema = typeof schema;
/** The drizzle database, whichever driver sits beneath it. */
export type Db = PgDatabase<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** Code that works inside or outside a transaction takes this. */
export type DbOrTx = Db | Tx;

export interface Database {
  db: Db;
  driver: "pglite" | "postgres";
  close(): Promise<void>;
}

export interface CreateDbOptions {
  /** postgres://… for a server; unset for embedded PGlite. */
  url?: string | undefined;
  /** PGlite data directory (ignored for a server). `memory://` keeps it in memory. */
  dataDir?: string;
  /** A PGlite dump (from `dumpDataDir`) to start from instead of an empty cluster. */
  loadDataDir?: Blob | File;
  /** postgres.js pool size. */
  max?: number;
}

/** One place opens a connection: PGlite when no URL is given, postgres.js otherwise. */
export async function createDb(options: CreateDbOptions = {}): Promise<Database> {
  if (options.url) {
    const client = postgres(options.url, {
      max: options.max ?? 10,
      onnotice: () => {},
      // Keep idle connections from pinning the process open after shutdown.
      idle_timeout: 20,
      // Our queries are short; JIT compiling a search plan costs more (≈9 ms) than running it.
      connection: { jit: "off" },
    });
    const db = drizzlePostgres(client, { schema }) as unknown as Db;
    return { db, driver: "postgres", close: () => client.end({ timeout: 3 }) };
  }
  const dataDir = options.dataDir ?? "./data/pglite";
  if (!dataDir.startsWith("memory://")) mkdirSync(dataDir, { recursive: true });
  const client = await PGlite.create({
    dataDir,
    extensions: { pg_trgm, fuzzystrmatch },
    ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
  });
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  return { db, driver: "pglite", close: () => client.close() };
}

/**
 * The process-wide database, shared between the HTTP server and the Remix build (which
 * bundles its own copy of this module), so it lives on globalThis.
 */
const globalKey = Symbol.for("vetted.database");
type GlobalWithDb = typeof globalThis & { [globalKey]?: Database };

export function setDatabase(database: Database | undefined): void {
  (globalThis as GlobalWithDb)[globalKey] = database;
}

export function getDatabase(): Database {
  const database = (globalThis as GlobalWithDb)[globalKey];
  if (!database) throw new Error("The database is not open: the server opens it at start (server/main.ts).");
  return database;
}

export function getDb(): Db {
  return getDatabase().db;
}

/** True when `db` is a PostgreSQL server that other processes may share; false for PGlite (this process only). */
export function isSharedServer(db: Db): boolean {
  const client = (db as unknown as { $client?: unknown }).$client;
  return !!client && !(client instanceof PGlite);
}

/**
 * Calls `onNotify` on every NOTIFY on `channel` from any connection, when `db` is a PostgreSQL
 * server (other processes write there). PGlite lives in this one process, so there is nobody
 * else to hear from: returns null. The returned function stops listening.
 */
export async function listenToOthers(db: Db, channel: string, onNotify: () => void): Promise<(() => Promise<void>) | null> {
  if (!isSharedServer(db)) return null;
  const client = (db as unknown as { $client: postgres.Sql }).$client;
  const { unlisten } = await client.listen(channel, onNotify);
  return unlisten;
}

/** Rows of a raw `db.execute()` result, whichever driver produced it. */
export function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}

const dialect = new PgDialect();

/**
 * A raw read on the search path, as a prepared statement on a PostgreSQL server: planned once per
 * connection instead of on every call. drizzle prepares only named queries, and `db.execute()`
 * never; a new search's reads (its hits' documents, their formats, new words' stems) spent more
 * time in PostgreSQL's planner than in the executor (docs/decisions/025-prepared-search-reads.md).
 * Rows come back as `db.execute()` gives them. PGlite, and a transaction, run it as usual.
 */
export async function preparedRows<T>(db: DbOrTx, query: SQL): Promise<T[]> {
  const client = (db as { $client?: { unsafe?: unknown } }).$client;
  if (typeof client?.unsafe !== "function") return rowsOf<T>(await db.execute(query));
  const { sql: text, params } = dialect.sqlToQuery(query);
  return (await (client as postgres.Sql).unsafe(text, params as postgres.ParameterOrJSON<never>[], { prepare: true })) as unknown as T[];
}
