import type { Browser, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { artifactPath, signInAs } from "../support/browser";
import type { RunningApp } from "../support/server";
import { useAppAndBrowser } from "../support/app-and-browser";

/** "Who knows about refunds?" on the demo data, as an agent, an author and an admin would ask it. */
describe("people: expertise locator, profiles, suggested reviewers, leaderboards", () => {
  let app: RunningApp;
  let browser: Browser;
  const open = async (page: Page, url: string) => {
    await page.goto(url);
    await page.waitForLoadState("networkidle");
  };
  useAppAndBrowser((a, b) => ([app, browser] = [a, b]));

  it("an agent finds who knows about refunds and opens a profile with the evidence", async () => {
    const alex = await signInAs(browser, app.url, "alex@example.com", { viewport: { width: 1366, height: 900 } });
    await alex.getByRole("link", { name: "People" }).first().click();
    await alex.getByRole("searchbox", { name: "Who knows about" }).fill("Who knows about refunds?");
    await alex.getByRole("button", { name: "Find people" }).click();
    await alex.getByText("Experts in: refunds").waitFor();
    const emma = alex.locator(".person").filter({ hasText: "Emma Employee" });
    await emma.getByText(/certified answer/).first().waitFor();
    await alex.screenshot({ path: artifactPath("e2e", "people-search.png"), fullPage: true });

    await emma.getByRole("link", { name: "Emma Employee" }).click();
    await alex.getByRole("heading", { name: "Expertise and its evidence" }).waitFor();
    const billing = alex.locator("tr").filter({ hasText: "Billing" }).first();
    expect(Number(await billing.locator("td").nth(0).textContent())).toBeGreaterThan(0);
    expect(Number(await billing.locator("td").nth(4).textContent())).toBeGreaterThan(0);
    await alex.getByRole("heading", { name: "Their certified answers" }).waitFor();
    await alex.locator(".profile .plain-list li").filter({ hasText: /^\+\d+ · An agent uses your answer in a reply/ }).first().waitFor();
    await alex.screenshot({ path: artifactPath("e2e", "people-profile.png"), fullPage: true });

    await open(alex, `${app.url}/people/rules`);
    await alex.getByRole("heading", { name: "How expertise and points are counted" }).waitFor();
  });

  it("the monthly leaderboard shows per topic until an admin turns it off", async () => {
    const kim = await signInAs(browser, app.url, "kim@example.com", { viewport: { width: 1366, height: 900 } });
    await open(kim, `${app.url}/people`);
    await kim.getByLabel("Topic").selectOption({ label: "Billing" });
    await kim.getByRole("button", { name: "Find people" }).click();
    await kim.getByRole("heading", { name: "Billing: this month" }).waitFor();
    const boardUrl = kim.url();

    const ada = await signInAs(browser, app.url, "ada@example.com");
    await open(ada, `${app.url}/admin/settings`);
    await ada.getByRole("radio", { name: "Off" }).check();
    await ada.getByRole("button", { name: "Save leaderboards" }).click();
    await ada.getByText(/Leaderboards are off/).waitFor();

    await open(kim, boardUrl);
    await kim.locator(".person").first().waitFor();
    expect(await kim.getByRole("heading", { name: "Billing: this month" }).count()).toBe(0);
  });

  it("an author's draft suggests reviewers who know the topic, never the author", async () => {
    const emma = await signInAs(browser, app.url, "emma@example.com", { viewport: { width: 1366, height: 900 } });
    await open(emma, `${app.url}/write`);
    await emma.getByRole("link", { name: "Do you deliver abroad?" }).first().click();
    await emma.getByRole("heading", { name: "Suggested reviewers" }).waitFor();
    const names = await emma.locator(".suggested-reviewers li a").allTextContents();
    expect(names).toContain("Xavier Expert");
    expect(names).not.toContain("Emma Employee");
  });
});
