import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PASSWORD } from "../../db/seed";
import { expectStatus, launchBrowser } from "../support/browser";
import { OPEN_REDIRECT_CORPUS } from "./corpus";
import { DRIVERS, HttpClient, startTarget, type Target } from "./support";

describe.each(DRIVERS)("sign-in under attack (%s)", (driver) => {
  let target: Target;
  let browser: Browser;
  beforeAll(async () => {
    target = await startTarget(driver, { TRUST_PROXY: "loopback" });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await target?.stopAndClean();
  });

  it("checks at most ten of sixty simultaneous guesses on one account, and the right password then waits", async () => {
    const guesses = await Promise.all(
      Array.from({ length: 60 }, async (_, i) => {
        const client = new HttpClient(target.url, { "X-Forwarded-For": `198.51.100.${i + 1}` });
        await client.page("/login");
        return (await client.post("/login", { email: "alex@example.com", password: `wrong-guess-${i}` })).status;
      }),
    );
    expect(guesses.filter((s) => s === 401).length).toBeLessThanOrEqual(10);
    expect(guesses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(50);
    const right = new HttpClient(target.url, { "X-Forwarded-For": "198.51.100.200" });
    expect((await right.signIn("alex@example.com", DEMO_PASSWORD)).status).toBe(429);
  });

  it("does not lock an office out when one address guesses at made-up accounts", async () => {
    const office = { "X-Forwarded-For": "192.0.2.10" };
    for (let i = 0; i < 31; i++) {
      const client = new HttpClient(target.url, office);
      await client.signIn(`nobody-${i}@example.com`, "whatever-password");
    }
    const stranger = new HttpClient(target.url, office);
    expect((await stranger.signIn("nobody-else@example.com", "whatever-password")).status).toBe(429);
    const emma = new HttpClient(target.url, office);
    expect((await emma.signIn("emma@example.com", DEMO_PASSWORD)).status).toBe(302);
    // Another address is not affected by the first one's guesses.
    const elsewhere = new HttpClient(target.url, { "X-Forwarded-For": "192.0.2.99" });
    expect((await elsewhere.signIn("nobody-else@example.com", "whatever-password")).status).toBe(401);
  });

  it("marks the session cookie Secure behind a TLS proxy that says so", async () => {
    const viaTls = new HttpClient(target.url, { "X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.50" });
    const res = await viaTls.signIn("kim@example.com", DEMO_PASSWORD);
    expect(res.status).toBe(302);
    expect(res.headers.getSetCookie().find((c) => c.startsWith("vetted_session="))).toMatch(/;\s*Secure/i);
    const plain = new HttpClient(target.url, { "X-Forwarded-For": "203.0.113.51" });
    const res2 = await plain.signIn("kim@example.com", DEMO_PASSWORD);
    expect(res2.headers.getSetCookie().find((c) => c.startsWith("vetted_session="))).not.toMatch(/;\s*Secure/i);
  });

  it("never redirects to another site after sign-in, as Chromium reads the address", async () => {
    const context = await browser.newContext();
    // Each probe gets a page of its own, closed before the next starts: a request of the last
    // landing page still in flight would otherwise come back after clearCookies() with a fresh
    // CSRF cookie that the next sign-in form does not carry (a 403 seen once under CI load).
    for (const [i, redirectTo] of OPEN_REDIRECT_CORPUS.entries()) {
      await context.clearCookies();
      const page = await context.newPage();
      // Some probes are same-site paths that do not exist ("/%09/evil.example/phish"): our own 404.
      expectStatus(page, 404);
      await page.goto(`${target.url}/login?redirectTo=${encodeURIComponent(redirectTo)}`);
      await page.waitForLoadState("networkidle");
      const formToken = await page.locator('form input[name="csrf"]').first().inputValue();
      const cookieToken = csrfCookieToken(await context.cookies(target.url));
      expect(cookieToken, `redirectTo #${i}: the sign-in form's CSRF token is the cookie's`).toBe(formToken);
      await page.getByLabel("Email").fill("priya@example.com");
      await page.getByLabel("Password").fill(DEMO_PASSWORD);
      await Promise.all([page.waitForURL((url) => !url.pathname.startsWith("/login") || url.host !== new URL(target.url).host), page.getByRole("button", { name: "Sign in" }).click()]);
      expect(new URL(page.url()).host, `redirectTo #${i} ${JSON.stringify(redirectTo)}`).toBe(new URL(target.url).host);
      await page.close();
    }
    const page = await context.newPage();
    // A same-site path still works.
    await context.clearCookies();
    await page.goto(`${target.url}/login?redirectTo=${encodeURIComponent("/search?q=refund")}`);
    await page.waitForLoadState("networkidle");
    await page.getByLabel("Email").fill("priya@example.com");
    await page.getByLabel("Password").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`${target.url}/search?q=refund`);
    await context.close();
  });
});

/** The token inside Remix's signed cookie value: base64(JSON) + "." + signature. */
function csrfCookieToken(cookies: { name: string; value: string }[]): string | undefined {
  const raw = cookies.find((c) => c.name === "vetted_csrf")?.value;
  if (!raw) return undefined;
  const encoded = decodeURIComponent(raw).slice(0, decodeURIComponent(raw).lastIndexOf("."));
  return JSON.parse(Buffer.from(encoded, "base64").toString("utf8")) as string;
}
