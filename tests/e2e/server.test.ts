import { createServer, request } from "node:http";
import { describe, expect, it } from "vitest";
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

  it("on SIGTERM finishes the request in flight, then exits 0 within 5 s", async () => {
    const app = await startApp();
    const { port } = new URL(app.url);
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
