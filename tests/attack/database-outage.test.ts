import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CuttableProxy } from "../support/cuttable-proxy";
import { freePort } from "../support/server";
import { startTarget, type Target } from "./support";

// A PostgreSQL outage, made by cutting a TCP proxy between the app and the server (the shared
// test server itself stays up for everyone else). PGlite lives in the process: it has no outage.
describe("the public FAQ while PostgreSQL is down", () => {
  let target: Target;
  let proxy: CuttableProxy;
  beforeAll(async () => {
    const direct = new URL(process.env.TEST_DATABASE_URL || "postgres://postgres@127.0.0.1:5432/test");
    proxy = new CuttableProxy(await freePort(), { host: direct.hostname, port: Number(direct.port || 5432) });
    await proxy.open();
    // The target's database is created directly; the app reaches it only through the proxy.
    target = await startTarget("postgres", { DATABASE_URL_VIA_PROXY: String(proxy.port) });
  });
  afterAll(async () => {
    await proxy?.cut();
    await target?.stopAndClean();
  });

  it("serves a cached page (stale-if-error) instead of a 500, and /health says the database is down", async () => {
    const page = "/faq/billing/how-long-does-a-refund-take";
    const first = await fetch(`${target.url}${page}`);
    expect(first.status).toBe(200);
    const html = await first.text();
    expect((await fetch(`${target.url}${page}`)).headers.get("x-faq-cache")).toBe("hit");

    await proxy.cut();
    // Past the cache's one-second generation check, so the page must ask the database.
    await new Promise((r) => setTimeout(r, 1500));
    const during = await fetch(`${target.url}${page}`);
    expect(during.status).toBe(200);
    expect(during.headers.get("x-faq-cache")).toBe("stale");
    expect(await during.text()).toBe(html);
    expect((await fetch(`${target.url}/health`)).status).toBe(503);
    expect(target.output()).toMatch(/serving the cached FAQ page \(stale-if-error\)/);
  });
});
