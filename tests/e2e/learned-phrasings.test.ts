import path from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordUse } from "../../app/models/agent.server";
import { createDb } from "../../db/client.server";
import { answerVersions, users } from "../../db/schema";
import { eq } from "drizzle-orm";
import { expectStatus, launchBrowser, signInAs } from "../support/browser";
import { startApp, type RunningApp } from "../support/server";

// Issue 16: two agents used the refund answer after searching in their own words; the next agent
// finds it by those words, and a knowledge manager rejects one wording and promotes another on
// the answer page (the promotion opens a new draft with it as an "also asked as").
describe("learned phrasings in the running app", () => {
  let app: RunningApp;
  let browser: Browser;
  let answerId = "";

  beforeAll(async () => {
    // First start seeds the demo; with the app stopped, its database is ours to record the uses in.
    const first = await startApp();
    await first.stop();
    const database = await createDb({ dataDir: path.join(first.dataDir, "pglite") });
    try {
      const db = database.db;
      const [live] = await db.select({ answerId: answerVersions.answerId }).from(answerVersions).where(eq(answerVersions.question, "How long does a refund take?"));
      answerId = live!.answerId;
      const [alex] = await db.select().from(users).where(eq(users.email, "alex@example.com"));
      const [sam] = await db.insert(users).values({ email: "sam@example.com", displayName: "Sam Agent", roles: ["agent"], passwordHash: null }).returning();
      for (const [i, who] of [alex!, sam!].entries()) {
        for (const q of ["when do i get my cash back", "zorblax voucher payout"]) {
          await recordUse({ answerId, kind: "used", userId: who.id, conversation: `T-${i}-${q}`, searchQuery: q }, db);
        }
      }
    } finally {
      await database.close();
    }
    app = await startApp({ DATA_DIR: first.dataDir });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it("the next agent finds the answer by the learned wording", async () => {
    const alex = await signInAs(browser, app.url, "alex@example.com");
    await alex.goto(`${app.url}/search?q=${encodeURIComponent("zorblax payout")}`);
    await alex.locator(".result").first().getByRole("link", { name: /How long does a refund take\?/ }).waitFor();
  });

  it("a knowledge manager rejects one learned phrasing and promotes another on the answer page", async () => {
    const kim = await signInAs(browser, app.url, "kim@example.com");
    await kim.goto(`${app.url}/answers/${answerId}`);
    const card = kim.getByRole("region", { name: "Learned phrasings" });
    await card.getByRole("cell", { name: "zorblax voucher payout", exact: true }).waitFor();
    await card.getByRole("button", { name: "Reject “zorblax voucher payout”" }).click();
    // Back on the answer page, without the rejected wording.
    await card.getByRole("cell", { name: "zorblax voucher payout", exact: true }).waitFor({ state: "detached" });
    expect(kim.url()).toBe(`${app.url}/answers/${answerId}`);
    await card.getByRole("cell", { name: "when do i get my cash back", exact: true }).waitFor();

    await card.getByRole("button", { name: "Promote “when do i get my cash back” to an “also asked as”" }).click();
    await kim.waitForURL(`${app.url}/answers/${answerId}/edit`);
    expect(await kim.locator("#alternatives").inputValue()).toContain("when do i get my cash back");

    const alex = await signInAs(browser, app.url, "alex@example.com");
    await alex.goto(`${app.url}/search?q=${encodeURIComponent("zorblax payout")}`);
    await alex.waitForLoadState("networkidle");
    expect(await alex.locator(".result").getByRole("link", { name: /How long does a refund take\?/ }).count()).toBe(0);
    expectStatus(alex, 403);
    expect((await alex.goto(`${app.url}/phrasings`))!.status()).toBe(403);
  });
});
