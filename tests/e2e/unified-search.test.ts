import type { Browser, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { artifactPath, signInAs } from "../support/browser";
import type { RunningApp } from "../support/server";
import { useAppAndBrowser } from "../support/app-and-browser";

describe("one search box across answers, wiki, blog and forum, with completion", () => {
  let app: RunningApp;
  let browser: Browser;
  const pages: Record<string, Page> = {};
  const as = async (email: string) => (pages[email] ??= await signInAs(browser, app.url, email));

  useAppAndBrowser((a, b) => ([app, browser] = [a, b]));

  async function shoot(page: Page, name: string) {
    for (const [label, width, height] of [
      ["1366", 1366, 900],
      ["390", 390, 844],
    ] as const) {
      await page.setViewportSize({ width, height });
      await page.screenshot({ path: artifactPath("e2e", `unified-search-${name}-${label}.png`), fullPage: true });
    }
    await page.setViewportSize({ width: 1280, height: 800 });
  }

  it("an employee finds the certified answer first, then a wiki page labelled not certified", async () => {
    const emma = await as("emma@example.com");
    await emma.goto(`${app.url}/wiki/new`);
    await emma.waitForLoadState("networkidle");
    await emma.getByLabel("Title").fill("Refund escalation playbook");
    await emma.getByTestId("body-editor").click();
    await emma.keyboard.type("When a refund takes longer than ten days, escalate it to <finance> & tell the customer.");
    await emma.getByRole("button", { name: "Create page" }).click();
    await emma.getByRole("heading", { level: 1, name: "Refund escalation playbook" }).waitFor();

    await emma.goto(`${app.url}/search`);
    await emma.waitForLoadState("networkidle");
    await emma.getByRole("combobox", { name: /^Search/ }).click();
    await emma.keyboard.type("refund escalaton ", { delay: 15 });
    const wiki = emma.locator(".content-result").first();
    await wiki.getByRole("link", { name: "Refund escalation playbook" }).waitFor();
    expect(await emma.getByRole("listbox", { name: "Suggested searches" }).isVisible()).toBe(false);
    expect(await wiki.locator(".kind-label").textContent()).toBe("Wiki page");
    expect(await wiki.locator(".badge.uncertified").textContent()).toBe("Not certified");
    expect(await wiki.locator("mark").allTextContents(), await wiki.innerHTML()).toEqual(expect.arrayContaining(["Refund", "escalation"]));
    // The page's own angle brackets are text, never markup.
    expect(await wiki.locator(".snippet").textContent()).toContain("<finance> & tell");
    const first = emma.locator(".result").first();
    await first.getByText("✓ Certified answer").waitFor();
    await first.getByRole("link", { name: /How long does a refund take\?/ }).waitFor();
    // Certified answers come before anything that is not certified.
    const order = await emma.evaluate(() => {
      const answer = document.querySelector(".result")!;
      const content = document.querySelector(".content-results")!;
      return answer.compareDocumentPosition(content) & Node.DOCUMENT_POSITION_FOLLOWING;
    });
    expect(order).toBeTruthy();
    await shoot(emma, "employee");
    await wiki.getByRole("link", { name: "Refund escalation playbook" }).click();
    await emma.getByRole("heading", { level: 1, name: "Refund escalation playbook" }).waitFor();
  });

  it("an agent sees certified answers only, and switches to include the rest (kept in the URL)", async () => {
    const alex = await as("alex@example.com");
    await alex.goto(`${app.url}/search?q=${encodeURIComponent("refund escalation")}`);
    await alex.waitForLoadState("networkidle");
    await alex.locator(".result").first().waitFor();
    expect(await alex.locator(".content-results").count()).toBe(0);
    expect(await alex.getByLabel("Certified answers only").isChecked()).toBe(true);
    await alex.getByLabel("Answers, wiki, blog & forum").check();
    await alex.locator(".content-result").getByRole("link", { name: "Refund escalation playbook" }).waitFor();
    await alex.waitForFunction(() => location.search.includes("scope=all"));
    await alex.reload();
    await alex.locator(".content-result").first().waitFor();
    expect(await alex.getByLabel("Answers, wiki, blog & forum").isChecked()).toBe(true);
  });

  it("completes the whole query from certified questions, by keyboard, without rewriting what was typed", async () => {
    const alex = await as("alex@example.com");
    await alex.goto(`${app.url}/search`);
    await alex.waitForLoadState("networkidle");
    const box = alex.getByRole("combobox", { name: /^Search/ });
    await box.click();
    await alex.keyboard.type("how do i tr", { delay: 30 });
    const list = alex.getByRole("listbox", { name: "Suggested searches" });
    await list.getByRole("option", { name: /How do I track my parcel\?/ }).waitFor();
    expect(await box.getAttribute("aria-expanded")).toBe("true");
    await shoot(alex, "completion");
    await alex.keyboard.press("ArrowDown");
    const option = list.getByRole("option", { name: /How do I track my parcel\?/ });
    expect(await option.getAttribute("aria-selected")).toBe("true");
    expect(await box.getAttribute("aria-activedescendant")).toBe(await option.getAttribute("id"));
    // Moving through the list leaves the box as typed.
    expect(await box.inputValue()).toBe("how do i tr");
    await alex.keyboard.press("Enter");
    expect(await box.inputValue()).toBe("How do I track my parcel?");
    await list.waitFor({ state: "hidden" });
    await alex.locator(".result").first().getByRole("link", { name: /How do I track my parcel\?/ }).waitFor();
    expect(alex.url()).toContain("/search?");

    // Escape closes the list and keeps the words.
    await box.fill("");
    await alex.keyboard.type("how do i ch", { delay: 30 });
    await list.getByRole("option").first().waitFor();
    await alex.keyboard.press("Escape");
    await list.waitFor({ state: "hidden" });
    expect(await box.inputValue()).toBe("how do i ch");
  });

  it("offers did you mean on a query that found little", async () => {
    const emma = await as("emma@example.com");
    await emma.goto(`${app.url}/search?q=${encodeURIComponent("playbok escalaton")}`);
    const link = emma.locator(".did-you-mean a");
    await link.waitFor();
    expect(await link.textContent()).toBe("playbook escalation");
    await emma.waitForLoadState("networkidle");
    await link.click();
    await emma.locator(".content-result").getByRole("link", { name: "Refund escalation playbook" }).waitFor();
    expect(await emma.getByRole("combobox", { name: /^Search/ }).inputValue()).toBe("playbook escalation");
  });
});
