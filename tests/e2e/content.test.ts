import type { Browser, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { artifactPath, expectConsoleError, signInAs } from "../support/browser";
import type { RunningApp } from "../support/server";
import { useAppAndBrowser } from "../support/app-and-browser";

describe("wiki, forum and the duplicate hint in Chromium", () => {
  let app: RunningApp;
  let browser: Browser;
  useAppAndBrowser((a, b) => ([app, browser] = [a, b]));

  const signIn = (email: string) => signInAs(browser, app.url, email);

  async function typeInEditor(page: Page, text: string, replace = false) {
    const editor = page.getByTestId("body-editor");
    await editor.click();
    if (replace) await page.keyboard.press("Control+A");
    await page.keyboard.type(text);
  }

  it("writes a wiki page, edits it twice and shows the diff", async () => {
    const page = await signIn("emma@example.com");
    await page.goto(`${app.url}/wiki/new`);
    await page.waitForLoadState("networkidle");
    await page.getByLabel("Title").fill("Chargeback handling");
    await typeInEditor(page, "Chargebacks are answered within 7 days.");
    await page.getByRole("button", { name: "Create page" }).click();
    await page.getByRole("heading", { level: 1, name: "Chargeback handling" }).waitFor();
    for (const days of ["10", "14"]) {
      await page.getByRole("link", { name: "Edit page" }).click();
      await page.waitForLoadState("networkidle");
      await typeInEditor(page, `Chargebacks are answered within ${days} days.`, true);
      await page.getByRole("button", { name: "Save page" }).click();
      await page.getByText(/Saved as revision/).waitFor();
    }
    await page.getByRole("link", { name: "History" }).click();
    await page.getByLabel("Compare revision").selectOption("1");
    await page.getByLabel("with").selectOption("3");
    await page.getByRole("button", { name: "Show changes" }).click();
    await page.getByRole("heading", { name: "Changes from revision 1 to revision 3" }).waitFor();
    expect(await page.locator(".diff del").allTextContents()).toContain("7");
    expect(await page.locator(".diff ins").allTextContents()).toContain("14");
    await page.screenshot({ path: artifactPath("e2e", "wiki-diff.png"), fullPage: true });
    await page.context().close();
  });

  it("starts a thread, replies with a mention, accepts the reply and promotes it to a draft answer", async () => {
    const emma = await signIn("emma@example.com");
    await emma.goto(`${app.url}/forum/new`);
    await emma.waitForLoadState("networkidle");
    await emma.getByLabel("Your question").fill("Can customers return opened routers?");
    await emma.getByLabel("Category").selectOption({ label: "Devices" });
    await typeInEditor(emma, "A customer opened the box and changed their mind.");
    await emma.getByRole("button", { name: "Start thread" }).click();
    await emma.getByRole("heading", { level: 1, name: "Can customers return opened routers?" }).waitFor();
    const threadUrl = emma.url();

    const priya = await signIn("priya@example.com");
    await priya.goto(threadUrl);
    await priya.getByLabel("Your reply").fill("Yes, within 30 days if all parts are there. @kim can we make this official?");
    await priya.getByRole("button", { name: "Post reply" }).click();
    await priya.locator(".reply").first().waitFor();

    const kim = await signIn("kim@example.com");
    await kim.getByRole("link", { name: /Inbox [1-9]\d* unread/ }).click();
    await kim.getByRole("link", { name: /Priya Expert mentioned you in a reply to “Can customers return opened routers\?”/ }).waitFor();

    await emma.reload();
    await emma.getByRole("button", { name: "Accept this reply" }).click();
    await emma.getByText("Marked as the accepted answer.").waitFor();
    await emma.locator(".reply.accepted").waitFor();
    await emma.screenshot({ path: artifactPath("e2e", "forum-accepted.png"), fullPage: true });
    await emma.getByRole("link", { name: "Make this a draft answer" }).click();
    await emma.waitForURL(/\/answers\/new\?from=forum/);
    expect(await emma.getByLabel("Customer question").inputValue()).toBe("Can customers return opened routers?");
    await emma.getByTestId("body-editor").getByText("within 30 days").waitFor();
    await emma.getByRole("button", { name: "Save draft" }).click();
    await emma.waitForURL(/\/answers\/[0-9a-f-]{36}\/edit\?created=1/);
    await emma.goto(threadUrl);
    await emma.getByText("A draft answer was started from this").waitFor();
    for (const p of [emma, priya, kim]) await p.context().close();
  });

  it("shows the duplicate hint while typing a question that matches a certified answer", async () => {
    const page = await signIn("emma@example.com");
    await page.goto(`${app.url}/answers/new`);
    await page.waitForLoadState("networkidle");
    await page.getByLabel("Customer question").pressSequentially("How long does a refund take", { delay: 20 });
    const hint = page.locator("aside.similar");
    await hint.getByRole("link", { name: "How long does a refund take?" }).waitFor();
    await page.screenshot({ path: artifactPath("e2e", "duplicate-hint.png") });
    await page.context().close();
  });

  it("keeps the author's page when the duplicate hint cannot be fetched, and shows it once it can", async () => {
    const page = await signIn("emma@example.com");
    await page.goto(`${app.url}/answers/new`);
    await page.waitForLoadState("networkidle");
    // The hint's asks fail at the network, as on a dropped connection or a restarting server.
    let refused = 0;
    await page.route("**/answers/similar*", (route) => {
      refused++;
      return route.abort("connectionfailed");
    });
    expectConsoleError(page, /Failed to load resource|ERR_CONNECTION_FAILED|ERR_FAILED/);
    const question = page.getByLabel("Customer question");
    await question.pressSequentially("How long does a refund", { delay: 20 });
    await expect.poll(() => refused, { timeout: 10_000 }).toBeGreaterThan(0);
    // A side hint never takes over the page: no error page, the question as typed.
    await page.waitForTimeout(1000);
    await expect(page.getByRole("heading", { level: 1, name: "New answer" }).isVisible()).resolves.toBe(true);
    expect(await question.inputValue()).toBe("How long does a refund");
    await page.unroute("**/answers/similar*");
    await question.pressSequentially(" take", { delay: 20 });
    await page.locator("aside.similar").getByRole("link", { name: "How long does a refund take?" }).waitFor();
    await page.context().close();
  });
});
