import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { cpSync, mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { root } from "../../server/build-if-stale.mjs";

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, "127.0.0.1", () => {
      const address = srv.address();
      srv.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

export interface RunningApp {
  url: string;
  proc: ChildProcess;
  /** The app's own data directory (embedded database); free to open once the app stopped. */
  dataDir: string;
  output: () => string;
  /** SIGTERM, then the exit code and how long the exit took. */
  stop(): Promise<{ code: number | null; ms: number }>;
}

/** Runs `npm start`'s entry (server/start.mjs) exactly as a user would, in its own data dir. */
export function spawnApp(env: Record<string, string | undefined> = {}) {
  const dataDir = env.DATA_DIR ?? copyOfSeededDataDir(env) ?? mkdtempSync(path.join(tmpdir(), "vetted-e2e-"));
  const childEnv: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries({ ...process.env, DATA_DIR: dataDir, LOG_LEVEL: "info", NODE_ENV: "production", ...env })) {
    if (v !== undefined && !k.startsWith("VITEST") && k !== "TEST_DB" && k !== SEEDED_DATA_DIR_ENV) childEnv[k] = v;
  }
  // The tests' own SESSION_SECRET must not leak in: the app generates and keeps its own.
  if (!("SESSION_SECRET" in env)) delete childEnv.SESSION_SECRET;
  const proc = spawn(process.execPath, [path.join(root, "server/start.mjs")], { cwd: root, env: childEnv as NodeJS.ProcessEnv, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  proc.stdout!.on("data", (d) => (out += String(d)));
  proc.stderr!.on("data", (d) => {
    out += String(d);
    err += String(d);
  });
  const exited = new Promise<number | null>((resolve) => proc.on("exit", (code) => resolve(code)));
  return { proc, dataDir, output: () => out, errors: () => err, exited };
}

/**
 * The browser and attack suites' global setup leaves a data directory that one start already
 * created, migrated and seeded (tests/setup/global-build.ts). A start on a copy of it skips
 * PGlite's initdb, the migrations and the demo seed, several seconds of CPU per server; the first
 * start itself stays tested by `npm start` in tests/e2e/server.test.ts and by bench:startup.
 */
export const SEEDED_DATA_DIR_ENV = "VETTED_TEST_SEEDED_DATA_DIR";

function copyOfSeededDataDir(env: Record<string, string | undefined>): string | undefined {
  const seeded = process.env[SEEDED_DATA_DIR_ENV];
  if (!seeded || env.DATABASE_URL) return undefined;
  const dataDir = mkdtempSync(path.join(tmpdir(), "vetted-e2e-"));
  cpSync(seeded, dataDir, { recursive: true });
  return dataDir;
}

/** Our server lost its port to another test's between freePort() and its own bind. */
class PortTaken extends Error {}

/**
 * Another test's server can take the port between freePort() and this one's bind: ours then
 * exits, and the other would answer our readiness check, so the test would run against a
 * stranger's server until that one stopped. So each start names itself (INSTANCE_NAME, which the
 * app sends as X-Instance), is ready only when its own name answers, and tries a new port if the
 * port was taken.
 */
export async function startApp(env: Record<string, string | undefined> = {}): Promise<RunningApp> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(env);
    } catch (error) {
      if (!(error instanceof PortTaken) || attempt === 3 || env.PORT) throw error;
    }
  }
}

async function startOnce(env: Record<string, string | undefined>): Promise<RunningApp> {
  const port = env.PORT ? Number(env.PORT) : await freePort();
  const name = env.INSTANCE_NAME ?? `test-${randomBytes(4).toString("hex")}`;
  const { proc, output, exited, dataDir } = spawnApp({ PORT: String(port), ...env, INSTANCE_NAME: name });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 150_000;
  let exitCode: number | null | undefined;
  void exited.then((c) => (exitCode = c));
  for (;;) {
    if (exitCode !== undefined) {
      if (/is already in use/.test(output())) throw new PortTaken(output());
      throw new Error(`the app exited (${exitCode}) before it was ready:\n${output()}`);
    }
    if (Date.now() > deadline) {
      // Never leave a half-started server behind: it would hold CPU and its port.
      proc.kill("SIGKILL");
      throw new Error(`the app did not become ready in 150 s:\n${output()}`);
    }
    try {
      const res = await fetch(`${url}/health`);
      const answeredBy = res.headers.get("x-instance") ?? "";
      // A cluster's workers answer as "<name>.<worker id>".
      if (res.ok && (answeredBy === name || answeredBy.startsWith(`${name}.`))) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const entry: (typeof startedApps)[number] = {
    app: {
      url,
      proc,
      dataDir,
      output,
      async stop() {
        const started = Date.now();
        if (exitCode === undefined) proc.kill("SIGTERM");
        const code = await exited;
        return { code, ms: Date.now() - started };
      },
    },
    stoppedAt: null,
  };
  void exited.then(() => (entry.stoppedAt = Date.now()));
  startedApps.push(entry);
  return entry.app;
}

/**
 * Every server startApp() started in this test file, and when it stopped: after a failed test,
 * tests/setup/server-report.ts prints the end of the output of each one that was running during
 * it. A CI log otherwise shows only the test's side (a refused connection, a missing heading).
 */
export const startedApps: { app: RunningApp; stoppedAt: number | null }[] = [];

/** The end of a server's output and whether it is still running, for a failed test's log. */
export function serverReport(app: RunningApp): string {
  const { exitCode, signalCode } = app.proc;
  const state = exitCode === null && signalCode === null ? "still running" : `exited (${exitCode ?? signalCode})`;
  return `--- the server at ${app.url}, ${state}; the end of its output:\n${app.output().slice(-6000)}\n---`;
}
