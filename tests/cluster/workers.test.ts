import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_TEST_DATABASE_URL, withDatabase } from "../setup/global-database";
import { spawnApp, startApp, type RunningApp } from "../support/server";

/**
 * One instance as several worker processes on one port (WEB_CONCURRENCY, server/cluster.ts), on
 * a PostgreSQL database of its own: connections are spread over the workers, a worker that dies
 * is replaced while the others keep answering, and SIGTERM stops them all.
 */
const serverUrl = () => process.env.TEST_DATABASE_URL || DEFAULT_TEST_DATABASE_URL;
/** The primary's children that run the server (not tsx's esbuild service, also its child). */
const workerPids = (primary: number) =>
  execFileSync("ps", ["-o", "pid=,args=", "--ppid", String(primary)], { encoding: "utf8" })
    .split("\n")
    .filter((l) => l.includes("server/start.mjs"))
    .map((l) => Number.parseInt(l.trim(), 10))
    .filter((n) => n > 0);
/** Which worker answers a new connection, by its X-Instance ("w.<worker id>"). */
const answeredBy = async (url: string) => {
  const res = await fetch(`${url}/health`, { headers: { Connection: "close" }, signal: AbortSignal.timeout(10_000) });
  expect(res.status).toBe(200);
  return res.headers.get("x-instance");
};

describe("worker processes (WEB_CONCURRENCY)", () => {
  let app: RunningApp;
  let dbName: string;

  beforeAll(async () => {
    dbName = `vt_workers_${randomBytes(5).toString("hex")}`;
    const admin = postgres(serverUrl(), { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database "${dbName}"`).finally(() => admin.end());
    app = await startApp({ DATABASE_URL: withDatabase(serverUrl(), dbName), DEMO_DATA: "true", WEB_CONCURRENCY: "2", INSTANCE_NAME: "w", LOG_LEVEL: "info" });
  }, 240_000);

  afterAll(async () => {
    await app?.stop();
    const admin = postgres(serverUrl(), { max: 1, onnotice: () => {} });
    await admin.unsafe(`drop database if exists "${dbName}" with (force)`).finally(() => admin.end());
  });

  it("spreads connections over the workers, replaces one that dies, and stops them all on SIGTERM", async () => {
    const primary = app.proc.pid!;
    const first = workerPids(primary);
    expect(first).toHaveLength(2);
    await expect.poll(async () => new Set(await Promise.all(Array.from({ length: 8 }, () => answeredBy(app.url)))).size, { timeout: 30_000 }).toBe(2);

    // A worker killed outright: once the primary has seen it go (a connection handed over in the
    // same instant dies with it, as its requests in flight do), the other answers every request…
    process.kill(first[0]!, "SIGKILL");
    await expect.poll(() => app.output(), { timeout: 10_000 }).toContain("a worker stopped unexpectedly; starting another");
    for (let i = 0; i < 10; i++) expect(await answeredBy(app.url)).toMatch(/^w\.\d+$/);
    // …and a new one takes its place and its share of the connections.
    await expect.poll(() => workerPids(primary).filter((p) => !first.includes(p)).length, { timeout: 30_000 }).toBe(1);
    await expect.poll(async () => new Set(await Promise.all(Array.from({ length: 8 }, () => answeredBy(app.url)))).size, { timeout: 60_000 }).toBe(2);

    const all = workerPids(primary);
    const { code } = await app.stop();
    expect(code).toBe(0);
    for (const pid of all) expect(() => process.kill(pid, 0), `worker ${pid} still runs`).toThrow();
  }, 120_000);

  it("refuses worker processes on the embedded database, with a message", async () => {
    const run = spawnApp({ WEB_CONCURRENCY: "2", DATABASE_URL: undefined });
    expect(await run.exited).toBe(1);
    expect(run.errors()).toContain("WEB_CONCURRENCY above 1 needs DATABASE_URL");
  });
});
