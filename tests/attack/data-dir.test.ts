import { spawn, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { root } from "../../server/build-if-stale.mjs";
import { SEEDED_DATA_DIR_ENV, freePort, spawnApp, startApp, type RunningApp } from "../support/server";
import { HttpClient } from "./support";

/** The embedded database's directory belongs to one process; the file system's failures are named. */

const tsx = path.join(root, "node_modules/tsx/dist/cli.mjs");
function runCommand(script: string, args: string[], env: Record<string, string>): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const childEnv: Record<string, string | undefined> = { ...process.env, LOG_LEVEL: "warn", ...env };
  delete childEnv.SESSION_SECRET;
  for (const key of Object.keys(childEnv)) if (key.startsWith("VITEST") || key === "TEST_DB") delete childEnv[key];
  const child = spawn(process.execPath, [tsx, script, ...args], { cwd: root, env: childEnv as NodeJS.ProcessEnv, timeout: 120_000 });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += String(d)));
  child.stderr.on("data", (d) => (stderr += String(d)));
  return new Promise((resolve) => child.on("close", (status) => resolve({ status, stdout, stderr })));
}

describe("one process per data directory (pglite)", () => {
  let app: RunningApp | undefined;
  afterAll(async () => {
    await app?.stop();
  });

  it("refuses every second opener at once, naming the holder, while a server runs", async () => {
    app = await startApp({ LOG_LEVEL: "warn" });
    const env = { DATA_DIR: app.dataDir };
    const importFile = path.join(mkdtempSync(path.join(tmpdir(), "vetted-import-")), "a.jsonl");
    writeFileSync(importFile, "");
    const commands: [string, string[]][] = [
      ["server/export-faq.ts", ["--out", path.join(tmpdir(), `vetted-export-${process.pid}`)]],
      ["workflows/import-cli.ts", [importFile]],
      ["search/reindex.ts", []],
      ["db/migrate-cli.ts", []],
      ["workflows/reverification.ts", []],
    ];
    // All at once: each is refused on its own, whoever else is knocking.
    const runs = await Promise.all(commands.map(([script, args]) => runCommand(script, args, env)));
    for (const [i, run] of runs.entries()) {
      const script = commands[i]![0];
      expect(run.status, `${script}: ${run.stderr}${run.stdout}`).not.toBe(0);
      expect(run.stderr.trim().split("\n")).toHaveLength(1);
      expect(run.stderr).toMatch(new RegExp(`in use by process ${app.proc.pid}.*stop that process first, or set DATABASE_URL`));
    }
    // A second server on another port: the same one line, and it never starts serving.
    const second = spawnApp({ DATA_DIR: app.dataDir, PORT: String(await freePort()), LOG_LEVEL: "warn" });
    expect(await second.exited).toBe(1);
    expect(second.errors()).toMatch(/in use by process \d+/);

    // The first server still works and keeps what it acknowledged.
    const kim = new HttpClient(app.url);
    expect((await kim.signIn("kim@example.com")).status).toBe(302);
  });

  it("is free again when the holder dies, even by SIGKILL (no stale lock)", async () => {
    const first = await startApp({ LOG_LEVEL: "warn" });
    first.proc.kill("SIGKILL");
    await first.stop();
    const again = await startApp({ LOG_LEVEL: "warn", DATA_DIR: first.dataDir });
    expect((await fetch(`${again.url}/health`)).status).toBe(200);
    expect((await again.stop()).code).toBe(0);
  });
});

/**
 * A read-only and a full file system need mounts of their own (tmpfs): root on Linux can make
 * them; elsewhere these tests say they skipped.
 */
function mountTmpfs(options: string): string | null {
  if (process.platform !== "linux" || process.getuid?.() !== 0) return null;
  const dir = mkdtempSync(path.join(tmpdir(), "vetted-fs-"));
  const r = spawnSync("mount", ["-t", "tmpfs", "-o", options, "tmpfs", dir]);
  return r.status === 0 ? dir : null;
}
const canMount = (() => {
  const probe = mountTmpfs("size=1m");
  unmount(probe);
  return probe !== null;
})();
function unmount(dir: string | null) {
  if (!dir) return;
  spawnSync("umount", ["-l", dir]);
  rmSync(dir, { recursive: true, force: true });
}

describe("file-system faults at start and while running", () => {
  const mounts: (string | null)[] = [];
  afterAll(() => mounts.forEach(unmount));

  it.skipIf(!canMount)("a read-only data directory stops the start with one line", async () => {
    const ro = mountTmpfs("ro,size=1m");
    mounts.push(ro);
    for (const env of [{}, { SESSION_SECRET: "s".repeat(40) }]) {
      const run = spawnApp({ DATA_DIR: ro!, PORT: String(await freePort()), ...env });
      expect(await run.exited).toBe(1);
      const lines = run.errors().trim().split("\n");
      expect(lines, run.errors()).toHaveLength(1);
      expect(lines[0]).toMatch(/read-only/);
    }
  });

  it.skipIf(!canMount)("a full disk stops the start with one line, and /health reports a disk that fills up", async () => {
    const tiny = mountTmpfs("size=2m");
    mounts.push(tiny);
    const run = spawnApp({ DATA_DIR: tiny!, PORT: String(await freePort()), LOG_LEVEL: "error" });
    expect(await run.exited).toBe(1);
    const lines = run.errors().trim().split("\n");
    expect(lines, run.errors()).toHaveLength(1);
    expect(lines[0]).toMatch(/disk is full/);
    expect(lines[0]).not.toMatch(/\[object Object\]/);

    const roomy = mountTmpfs("size=400m");
    mounts.push(roomy);
    // A data directory that was seeded already: what this test fills is the disk, not the database.
    const seeded = process.env[SEEDED_DATA_DIR_ENV];
    if (seeded) cpSync(seeded, path.join(roomy!, "data"), { recursive: true });
    const app = await startApp({ DATA_DIR: path.join(roomy!, "data"), LOG_LEVEL: "warn" });
    try {
      expect((await fetch(`${app.url}/health`)).status).toBe(200);
      // Fill what is left.
      const filler = path.join(roomy!, "filler");
      mkdirSync(filler);
      const fill = spawn("dd", ["if=/dev/zero", `of=${path.join(filler, "zeros")}`, "bs=1M"], { stdio: "ignore" });
      await new Promise((resolve) => fill.on("exit", resolve));
      const full = await fetch(`${app.url}/health`);
      expect(full.status).toBe(503);
      expect(await full.json()).toMatchObject({ status: "unavailable", disk: { ok: false }, reason: expect.stringMatching(/full/) });
      rmSync(filler, { recursive: true, force: true });
      expect((await fetch(`${app.url}/health`)).status).toBe(200);
    } finally {
      await app.stop();
    }
  });
});
