import type { Browser } from "playwright-core";
import { describe, expect, it } from "vitest";
import { axeViolations } from "../support/axe";
import { signInAs } from "../support/browser";
import type { RunningApp } from "../support/server";
import { useAppAndBrowser } from "../support/app-and-browser";

/**
 * Issue 14 as a knowledge manager lives it: open Knowledge health on the demo's months of
 * history, narrow to a topic, drill into the failed searches and start an answer from one.
 * Screenshots at 1366 and 390 px go to /tmp for the closing note.
 */

describe("knowledge health dashboard", () => {
  let app: RunningApp;
  let browser: Browser;
  useAppAndBrowser((a, b) => ([app, browser] = [a, b]));

  it("a knowledge manager narrows to a topic, drills into failed searches and starts an answer", async () => {
    const kim = await signInAs(browser, app.url, "kim@example.com", { viewport: { width: 1366, height: 900 } });
    await kim.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Insights" }).click();
    await kim.waitForURL(/\/insights$/);
    await kim.getByRole("heading", { name: "Knowledge health", level: 1 }).waitFor();
    await kim.waitForLoadState("networkidle");
    expect(await kim.getByRole("img", { name: "Searches over time" }).count()).toBe(1);
    expect(await axeViolations(kim)).toEqual([]);
    await kim.locator("select[name=range]").selectOption("90");
    await kim.locator("select[name=topic]").selectOption({ label: "Billing" });
    await kim.getByRole("button", { name: "Show" }).click();
    await kim.waitForURL(/range=90.*topic=/);
    await kim.waitForLoadState("networkidle");
    await kim.screenshot({ path: "/tmp/insights-1366.png", fullPage: true });
    expect(await axeViolations(kim)).toEqual([]);

    await kim.getByRole("link", { name: /See the list.*Found nothing/ }).click();
    await kim.getByRole("heading", { name: "Failed searches" }).waitFor();
    await kim.waitForLoadState("networkidle");
    expect(await axeViolations(kim)).toEqual([]);
    const row = kim.getByRole("row").filter({ hasText: /refund/i }).first();
    const query = ((await row.getByRole("rowheader").textContent()) ?? "").trim();
    await row.getByRole("link", { name: "Write this answer" }).click();
    await kim.waitForURL(/\/answers\/new\?question=/);
    await kim.waitForLoadState("networkidle");
    expect(await kim.getByLabel("Customer question", { exact: true }).inputValue()).toBe(query);

    const csv = await kim.request.get(`${app.url}/insights/export/failed?range=90`);
    expect(csv.headers()["content-type"]).toMatch(/text\/csv/);
    expect((await csv.text()).split("\r\n")[0]).toBe("Query,Why,Searched by,When");
    await kim.context().close();
  });

  it("fits a phone (390 px) and refuses an agent", async () => {
    const kim = await signInAs(browser, app.url, "kim@example.com", { viewport: { width: 390, height: 844 } });
    await kim.goto(`${app.url}/insights?range=90`);
    await kim.getByRole("heading", { name: "Knowledge health", level: 1 }).waitFor();
    await kim.waitForLoadState("networkidle");
    await kim.screenshot({ path: "/tmp/insights-390.png", fullPage: true });
    expect(await kim.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)).toBe(true);
    await kim.context().close();
    const alex = await signInAs(browser, app.url, "alex@example.com");
    const res = await alex.request.get(`${app.url}/insights`);
    expect(res.status()).toBe(403);
    await alex.context().close();
  });
});
