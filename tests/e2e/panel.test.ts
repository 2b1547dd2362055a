import { createServer, type Server } from "node:http";
import type { Browser, Frame, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PASSWORD } from "../../db/seed";
import { artifactPath, expectConsoleError, expectStatus, launchBrowser, signInAs } from "../support/browser";
import { freePort, startApp, type RunningApp } from "../support/server";

/**
 * The help-desk panel framed by a page of another site, as Zendesk's sidebar frames it: the
 * host page is served from 127.0.0.1 on its own port, the panel from localhost, so the browser
 * treats the frame as cross-site (only SameSite=None cookies travel).
 */
describe("the agent panel inside a help-desk tool", () => {
  let app: RunningApp;
  let browser: Browser;
  let panelBase: string;
  const hosts: Server[] = [];

  /** A help-desk page on its own origin that frames the panel for a ticket. */
  async function helpDeskPage(subject: string): Promise<{ origin: string }> {
    const port = await freePort();
    const server = createServer((_req, res) => {
      res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
      res.end(`<!doctype html><html lang="en"><head><title>Ticket T-1042</title></head><body style="margin:0;display:flex;flex-wrap:wrap">
        <main style="flex:1 1 20rem;padding:1rem;min-width:0"><h1>Ticket T-1042: ${subject}</h1></main>
        <iframe title="Vetted" src="${panelBase}/panel?q=${encodeURIComponent(subject)}&conversation=T-1042" style="width:360px;max-width:100%;box-sizing:border-box;height:860px;border:0;border-left:1px solid #ccc" allow="clipboard-read; clipboard-write"></iframe>
      </body></html>`);
    });
    await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
    hosts.push(server);
    return { origin: `http://127.0.0.1:${port}` };
  }

  async function panelFrame(page: Page): Promise<Frame> {
    await expect.poll(() => page.frames().some((f) => f.url().includes("/panel")), { timeout: 10_000 }).toBe(true);
    return page.frames().find((f) => f.url().includes("/panel"))!;
  }

  beforeAll(async () => {
    app = await startApp();
    panelBase = app.url.replace("127.0.0.1", "localhost");
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    for (const s of hosts) s.close();
  });

  it("an agent in a framed panel on an allowed origin signs in, finds, copies both flavours and records one use per ticket", async () => {
    const allowed = await helpDeskPage("How do I return an item?");
    // The admin allows the help desk's origin.
    const ada = await signInAs(browser, app.url, "ada@example.com");
    await ada.goto(`${app.url}/admin/settings`);
    expectStatus(ada, 400);
    await ada.getByLabel(/Help-desk origins/).fill(`${allowed.origin}\nnot an origin`);
    await ada.getByRole("button", { name: "Save agent desk" }).click();
    await ada.getByText(/Line 2: Write an origin/).waitFor();
    await ada.getByLabel(/Help-desk origins/).fill(allowed.origin);
    await ada.getByLabel(/Sign-off line/).fill("Kind regards, the Example support team");
    await ada.getByRole("button", { name: "Save agent desk" }).click();
    await ada.getByText(/the panel may be framed by these origins/).waitFor();
    await ada.context().close();

    const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, permissions: ["clipboard-read", "clipboard-write"] });
    const page = await context.newPage();
    await page.goto(allowed.origin);
    let panel = await panelFrame(page);
    // Not signed in: the panel's own sign-in, inside the frame.
    await panel.getByLabel("Email").fill("alex@example.com");
    await panel.getByLabel("Password").fill(DEMO_PASSWORD);
    await panel.getByRole("button", { name: "Sign in" }).click();
    panel = await panelFrame(page);
    await panel.getByRole("searchbox").waitFor();
    expect(await panel.getByRole("searchbox").inputValue()).toBe("How do I return an item?");
    const first = panel.locator(".result").first();
    await first.getByRole("link", { name: "How do I return an item?" }).waitFor();
    await panel.waitForLoadState("networkidle");

    await first.getByRole("button", { name: "Email" }).click();
    await first.getByText("Email reply copied").waitFor();
    const clip = (await panel.evaluate(async () => {
      const [item] = await navigator.clipboard.read();
      const out: Record<string, string> = {};
      for (const type of item!.types) out[type] = await (await item!.getType(type)).text();
      return out;
    })) as Record<string, string>;
    expect(clip["text/plain"]).toContain("returns portal (https://returns.example.com/start)");
    expect(clip["text/plain"]).toContain("1. Enter your order number and email address.");
    expect(clip["text/plain"]).toMatch(/Kind regards, the Example support team$/);
    expect(clip["text/html"]).toContain('<a href="https://returns.example.com/start"');
    expect(clip["text/html"]).toContain("<ol><li>Enter your order number");

    await first.getByRole("button", { name: "Used in reply" }).click();
    await first.getByText("Recorded as used in an email reply.").waitFor();
    await first.getByRole("button", { name: "Used in reply" }).click();
    await first.getByText(/Already recorded as used/).waitFor();
    await first.getByRole("button", { name: "Undo" }).click();
    await first.getByText("Undone: this use no longer counts.").waitFor();
    await first.getByRole("button", { name: "Used in reply" }).click();
    await first.getByText("Recorded as used in an email reply.").waitFor();

    // Rate and flag without leaving the ticket: the panel's own cookies carry the session and CSRF.
    await first.getByRole("button", { name: "Helpful", exact: true }).click();
    await first.getByText("Thanks: marked helpful.").waitFor();
    await first.getByRole("button", { name: "Flag a problem" }).click();
    await first.getByLabel("What is wrong?").selectOption("unclear");
    await first.getByLabel("Tell the owner what to change").fill("Say whether the free label also works for parcels over 20 kg.");
    await first.getByRole("button", { name: "Send to the owner" }).click();
    await first.getByText(/Flagged: .* will act on it/).waitFor();

    // The panel fits its 360 px sidebar.
    expect(await panel.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await page.screenshot({ path: artifactPath("e2e", "panel-in-help-desk-1366.png") });
    await context.close();
  });

  it("a page on an origin the admin did not allow cannot frame the panel, nor any other page", async () => {
    const refused = await helpDeskPage("refund");
    const context = await browser.newContext();
    const page = await context.newPage();
    // Chromium reports the refused frame as a console error; that is what this test expects.
    const refusals: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error" && /frame-ancestors|Refused to (frame|display)/.test(m.text())) refusals.push(m.text());
    });
    expectConsoleError(page, /violates the following Content Security Policy directive: "frame-ancestors/);
    const response = await fetch(`${panelBase}/panel/login`);
    expect(response.headers.get("content-security-policy")).toMatch(/^frame-ancestors 'self' http:\/\/127\.0\.0\.1:\d+$/);
    expect(response.headers.get("content-security-policy")).not.toContain(refused.origin);
    expect((await fetch(`${app.url}/search`, { redirect: "manual" })).headers.get("x-frame-options")).toBe("DENY");
    await page.goto(refused.origin).catch(() => undefined);
    await expect.poll(() => refusals.length, { timeout: 10_000 }).toBeGreaterThan(0);
    const frame = page.frames().find((f) => f !== page.mainFrame());
    expect(await frame?.locator("input[type=search], input[name=email]").count().catch(() => 0)).toBe(0);
    await context.close();
  });
});
