import type { Browser, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { artifactPath, expectStatus, signInAs } from "../support/browser";
import type { RunningApp } from "../support/server";
import { useAppAndBrowser } from "../support/app-and-browser";

/**
 * The feedback loop as people live it (issue 13): an agent flags a wrong answer from search, the
 * owner hears it and revises, an expert approves, a knowledge manager certifies, and the agent's
 * inbox says what changed because of them.
 */
describe("flag a problem → revision certified → the flagger is told", () => {
  let app: RunningApp;
  let browser: Browser;
  const pages = new Map<string, Page>();
  const as = async (email: string) => {
    const open = pages.get(email);
    if (open) return open;
    const page = await signInAs(browser, app.url, email, { viewport: { width: 1366, height: 900 } });
    pages.set(email, page);
    return page;
  };
  const open = async (page: Page, url: string) => {
    await page.goto(url);
    await page.waitForLoadState("networkidle");
  };
  let answerUrl = "";
  let flagUrl = "";

  useAppAndBrowser((a, b) => ([app, browser] = [a, b]));

  it("an agent rates and flags an answer from a search result, and a bad flag is refused with its reason", async () => {
    const alex = await as("alex@example.com");
    await open(alex, `${app.url}/search?q=${encodeURIComponent("track my parcel")}`);
    const hit = alex.locator(".result").filter({ hasText: "How do I track my parcel?" }).first();
    await hit.waitFor();
    // The result's link carries its search session (?s=…); the answer's own address is the path.
    answerUrl = app.url + ((await hit.getByRole("link", { name: "How do I track my parcel?" }).getAttribute("href")) ?? "").replace(/\?.*$/, "");

    await hit.getByRole("button", { name: "Not helpful" }).click();
    await hit.getByText("Thanks: marked not helpful.").waitFor();
    expect(await hit.getByRole("button", { name: "Not helpful" }).getAttribute("aria-pressed")).toBe("true");

    await hit.getByRole("button", { name: "Flag a problem" }).click();
    await hit.getByLabel("What is wrong?").selectOption("outdated");
    expectStatus(alex, 400);
    await hit.getByRole("button", { name: "Send to the owner" }).click();
    await hit.getByText(/Say what is wrong/).waitFor();

    await hit.getByLabel("Tell the owner what to change").fill("The tracking link now comes by SMS too, not only by email; the answer only mentions email.");
    await hit.getByRole("button", { name: "Send to the owner" }).click();
    await hit.getByText(/Flagged: Emma Employee \(the answer's owner\) will act on it/).waitFor();
    await alex.screenshot({ path: artifactPath("e2e", "feedback-flag-from-search.png"), fullPage: true });
  });

  it("the owner sees it in her inbox and the Feedback queue (with the demo's overdue flag) and starts a revision", async () => {
    const emma = await as("emma@example.com");
    await open(emma, `${app.url}/inbox`);
    await emma.getByText(/Flagged outdated: How do I track my parcel\?/).first().waitFor();
    await open(emma, `${app.url}/feedback`);
    await emma.getByText(/Overdue:/).first().waitFor();
    await emma.screenshot({ path: artifactPath("e2e", "feedback-queue.png"), fullPage: true });
    await emma.getByRole("link", { name: "How do I track my parcel?" }).click();
    await emma.waitForURL(/\/feedback\/[0-9a-f-]{36}$/);
    await emma.getByText("The tracking link now comes by SMS too").waitFor();
    flagUrl = emma.url();
    await emma.screenshot({ path: artifactPath("e2e", "feedback-flag.png"), fullPage: true });

    // Dismissing needs a reason the flagger will read.
    expectStatus(emma, 400);
    await emma.getByRole("button", { name: "Dismiss with this reason" }).click();
    await emma.getByText(/Give the reason the flagger will read/).waitFor();

    await emma.getByRole("button", { name: "Start a revision" }).click();
    await emma.waitForURL(/\/edit$/);
    await emma.getByLabel("Short answer (fits a social reply)").fill("Open the tracking link in the email or SMS we send when the parcel leaves our warehouse.");
    await emma.getByRole("button", { name: "Save draft" }).click();
    await emma.waitForURL(/saved=1/);
    await emma.getByRole("button", { name: "Submit for review" }).click();
    await emma.getByText("Submitted: the topic's experts have been asked to review it.").waitFor();
  });

  it("an expert approves, a knowledge manager certifies, and the agent is told what changed", async () => {
    const xavier = await as("xavier@example.com");
    await open(xavier, `${answerUrl}/review`);
    await xavier.getByRole("button", { name: "Approve" }).click();
    await xavier.getByText("Approved.").waitFor();

    const kim = await as("kim@example.com");
    await open(kim, `${answerUrl}/review`);
    await kim.getByRole("button", { name: "Certify" }).click();
    await kim.getByText("Certified: this is now the answer agents and readers get.").waitFor();

    const alex = await as("alex@example.com");
    await open(alex, `${app.url}/inbox`);
    await alex.getByText(/Because of what you told us, we changed “How do I track my parcel\?” \(version 2\)/).waitFor();
    await open(alex, `${app.url}/feedback`);
    await alex.getByText("Fixed").first().waitFor();
    await open(alex, answerUrl);
    expect(await alex.locator(".short-answer").textContent()).toContain("email or SMS");
    // The flag is closed: the agent may flag again, and the page offers it.
    await alex.locator("#feedback-heading").waitFor();
    await alex.getByText("Flag a problem", { exact: true }).waitFor();
    await alex.screenshot({ path: artifactPath("e2e", "feedback-answer-card.png"), fullPage: true });
  });

  it("refuses, over HTTP, a flag without its CSRF token, bad fields with their reasons, and an agent acting on a flag", async () => {
    const alex = await as("alex@example.com");
    await open(alex, answerUrl);
    const csrf = (await alex.locator('input[name="csrf"]').first().getAttribute("value")) ?? "";
    const answerId = answerUrl.split("/").pop()!;
    const post = (url: string, form: Record<string, string>) => alex.request.post(url, { form, failOnStatusCode: false, maxRedirects: 0 });

    expect((await post(`${app.url}/search/feedback`, { intent: "flag", answerId, reason: "outdated", comment: "No token here at all." })).status()).toBe(403);
    const bad = await post(`${app.url}/search/feedback`, { csrf, intent: "flag", answerId, reason: "spam", comment: "x" });
    expect(bad.status()).toBe(400);
    expect(Object.keys(((await bad.json()) as { errors: Record<string, string[]> }).errors)).toEqual(expect.arrayContaining(["reason"]));
    const missing = await post(`${app.url}/search/feedback`, { csrf, intent: "rate", answerId: "00000000-0000-4000-8000-000000000000", helpful: "yes" });
    expect(missing.status()).toBe(404);
    expect((await post(flagUrl, { csrf, intent: "dismiss", reason: "An agent should not be able to do this." })).status()).toBe(403);
  });
});
