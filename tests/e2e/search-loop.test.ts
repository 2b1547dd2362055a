import type { Browser, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { artifactPath, signInAs } from "../support/browser";
import type { RunningApp } from "../support/server";
import { useAppAndBrowser } from "../support/app-and-browser";

describe("search for agents and the closed loop from a failed search to a certified answer", () => {
  let app: RunningApp;
  let browser: Browser;
  const pages: Record<string, Page> = {};

  /** One signed-in page per demo user, kept across the steps of the story. */
  async function as(email: string): Promise<Page> {
    pages[email] ??= await signInAs(browser, app.url, email, { permissions: ["clipboard-read", "clipboard-write"] });
    return pages[email];
  }

  useAppAndBrowser((a, b) => ([app, browser] = [a, b]));

  it("finds a demo answer as the agent types, with typos, and copies the short answer", async () => {
    const alex = await as("alex@example.com");
    await alex.goto(`${app.url}/search`);
    await alex.waitForLoadState("networkidle");
    // The box is a combobox now (whole-query suggestions under it).
    await alex.getByRole("combobox", { name: /^Search/ }).click();
    await alex.keyboard.type("how lnog does a refnd take", { delay: 20 });
    const first = alex.locator(".result").first();
    await first.getByRole("link", { name: /How long does a refund take\?/ }).waitFor();
    expect(alex.url()).toContain("q=how+lnog+does+a+refnd+take");
    // Keyboard first: "/" brings the focus back to the box from anywhere, ↓ picks a result, s copies.
    await alex.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await alex.keyboard.press("/");
    expect(await alex.evaluate(() => document.activeElement?.id)).toBe("q");
    await alex.keyboard.press("ArrowDown");
    await alex.keyboard.press("s");
    await first.getByText("Short answer copied").waitFor();
    expect(await alex.evaluate(() => navigator.clipboard.readText())).toContain("Refunds reach your card within 5 working days");
    await alex.screenshot({ path: artifactPath("e2e", "search-results.png"), fullPage: true });
  });

  it("finds an answer asked in other words, by meaning, on a desk and on a phone", async () => {
    const alex = await as("alex@example.com");
    // No word but "my" in common with "I forgot my password": its meaning matches.
    await alex.goto(`${app.url}/search?q=${encodeURIComponent("i can't remember my login")}`);
    await alex.locator(".result").first().getByRole("link", { name: "I forgot my password" }).waitFor();
    await alex.screenshot({ path: artifactPath("e2e", "search-by-meaning-1366.png"), fullPage: true });
    const desk = alex.viewportSize();
    await alex.setViewportSize({ width: 390, height: 844 });
    await alex.reload();
    await alex.locator(".result").first().getByRole("link", { name: "I forgot my password" }).waitFor();
    await alex.screenshot({ path: artifactPath("e2e", "search-by-meaning-390.png"), fullPage: true });
    if (desk) await alex.setViewportSize(desk);
  });

  it("an agent searches, finds nothing, and requests an answer", async () => {
    const alex = await as("alex@example.com");
    await alex.goto(`${app.url}/search?q=${encodeURIComponent("do you sell hamster trampolines")}`);
    await alex.getByText("No certified answer matches.").waitFor();
    await alex.getByLabel("Topic", { exact: true }).selectOption({ label: "Billing" });
    await alex.getByRole("button", { name: "Request an answer" }).click();
    await alex.waitForURL(/\/requests\?created=1/);
    await alex.getByRole("heading", { name: "do you sell hamster trampolines" }).waitFor();
  });

  it("an employee drafts it from the request; it is reviewed and certified", async () => {
    const emma = await as("emma@example.com");
    await emma.goto(`${app.url}/requests`);
    await emma.getByRole("link", { name: "Write this answer" }).first().click();
    await emma.waitForURL(/\/answers\/new\?/);
    await emma.waitForLoadState("networkidle");
    await emma.getByLabel("Customer question").fill("Do you sell hamster trampolines?");
    await emma.getByLabel("Short answer (fits a social reply)").fill("No: we sell electronics only; pet shops near you stock hamster trampolines.");
    await emma.getByTestId("body-editor").click();
    await emma.keyboard.type("We sell phones, routers and smart home devices, not pet supplies.");
    await emma.getByLabel("Billing").check();
    await emma.getByRole("button", { name: "Save draft" }).click();
    // Save draft creates the draft, unless an autosave while she typed created it already (a slow
    // machine's typing outlasts the autosave delay): then it saves that draft.
    await emma.waitForURL(/\/answers\/[0-9a-f-]{36}(?:\/edit\?created=1|\?version=\d+&saved=1)$/);
    await emma.goto(`${app.url}/answers/${/\/answers\/([0-9a-f-]{36})/.exec(emma.url())![1]}`);
    await emma.getByRole("button", { name: "Submit for review" }).click();
    await emma.getByText("Submitted: the topic's experts have been asked to review it.").waitFor();
    const answerUrl = emma.url().split("?")[0]!;

    const xavier = await as("xavier@example.com");
    await xavier.goto(`${answerUrl}/review`);
    await xavier.getByRole("button", { name: "Approve" }).click();
    await xavier.getByText("Approved.").waitFor();
    const kim = await as("kim@example.com");
    await kim.goto(`${answerUrl}/review`);
    await kim.getByRole("button", { name: "Certify" }).click();
    await kim.getByText("Certified: this is now the answer agents and readers get.").waitFor();
  });

  it("the agent's inbox shows the answer, and search now finds it", async () => {
    const alex = await as("alex@example.com");
    await alex.goto(`${app.url}/inbox`);
    await alex.getByRole("link", { name: /The answer you asked for is certified: Do you sell hamster trampolines\?/ }).waitFor();
    await alex.screenshot({ path: artifactPath("e2e", "agent-inbox-request-answered.png"), fullPage: true });
    // Indexed by the outbox within a second of certification.
    await expect
      .poll(
        async () => {
          await alex.goto(`${app.url}/search?q=hamster+trampolines`);
          return alex.locator(".result h2").allTextContents();
        },
        { timeout: 10_000, interval: 500 },
      )
      .toContain("Do you sell hamster trampolines?");
  });
});
