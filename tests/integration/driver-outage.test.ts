import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CuttableProxy } from "../support/cuttable-proxy";
import { testDriver, useFreshDatabase } from "../support/db";
import { freePort } from "../support/server";

/**
 * The PostgreSQL driver when its server goes away (a restart, a failover, a network cut): every
 * query in flight or sent afterwards fails with an error its caller can catch, and the client
 * works again once the server is back. postgres.js 3.4.9 instead threw from a timer when a
 * transaction's next statement was written to a connection that had just closed, which no caller
 * can catch: the whole app process exited (docs/decisions/026-patched-postgres-driver.md).
 * PGlite runs in the process: it has no outage.
 */
const db = useFreshDatabase();

describe.skipIf(testDriver !== "postgres")("the database driver through an outage", () => {
  let proxy: CuttableProxy;
  let client: postgres.Sql;
  beforeAll(async () => {
    const direct = new URL(db.current.url!);
    proxy = new CuttableProxy(await freePort(), { host: direct.hostname, port: Number(direct.port || 5432) });
    await proxy.open();
    const viaProxy = new URL(direct);
    viaProxy.hostname = "127.0.0.1";
    viaProxy.port = String(proxy.port);
    client = postgres(viaProxy.toString(), { max: 2, onnotice: () => {}, connect_timeout: 2 });
  });
  afterAll(async () => {
    await proxy?.cut();
    await client?.end({ timeout: 1 });
  });

  it("fails a transaction's next statement after the connection dropped, catchably, and works again once the server is back", async () => {
    let next: Promise<unknown> | undefined;
    let written!: () => void;
    const statementWritten = new Promise<void>((r) => (written = r));
    const failed = client.begin(async (tx) => {
      await tx`select 1`;
      await proxy.cut();
      // The client has seen the connection close; nothing else has asked for it since.
      await new Promise((r) => setTimeout(r, 200));
      next = tx`select 2`.execute();
      next.catch(() => undefined);
      written();
      await next;
    });
    await expect(failed).rejects.toMatchObject({ code: expect.stringMatching(/^CONNECTION_/) });
    await statementWritten;
    await expect(next).rejects.toMatchObject({ code: expect.stringMatching(/^CONNECTION_/) });
    // While the server is away, a query fails as well (it does not hang).
    await expect(client`select 3`).rejects.toBeInstanceOf(Error);
    await proxy.open();
    await expect.poll(async () => (await client`select 4 as n`.catch(() => [{ n: 0 }]))[0]!.n, { timeout: 10_000 }).toBe(4);
    expect(await client.begin(async (tx) => (await tx`select 5 as n`)[0]!.n)).toBe(5);
  });

  it("fails the first query when the connection drops while the driver reads the server's array types, and connects again", async () => {
    // A new client reads the array types on connecting; 3.4.9 left that read's failure unhandled.
    const fresh = postgres(`postgres://127.0.0.1:${proxy.port}${new URL(db.current.url!).pathname}`, { username: new URL(db.current.url!).username || "postgres", max: 1, onnotice: () => {} });
    try {
      // The server goes away just as the types are asked for: the reconnection is refused.
      proxy.dropWhen = (chunk) => chunk.includes("typarray") && (void proxy.cut(), true);
      await expect(fresh`select 1 as n`).rejects.toMatchObject({ code: "ECONNREFUSED" });
      // Past a few ticks: an unhandled rejection would be reported against this test.
      await new Promise((r) => setTimeout(r, 100));
      proxy.dropWhen = undefined;
      await proxy.open();
      await expect.poll(async () => (await fresh`select 6 as n`.catch(() => [{ n: 0 }]))[0]!.n, { timeout: 10_000 }).toBe(6);
    } finally {
      proxy.dropWhen = undefined;
      await fresh.end({ timeout: 1 });
    }
  });
});
