import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, describe, expect, it } from "vitest";
import { createDb, rowsOf, type Db } from "../../db/client.server";
import { migrateDatabase } from "../../db/migrate";
import { seedDemo } from "../../db/seed";
import { root } from "../../server/build-if-stale.mjs";
import { lockDataDir } from "../../server/data-dir-lock";
import { DEFAULT_TEST_DATABASE_URL, withDatabase } from "../setup/global-database";
import { testDriver } from "../support/db";

/** `npm run backup` / `npm run restore` as an operator runs them: the real CLI, real pg_dump/pg_restore, real PGlite dumps. */
function cli(args: string[], env: Record<string, string | undefined>): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const childEnv: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: "silent" };
    delete childEnv.DATABASE_URL;
    for (const [k, v] of Object.entries(env)) if (v !== undefined) childEnv[k] = v;
    const child = spawn(process.execPath, [path.join(root, "node_modules/tsx/dist/cli.mjs"), "server/backup-cli.ts", ...args], { cwd: root, env: childEnv });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += String(d)));
    child.stderr.on("data", (d) => (err += String(d)));
    child.on("exit", (code) => resolve({ code, out, err }));
  });
}

/**
 * What must survive a round trip: the row count of every table, and every field of a certified
 * answer's full history (its versions and workflow events).
 */
async function fingerprint(db: Db) {
  const tables = rowsOf<{ name: string }>(await db.execute(sql`select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`));
  const counts: Record<string, number> = {};
  for (const t of tables) counts[t.name] = Number(rowsOf<{ n: number }>(await db.execute(sql.raw(`select count(*)::int as n from "${t.name}"`)))[0]!.n);
  const [certified] = rowsOf<{ answer_id: string }>(
    await db.execute(sql`select v.answer_id from answer_versions v where v.state = 'certified' order by (select count(*) from answer_events e where e.answer_id = v.answer_id) desc, v.answer_id limit 1`),
  );
  const history = rowsOf<{ versions: string; events: string; n: number }>(
    await db.execute(sql`select
      (select md5(string_agg(row_to_json(v)::text, '|' order by v.id)) from answer_versions v where v.answer_id = ${certified!.answer_id}) as versions,
      (select md5(string_agg(row_to_json(e)::text, '|' order by e.id)) from answer_events e where e.answer_id = ${certified!.answer_id}) as events,
      (select count(*)::int from answer_events e where e.answer_id = ${certified!.answer_id}) as n`),
  )[0]!;
  return { counts, certified: certified!.answer_id, history };
}

const dir = mkdtempSync(path.join(tmpdir(), "vetted-backup-"));

describe.runIf(testDriver === "postgres")("backup and restore on a PostgreSQL server (pg_dump custom format)", () => {
  const serverUrl = process.env.TEST_DATABASE_URL || DEFAULT_TEST_DATABASE_URL;
  const names = [`vt_bk_src_${randomBytes(4).toString("hex")}`, `vt_bk_dst_${randomBytes(4).toString("hex")}`];
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  afterAll(async () => {
    for (const n of names) await admin.unsafe(`drop database if exists "${n}" with (force)`);
    await admin.end();
  });

  it("round-trips the demo data and a certified answer's full history into an empty database", async () => {
    for (const n of names) await admin.unsafe(`create database "${n}"`);
    const [srcUrl, dstUrl] = names.map((n) => withDatabase(serverUrl, n)) as [string, string];
    const src = await createDb({ url: srcUrl, max: 2 });
    await migrateDatabase(src);
    await seedDemo(src.db);
    const before = await fingerprint(src.db);
    await src.close();
    expect(before.history.n).toBeGreaterThanOrEqual(3);
    expect(before.counts.users).toBeGreaterThanOrEqual(6);

    const file = path.join(dir, "vetted.dump");
    const backup = await cli(["backup", "--out", file], { DATABASE_URL: srcUrl });
    expect(backup.err).toBe("");
    expect(backup.code).toBe(0);
    expect(backup.out).toMatch(/^Backed up the PostgreSQL database to .*vetted\.dump \(\d+\.\d MB\)\.\n$/);

    const restore = await cli(["restore", file], { DATABASE_URL: dstUrl });
    expect(restore.err).toBe("");
    expect(restore.code).toBe(0);
    const dst = await createDb({ url: dstUrl, max: 2 });
    try {
      expect(await fingerprint(dst.db)).toEqual(before);
    } finally {
      await dst.close();
    }
  });

  it("refuses what it cannot do with a one-line reason and exit 1", async () => {
    const dstUrl = withDatabase(serverUrl, names[1]!);
    const noOut = await cli(["backup"], { DATABASE_URL: dstUrl });
    expect(noOut).toMatchObject({ code: 1, err: "backup: --out FILE is required: where to write the backup\n" });
    const notAFile = path.join(dir, "notes.txt");
    writeFileSync(notAFile, "hello");
    expect(await cli(["restore", notAFile], { DATABASE_URL: dstUrl })).toMatchObject({ code: 1, err: expect.stringMatching(/is not a Vetted backup/) });
    const pgliteDump = path.join(dir, "fake-pglite.tgz");
    writeFileSync(pgliteDump, Buffer.from([0x1f, 0x8b, 0x08, 0x00]));
    expect(await cli(["restore", pgliteDump], { DATABASE_URL: dstUrl })).toMatchObject({ code: 1, err: expect.stringMatching(/backup of the embedded database; unset DATABASE_URL/) });
    // The password never reaches a message (it goes to pg_dump in PGPASSWORD).
    const wrong = await cli(["backup", "--out", path.join(dir, "x.dump")], { DATABASE_URL: "postgres://nobody:s3cret-pw@127.0.0.1:1/none" });
    expect(wrong.code).toBe(1);
    expect(wrong.err).toMatch(/^backup: pg_dump failed/);
    expect(wrong.err).not.toContain("s3cret-pw");
    expect(existsSync(path.join(dir, "x.dump"))).toBe(false);
  });
});

describe.runIf(testDriver === "pglite")("backup and restore of the embedded database (PGlite data-directory dump)", () => {
  it("round-trips the demo data and a certified answer's history, keeping the replaced directory", async () => {
    const dataDir = mkdtempSync(path.join(dir, "data-"));
    const src = await createDb({ dataDir: path.join(dataDir, "pglite") });
    await migrateDatabase(src);
    await seedDemo(src.db);
    const before = await fingerprint(src.db);
    await src.close();

    const file = path.join(dir, "vetted.tgz");
    const backup = await cli(["backup", "--out", file], { DATA_DIR: dataDir });
    expect(backup.err).toBe("");
    expect(backup.code).toBe(0);
    expect(backup.out).toMatch(/^Backed up the embedded database to /);

    // Something changes after the backup; the restore brings back the state of the backup.
    const changed = await createDb({ dataDir: path.join(dataDir, "pglite") });
    await changed.db.execute(sql`delete from answer_events where answer_id = ${before.certified}`);
    await changed.close();

    const restore = await cli(["restore", file], { DATA_DIR: dataDir });
    expect(restore.err).toBe("");
    expect(restore.code).toBe(0);
    expect(restore.out).toMatch(/the previous one is kept in .*pglite\.before-restore-/);
    expect(readdirSync(dataDir).filter((f) => f.startsWith("pglite.before-restore-"))).toHaveLength(1);
    const dst = await createDb({ dataDir: path.join(dataDir, "pglite") });
    try {
      expect(await fingerprint(dst.db)).toEqual(before);
    } finally {
      await dst.close();
    }
  }, 90_000);

  it("will not back up or restore a directory a running server holds, and leaves it as it was", async () => {
    const dataDir = mkdtempSync(path.join(dir, "held-"));
    const db = await createDb({ dataDir: path.join(dataDir, "pglite") });
    await migrateDatabase(db);
    await db.close();
    const file = path.join(dir, "held.tgz");
    expect((await cli(["backup", "--out", file], { DATA_DIR: dataDir })).code).toBe(0);
    const lock = await lockDataDir(dataDir, "npm start");
    try {
      const refused = await cli(["restore", file], { DATA_DIR: dataDir });
      expect(refused.code).toBe(1);
      expect(refused.err).toMatch(/^restore: the data directory .* is in use by process \d+ \(npm start/);
      expect((await cli(["backup", "--out", path.join(dir, "again.tgz")], { DATA_DIR: dataDir })).code).toBe(1);
    } finally {
      await lock.release();
    }
    expect(readdirSync(dataDir).filter((f) => f.startsWith("pglite.before-restore-"))).toHaveLength(0);
    const serverDump = path.join(dir, "server.dump");
    writeFileSync(serverDump, "PGDMP fake");
    expect(await cli(["restore", serverDump], { DATA_DIR: dataDir })).toMatchObject({ code: 1, err: expect.stringMatching(/backup of a PostgreSQL server; set DATABASE_URL/) });
  }, 90_000);
});
