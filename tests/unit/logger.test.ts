import { Writable } from "node:stream";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { createLogger, getLogger, setLogger, withRequestLogger } from "../../server/logger";

describe("logging", () => {
  it("gives code running inside a request a logger that carries the request id", async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const base = pino({ base: null }, sink);
    setLogger(base);
    await withRequestLogger(base.child({ requestId: "req-42" }), async () => {
      await new Promise((r) => setTimeout(r, 1));
      getLogger().info("inside");
    });
    getLogger().info("outside");
    expect(JSON.parse(lines[0]!)).toMatchObject({ requestId: "req-42", msg: "inside" });
    expect(JSON.parse(lines[1]!).requestId).toBeUndefined();
  });

  it("never writes passwords, tokens or cookies", () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const logger = createLogger("info", sink);
    logger.info({ password: "hunter2", user: { passwordHash: "scrypt$x", token: "abc" }, req: { headers: { cookie: "vetted_session=s", authorization: "Bearer t0k" } } }, "x");
    const line = lines.join("");
    expect(line).toContain("[redacted]");
    expect(line).not.toMatch(/hunter2|scrypt\$x|"abc"|vetted_session|t0k/);
  });
});
