import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { createServer, request } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { root } from "../../server/build-if-stale.mjs";
import { freePort, spawnApp, startApp } from "../support/server";

async function exitOf(env: Record<string, string>) {
  const { exited, errors } = spawnApp(env);
  const code = await exited;
  return { code, lines: errors().trim().split("\n") };
}

describe("the server process", () => {
  it("stops at once with one line naming a bad PORT", async () => {
    const { code, lines } = await exitOf({ PORT: "not-a-port" });
    expect(code).toBe(1);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/PORT must be a whole number/);
  });

  it("stops with one line naming an unreachable DATABASE_URL, without its password", async () => {
    const port = await freePort();
    const { code, lines } = await exitOf({ DATABASE_URL: `postgres://vetted:s3cret@127.0.0.1:${port}/vetted` });
    expect(code).toBe(1);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^vetted: DATABASE_URL postgres:\/\/vetted:\*\*\*@127\.0\.0\.1:\d+\/vetted: cannot connect/);
    expect(lines[0]).not.toContain("s3cret");
  });

  it("stops with one line when PORT is taken", async () => {
    const port = await freePort();
    const squatter = createServer().listen(port, "0.0.0.0");
    await new Promise((r) => squatter.once("listening", r));
    try {
      const { code, lines } = await exitOf({ PORT: String(port) });
      expect(code).toBe(1);
      expect(lines.at(-1)).toMatch(new RegExp(`^vetted: PORT ${port} is already in use`));
    } finally {
      squatter.close();
    }
  });

  // The suites' own start-up (tests/support/server.ts): another test's server on the port answers
  // /health too, and must not be taken for this one (it stops when its own test ends).
  it("is ready in the tests' eyes only when the server on the port is the one they started", async () => {
    const port = await freePort();
    const stranger = createServer((_req, res) => res.end("ok")).listen(port, "0.0.0.0");
    await new Promise((r) => stranger.once("listening", r));
    try {
      await expect(startApp({ PORT: String(port) })).rejects.toThrow(/is already in use/);
    } finally {
      stranger.close();
    }
  });

  it("on SIGTERM finishes the request in flight, then exits 0 within 5 s", async () => {
    const app = await startApp();
    const { port } = new URL(app.url);
    // The built server becomes ready for a load balancer once the search index has caught up with
    // the demo data it seeded (before that /ready is 503 with the reason).
    await expect.poll(async () => (await fetch(`${app.url}/ready`)).status, { timeout: 15_000, interval: 250 }).toBe(200);
    // Without METRICS_TOKEN there is no /metrics to find (the cluster test reads it with one).
    expect((await fetch(`${app.url}/metrics`)).status).toBe(404);
    // A request whose body is still arriving when the signal comes.
    const [head, tail] = ["email=a%40b.c&", "password=xyz12"];
    const response = new Promise<number>((resolve, reject) => {
      const req = request(
        { host: "127.0.0.1", port, method: "POST", path: "/login", headers: { "Content-Type": "application/x-www-form-urlencoded", "Content-Length": String(head.length + tail.length) } },
        (res) => {
          res.resume();
          res.on("end", () => resolve(res.statusCode ?? 0));
        },
      );
      req.on("error", reject);
      req.write(head);
      setTimeout(() => req.end(tail), 700);
    });
    await new Promise((r) => setTimeout(r, 200));
    const stopping = app.stop();
    // The CSRF check refuses it, but it is answered rather than cut off.
    expect(await response).toBe(403);
    const { code, ms } = await stopping;
    expect(code).toBe(0);
    expect(ms).toBeLessThan(5000);
    expect(app.output()).toContain("shutting down");
    // New connections are refused once it stopped.
    await expect(fetch(`${app.url}/health`)).rejects.toThrow();
  });
});

describe("npm start", () => {
  it("stops the server when npm itself gets SIGTERM, freeing the port and the data directory", async () => {
    const port = await freePort();
    const dataDir = mkdtempSync(path.join(tmpdir(), "vetted-npm-start-"));
    const env: Record<string, string | undefined> = { ...process.env, PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: "warn", NODE_ENV: "production" };
    for (const key of Object.keys(env)) if (key.startsWith("VITEST") || key === "TEST_DB" || key === "SESSION_SECRET") delete env[key];
    const npm = spawn("npm", ["start"], { cwd: root, env: env as NodeJS.ProcessEnv, stdio: "ignore" });
    const deadline = Date.now() + 150_000;
    while (!(await fetch(`http://127.0.0.1:${port}/health`).then((r) => r.ok, () => false))) {
      if (Date.now() > deadline) throw new Error("npm start did not serve in 150 s");
      await new Promise((r) => setTimeout(r, 250));
    }
    npm.kill("SIGTERM");
    const stoppedBy = Date.now() + 8_000;
    let serving = true;
    while (serving && Date.now() < stoppedBy) {
      await new Promise((r) => setTimeout(r, 200));
      serving = await fetch(`http://127.0.0.1:${port}/health`).then(() => true, () => false);
    }
    expect(serving, "the server kept serving after npm got SIGTERM").toBe(false);
    // Nothing holds the data directory: a new server starts on it.
    const again = await startApp({ DATA_DIR: dataDir });
    expect((await again.stop()).code).toBe(0);
  });
});
