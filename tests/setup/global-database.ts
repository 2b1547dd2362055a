import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import postgres from "postgres";
import type { TestProject } from "vitest/node";
import { createDb } from "../../db/client.server";
import { migrateDatabase, migrationsFolder } from "../../db/migrate";
import { buildIfStale } from "../../server/build-if-stale.mjs";

declare module "vitest" {
  export interface ProvidedContext {
    /** postgres: the migrated template database each test file copies. */
    pgTemplate: string;
    /** postgres: prefix of this run's databases, dropped at the end. */
    pgRunPrefix: string;
    /** pglite: a migrated data-dir dump each test file starts from. */
    pgliteDump: string;
  }
}

export const DEFAULT_TEST_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/test";

function migrationsHash(): string {
  const h = createHash("sha256");
  for (const file of readdirSync(migrationsFolder, { recursive: true }).map(String).sort()) {
    const p = path.join(migrationsFolder, file);
    try {
      h.update(file).update(readFileSync(p));
    } catch {
      // a directory
    }
  }
  return h.digest("hex").slice(0, 12);
}

/** The server URL of a database `name` on the test server. */
export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/**
 * Migrates once per run: a template database on the PostgreSQL server (reused across runs
 * while the migrations are unchanged), or a PGlite dump. Each test file then starts from a copy.
 */
export default async function setup(project: TestProject) {
  // Integration tests drive the real Remix build (tests/support/app.ts).
  buildIfStale({ quiet: true });
  if (project.name.endsWith("postgres")) return setupPostgres(project);
  return setupPglite(project);
}

async function setupPostgres(project: TestProject) {
  const url = process.env.TEST_DATABASE_URL || DEFAULT_TEST_DATABASE_URL;
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await admin`select 1`;
  } catch (error) {
    await admin.end();
    throw new Error(
      `The PostgreSQL integration tests need a server: TEST_DATABASE_URL=${url} did not answer (${(error as Error).message}). ` +
        "Start PostgreSQL or point TEST_DATABASE_URL at one.",
    );
  }
  const template = `vetted_tpl_${migrationsHash()}`;
  const runPrefix = `vt_${randomBytes(3).toString("hex")}_`;
  // Several vitest runs may start at once (CI and a developer): one migrates, the rest wait.
  await admin`select pg_advisory_lock(727274)`;
  try {
    const [exists] = await admin`select 1 from pg_database where datname = ${template}`;
    if (!exists) {
      const building = `${template}_building`;
      await admin.unsafe(`drop database if exists "${building}"`);
      await admin.unsafe(`create database "${building}"`);
      const database = await createDb({ url: withDatabase(url, building), max: 1 });
      try {
        await migrateDatabase(database);
      } finally {
        await database.close();
      }
      await admin.unsafe(`alter database "${building}" rename to "${template}"`);
    }
  } finally {
    await admin`select pg_advisory_unlock(727274)`;
  }
  project.provide("pgTemplate", template);
  project.provide("pgRunPrefix", runPrefix);
  return async () => {
    const leftovers = await admin`select datname from pg_database where datname like ${runPrefix + "%"}`;
    for (const { datname } of leftovers) await admin.unsafe(`drop database if exists "${datname}" with (force)`);
    await admin.end();
  };
}

async function setupPglite(project: TestProject) {
  const dir = mkdtempSync(path.join(tmpdir(), "vetted-pglite-"));
  const database = await createDb({ dataDir: "memory://" });
  await migrateDatabase(database);
  const pglite = (database.db as unknown as { $client: { dumpDataDir(c?: "none" | "gzip"): Promise<Blob> } }).$client;
  const dump = await pglite.dumpDataDir("none");
  await database.close();
  const file = path.join(dir, "migrated.tar");
  writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  project.provide("pgliteDump", file);
  return () => rmSync(dir, { recursive: true, force: true });
}
