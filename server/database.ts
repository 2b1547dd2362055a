import path from "node:path";
import type { Logger } from "pino";
import { createDb, type Database } from "../db/client.server";
import { migrateDatabase, withStartupLock } from "../db/migrate";
import type { Config } from "./config";
import { describeFsError, unwritableReason } from "./fs-errors";
import { DataDirLockedError, lockDataDir, type DataDirLock } from "./data-dir-lock";

/** postgres://user:secret@host/db → postgres://user:***@host/db, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "(unparseable URL)";
  }
}

export class StartupError extends Error {
  override name = "StartupError";
}

/**
 * Opens the configured database and migrates it. A server that cannot be reached becomes a
 * one-line StartupError naming DATABASE_URL instead of a driver stack trace.
 */
export async function openDatabase(config: Config, log: Logger): Promise<Database> {
  let lock: DataDirLock | undefined;
  if (!config.databaseUrl) {
    const unwritable = unwritableReason(path.join(config.dataDir, "pglite"));
    if (unwritable) throw new StartupError(`embedded database in ${config.dataDir}/pglite: ${unwritable}`);
    try {
      lock = await lockDataDir(config.dataDir);
    } catch (error) {
      if (error instanceof DataDirLockedError) throw new StartupError(error.message);
      throw new StartupError(`embedded database in ${config.dataDir}: cannot lock it (${describeFsError(error)})`);
    }
  }
  let opened: Database;
  try {
    opened = await createDb({ url: config.databaseUrl, dataDir: path.join(config.dataDir, "pglite") });
  } catch (error) {
    await lock?.release();
    if (config.databaseUrl) throw new StartupError(`DATABASE_URL ${redactUrl(config.databaseUrl)}: ${describeDbError(error)}`);
    throw new StartupError(`embedded database in ${config.dataDir}/pglite: ${describeFsError(error)}`);
  }
  const database: Database = lock
    ? {
        ...opened,
        close: async () => {
          try {
            await opened.close();
          } finally {
            await lock.release();
          }
        },
      }
    : opened;
  try {
    await withStartupLock(database, () => migrateDatabase(database));
  } catch (error) {
    await database.close().catch(() => {});
    const reason = describeDbError(error);
    if (config.databaseUrl) {
      throw new StartupError(`DATABASE_URL ${redactUrl(config.databaseUrl)}: ${reason}`);
    }
    throw new StartupError(`embedded database in ${config.dataDir}/pglite: ${reason}`);
  }
  log.info(
    { driver: database.driver, ...(config.databaseUrl ? { url: redactUrl(config.databaseUrl) } : { dataDir: config.dataDir }) },
    "database ready",
  );
  return database;
}

function describeDbError(error: unknown): string {
  const e = error as { code?: string; message?: string; cause?: { code?: string; message?: string } };
  const code = e.cause?.code ?? e.code;
  const message = e.cause?.message ?? e.message ?? String(error);
  switch (code) {
    case "ECONNREFUSED":
      return "cannot connect (connection refused) — is the server running?";
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return "cannot connect (host not found)";
    case "3D000":
      return `cannot connect (${message})`;
    case "28P01":
    case "28000":
      return `cannot sign in (${message})`;
    default:
      return message.split("\n")[0] ?? "unknown error";
  }
}
