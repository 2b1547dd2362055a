import { spawn } from "node:child_process";
import { existsSync, openSync, readSync, closeSync, renameSync, rmSync, statSync, writeFileSync, readFileSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { fuzzystrmatch } from "@electric-sql/pglite/contrib/fuzzystrmatch";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import type { Config } from "./config";
import { CliError } from "./cli";
import { DataDirLockedError, lockDataDir } from "./data-dir-lock";
import { redactUrl } from "./database";

/**
 * Backups of either database, in the format its own tools read back: `pg_dump`'s custom format
 * for a server, PGlite's data-directory dump (a gzipped tar) for the embedded database. Neither
 * migrates: a backup taken before an upgrade is the database as the old release left it.
 */
export type BackupKind = "postgres" | "pglite";

export interface BackupResult {
  kind: BackupKind;
  file: string;
  bytes: number;
}

/** The first bytes say which kind a file is: "PGDMP" (pg_dump custom format) or gzip (a PGlite dump). */
export function backupKindOf(file: string): BackupKind | null {
  const fd = openSync(file, "r");
  try {
    const head = Buffer.alloc(5);
    const n = readSync(fd, head, 0, 5, 0);
    if (n === 5 && head.toString("latin1") === "PGDMP") return "postgres";
    if (n >= 2 && head[0] === 0x1f && head[1] === 0x8b) return "pglite";
    return null;
  } finally {
    closeSync(fd);
  }
}

/** The URL without its password (which goes to the tool in PGPASSWORD, not on its command line). */
function connection(url: string): { url: string; env: NodeJS.ProcessEnv } {
  const u = new URL(url);
  const password = decodeURIComponent(u.password);
  u.password = "";
  return { url: u.toString(), env: { ...process.env, ...(password ? { PGPASSWORD: password } : {}) } };
}

function run(tool: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(tool, args, { env, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += String(d)));
    child.on("error", (error: NodeJS.ErrnoException) =>
      reject(
        new CliError(
          error.code === "ENOENT" ? `${tool} is not installed: install PostgreSQL's client tools (Debian: postgresql-client), of the server's major version or newer` : `${tool}: ${error.message}`,
        ),
      ),
    );
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new CliError(`${tool} failed (exit ${code}): ${stderr.trim().split("\n").slice(-3).join(" ")}`))));
  });
}

async function withDataDirLock<T>(config: Config, fn: () => Promise<T>): Promise<T> {
  let lock;
  try {
    lock = await lockDataDir(config.dataDir);
  } catch (error) {
    if (error instanceof DataDirLockedError) throw new CliError(error.message);
    throw error;
  }
  try {
    return await fn();
  } finally {
    await lock.release();
  }
}

const pgliteDir = (config: Config) => path.join(config.dataDir, "pglite");

export async function backupDatabase(config: Config, out: string): Promise<BackupResult> {
  const file = path.resolve(out);
  if (!existsSync(path.dirname(file))) throw new CliError(`--out ${out}: the folder ${path.dirname(file)} does not exist`);
  // Written beside the target and renamed: a failed backup never leaves a truncated file under the name.
  const partial = `${file}.partial`;
  try {
    if (config.databaseUrl) {
      const { url, env } = connection(config.databaseUrl);
      await run("pg_dump", ["--format=custom", "--no-owner", "--no-privileges", "--file", partial, "--dbname", url], env);
    } else {
      if (!existsSync(path.join(pgliteDir(config), "PG_VERSION"))) throw new CliError(`there is no embedded database in ${pgliteDir(config)} to back up`);
      await withDataDirLock(config, async () => {
        const pg = await PGlite.create({ dataDir: pgliteDir(config), extensions: { pg_trgm, fuzzystrmatch } });
        try {
          const dump = await pg.dumpDataDir("gzip");
          writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
        } finally {
          await pg.close();
        }
      });
    }
    renameSync(partial, file);
  } finally {
    rmSync(partial, { force: true });
  }
  return { kind: config.databaseUrl ? "postgres" : "pglite", file, bytes: statSync(file).size };
}

/**
 * Replaces the configured database's contents with a backup. Stop every instance first: on a
 * server, running instances would keep serving their old search copies; the embedded database
 * is locked by a running server, and restore refuses then. The embedded database's previous
 * directory is kept beside it (pglite.before-restore-<time>), never deleted.
 */
export async function restoreDatabase(config: Config, from: string): Promise<{ kind: BackupKind; keptAt?: string }> {
  const file = path.resolve(from);
  if (!existsSync(file)) throw new CliError(`${from}: no such file`);
  const kind = backupKindOf(file);
  if (!kind) throw new CliError(`${from} is not a Vetted backup (neither pg_dump's custom format nor a PGlite dump)`);
  if (config.databaseUrl) {
    if (kind !== "postgres") throw new CliError(`${from} is a backup of the embedded database; unset DATABASE_URL to restore it there`);
    const { url, env } = connection(config.databaseUrl);
    // One transaction: a restore that fails half-way leaves the database as it was.
    await run("pg_restore", ["--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error", "--dbname", url, file], env).catch(
      (error: CliError) => {
        throw new CliError(`restoring into ${redactUrl(config.databaseUrl!)}: ${error.message}`);
      },
    );
    return { kind };
  }
  if (kind !== "pglite") throw new CliError(`${from} is a backup of a PostgreSQL server; set DATABASE_URL to the server to restore it there`);
  return withDataDirLock(config, async () => {
    const dir = pgliteDir(config);
    const keptAt = existsSync(dir) ? `${dir}.before-restore-${new Date().toISOString().replace(/[:.]/g, "-")}` : undefined;
    if (keptAt) renameSync(dir, keptAt);
    try {
      const pg = await PGlite.create({ dataDir: dir, extensions: { pg_trgm, fuzzystrmatch }, loadDataDir: new Blob([readFileSync(file)]) });
      try {
        await pg.query("select count(*) from drizzle.__drizzle_migrations");
      } finally {
        await pg.close();
      }
    } catch (error) {
      rmSync(dir, { recursive: true, force: true });
      if (keptAt) renameSync(keptAt, dir);
      throw new CliError(`${from} could not be restored (the embedded database is unchanged): ${(error as Error).message}`);
    }
    return { kind, ...(keptAt ? { keptAt } : {}) };
  });
}
