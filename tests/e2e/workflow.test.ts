import type { Browser, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { artifactPath, expectStatus, signInAs } from "../support/browser";
import type { RunningApp } from "../support/server";
import { useAppAndBrowser } from "../support/app-and-browser";

describe("an answer goes from draft to certified, then a revision goes through review", () => {
  let app: RunningApp;
  let browser: Browser;
  const pages: Record<string, Page> = {};
  let answerUrl = "";

  /** One signed-in page per demo user, kept across the steps of the story. */
  async function as(email: string): Promise<Page> {
    pages[email] ??= await signInAs(browser, app.url, email);
    return pages[email];
  }

  async function open(page: Page, url: string) {
    await page.goto(url);
    await page.waitForLoadState("networkidle");
  }

  useAppAndBrowser((a, b) => ([app, browser] = [a, b]));

  it("an employee writes a draft in the editor and submits it", async () => {
    const emma = await as("emma@example.com");
    await open(emma, `${app.url}/answers/new`);
    await emma.getByLabel("Customer question").fill("Can I pay by bank transfer?");
    const short = "Yes: choose Bank transfer at checkout and pay within 7 days.";
    await emma.getByLabel("Short answer (fits a social reply)").fill(short);
    await expect(emma.locator("#shortAnswer-count").textContent()).resolves.toContain(`${short.length} / 280`);
    const editor = emma.getByTestId("body-editor");
    await editor.click();
    await emma.keyboard.type("Choose Bank transfer at checkout. We send the bank details by email.");
    await emma.getByRole("button", { name: "Bold" }).click();
    await emma.keyboard.type(" Pay within 7 days.");
    await emma.getByLabel("Billing").check();
    await emma.getByRole("button", { name: "Save draft" }).click();
    // The first autosave may already have created the draft: then Save draft lands on the answer.
    await emma.waitForURL(/\/answers\/[0-9a-f-]+(\/edit\?created=1|\?version=1&saved=1)$/);
    answerUrl = emma.url().replace(/(\/edit)?\?.*$/, "");
    await open(emma, `${answerUrl}/edit`);
    // Autosave: change a field and wait for the indicator.
    await emma.getByLabel("Other ways customers ask it (one per line)").fill("pay by wire\nbank transfer payment");
    await emma.getByText(/Saved at/).waitFor({ timeout: 15_000 });
    await open(emma, answerUrl);
    await emma.getByRole("heading", { name: "Can I pay by bank transfer?" }).waitFor();
    expect(await emma.locator(".rich-text strong").textContent()).toBe(" Pay within 7 days.");
    await emma.getByRole("button", { name: "Submit for review" }).click();
    await emma.getByText("Submitted: the topic's experts have been asked to review it.").waitFor();
  });

  it("an agent cannot see the draft", async () => {
    const alex = await as("alex@example.com");
    expectStatus(alex, 404);
    const res = await alex.goto(answerUrl);
    expect(res?.status()).toBe(404);
  });

  it("an expert finds it in the queue and requests changes (a comment is required)", async () => {
    const xavier = await as("xavier@example.com");
    await open(xavier, `${app.url}/review`);
    await xavier.getByRole("link", { name: "Can I pay by bank transfer?" }).click();
    await xavier.waitForURL(/\/review$/);
    // The refused decision answers 400 with the reason, which the page shows.
    expectStatus(xavier, 400);
    await xavier.getByRole("button", { name: "Request changes" }).click();
    await xavier.getByText("Say what should change: a comment is required when requesting changes.").waitFor();
    await xavier.getByLabel("What should change? (required)").fill("Mention that transfers take 1–2 days to arrive.");
    await xavier.getByRole("button", { name: "Request changes" }).click();
    await xavier.getByText("Changes requested: the author has been told.").waitFor();
  });

  it("the author sees the comment, edits and resubmits", async () => {
    const emma = await as("emma@example.com");
    await open(emma, `${app.url}/inbox`);
    await emma.getByRole("link", { name: /Changes requested: Can I pay by bank transfer\?/ }).waitFor();
    await open(emma, `${answerUrl}/edit`);
    await emma.getByText("Mention that transfers take 1–2 days to arrive.").waitFor();
    await emma.getByLabel("Short answer (fits a social reply)").fill("Yes: choose Bank transfer at checkout; transfers take 1–2 days to arrive.");
    await emma.getByRole("button", { name: "Save draft" }).click();
    await emma.waitForURL(/saved=1/);
    await emma.getByRole("button", { name: "Resubmit for review" }).click();
    await emma.getByText("Resubmitted for review.").waitFor();
  });

  it("the expert approves and a knowledge manager certifies", async () => {
    const xavier = await as("xavier@example.com");
    await open(xavier, `${answerUrl}/review`);
    await xavier.getByRole("button", { name: "Approve" }).click();
    await xavier.getByText("Approved.").waitFor();
    const kim = await as("kim@example.com");
    await open(kim, `${app.url}/review`);
    await kim.getByRole("link", { name: "Can I pay by bank transfer?" }).click();
    await kim.getByRole("button", { name: "Certify" }).click();
    await kim.getByText("Certified: this is now the answer agents and readers get.").waitFor();
  });

  it("shows the certified answer with who certified it and its history", async () => {
    const alex = await as("alex@example.com");
    await open(alex, answerUrl);
    await alex.getByText(/Certified by/).waitFor();
    expect(await alex.locator(".certificate").textContent()).toContain("Kim Knowledge-Manager");
    const events = await alex.locator(".timeline li").evaluateAll((lis) => lis.map((li) => li.getAttribute("data-event")));
    expect(events).toEqual(["CERTIFY", "APPROVE", "RESUBMIT", "REQUEST_CHANGES", "SUBMIT", "CREATE"]);
    await alex.screenshot({ path: artifactPath("e2e", "answer-certified-with-history.png"), fullPage: true });
  });

  it("a revision goes through review while the certified version stays visible", async () => {
    const emma = await as("emma@example.com");
    await open(emma, answerUrl);
    await emma.getByRole("button", { name: "Revise this answer" }).click();
    await emma.waitForURL(/\/edit$/);
    await emma.getByLabel("Short answer (fits a social reply)").fill("Yes: choose Bank transfer at checkout; money arrives in 1–2 working days.");
    await emma.getByRole("button", { name: "Save draft" }).click();
    await emma.waitForURL(/saved=1/);
    await emma.getByRole("button", { name: "Submit for review" }).click();
    await emma.getByText("Submitted: the topic's experts have been asked to review it.").waitFor();

    const alex = await as("alex@example.com");
    await open(alex, answerUrl);
    expect(await alex.locator(".short-answer").textContent()).toContain("transfers take 1–2 days to arrive");

    const xavier = await as("xavier@example.com");
    await open(xavier, `${answerUrl}/review`);
    await xavier.getByRole("heading", { name: /Changes against the certified version 1/ }).waitFor();
    expect(await xavier.locator(".diff-rendered ins").count()).toBeGreaterThan(0);
    await xavier.screenshot({ path: artifactPath("e2e", "review-diff.png"), fullPage: true });
    await xavier.getByRole("button", { name: "Approve" }).click();
    await xavier.getByText("Approved.").waitFor();

    await open(alex, answerUrl);
    expect(await alex.locator(".short-answer").textContent()).toContain("transfers take 1–2 days to arrive");

    const kim = await as("kim@example.com");
    await open(kim, `${answerUrl}/review`);
    await kim.getByRole("button", { name: "Certify" }).click();
    await kim.getByText("Certified: this is now the answer agents and readers get.").waitFor();

    await open(alex, answerUrl);
    expect(await alex.locator(".short-answer").textContent()).toContain("money arrives in 1–2 working days");
    await alex.getByRole("link", { name: "Version 1" }).waitFor();
  });
});
