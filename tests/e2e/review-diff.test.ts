import type { Browser } from "playwright-core";
import { describe, expect, it } from "vitest";
import { artifactPath, NARROWEST, signInAs } from "../support/browser";
import type { RunningApp } from "../support/server";
import { useAppAndBrowser } from "../support/app-and-browser";

// Issue 11, defect 11: the review page's word diff dropped paragraph breaks and hid formatting
// changes. A revision of a certified demo answer, edited in the editor, is reviewed as the new
// version rendered with its changes marked: readable at a phone's width, without JavaScript.
describe("a reviewer reads a revision as a rendered diff", () => {
  let app: RunningApp;
  let browser: Browser;
  let answerUrl = "";

  useAppAndBrowser((a, b) => ([app, browser] = [a, b]));

  it("an employee revises a certified answer: a word made bold, a paragraph added", async () => {
    const emma = await signInAs(browser, app.url, "emma@example.com");
    await emma.goto(`${app.url}/search?q=${encodeURIComponent("How long does a refund take")}`);
    const link = emma.getByRole("link", { name: /How long does a refund take\?/ }).first();
    await link.waitFor();
    answerUrl = `${app.url}${(await link.getAttribute("href"))!.replace(/\?.*$/, "")}`;
    await emma.goto(answerUrl);
    await emma.getByRole("button", { name: "Revise this answer" }).click();
    await emma.waitForURL(/\/edit$/);
    await emma.waitForLoadState("networkidle");
    const editor = emma.getByTestId("body-editor");
    // Selections are made as a reader makes them with the mouse (the editor follows the page's
    // selection): key presses like Control+End raced the editor taking focus.
    const select = (text: string, caretAfter: boolean) =>
      editor.evaluate(
        (root, [wanted, collapse]) => {
          (root.querySelector("[contenteditable]") as HTMLElement | null)?.focus();
          const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
          for (let n = walker.nextNode(); n; n = walker.nextNode()) {
            const at = n.textContent!.indexOf(wanted as string);
            if (at < 0) continue;
            const range = document.createRange();
            range.setStart(n, collapse ? at + (wanted as string).length : at);
            range.setEnd(n, at + (wanted as string).length);
            getSelection()!.removeAllRanges();
            getSelection()!.addRange(range);
            return;
          }
          throw new Error(`no “${String(wanted)}” in the editor`);
        },
        [text, caretAfter] as const,
      );
    // A new last paragraph.
    await select("we will trace the payment.", true);
    await emma.waitForFunction(() => getSelection()?.isCollapsed === true && getSelection()?.anchorNode?.textContent?.endsWith("the payment.") === true);
    await emma.keyboard.press("Enter");
    await emma.keyboard.type("Refunds to gift cards are instant.");
    await editor.locator("p", { hasText: /^Refunds to gift cards are instant\.$/ }).waitFor();
    // "warehouse" in the first paragraph becomes bold.
    await select("warehouse", false);
    await emma.waitForFunction(() => getSelection()?.toString() === "warehouse");
    await emma.getByRole("button", { name: "Bold" }).click();
    await editor.locator("strong", { hasText: "warehouse" }).waitFor();
    await emma.getByRole("button", { name: "Save draft" }).click();
    await emma.waitForURL(/saved=1/);
    await emma.getByRole("button", { name: "Submit for review" }).click();
    // The whole message: the page's history already says "submitted it for review", and closing
    // the context before the submission has landed aborts it (seen on a loaded CI machine).
    await emma.getByText("Submitted: the topic's experts have been asked to review it.").waitFor();
    await emma.context().close();
  });

  for (const javaScriptEnabled of [true, false]) {
    it(`the review page shows the new version with paragraphs and every change marked (JavaScript ${javaScriptEnabled ? "on" : "off"})`, async () => {
      const kim = await signInAs(browser, app.url, "kim@example.com", { javaScriptEnabled });
      await kim.goto(`${answerUrl}/review`);
      await kim.getByRole("heading", { name: /Changes against the certified version 1/ }).waitFor();
      // Kim certified the demo answer: what changed since her last review is the same diff, shown once.
      await kim.getByText("You last reviewed the certified version: the changes since are below.").waitFor();
      expect(await kim.locator("#since-mine-heading").count()).toBe(0);
      const against = kim.locator("section", { has: kim.locator("#diff-heading") });
      const fullAnswer = against.locator(".diff-block", { has: kim.getByRole("heading", { name: /^Full answer/ }) }).locator(".diff-rendered");
      const paragraphs = fullAnswer.locator("p");
      expect(await paragraphs.count()).toBe(4);
      expect(await paragraphs.nth(3).locator("ins").textContent()).toBe("Refunds to gift cards are instant.");
      // Formatting only: the old word struck and the bold one inserted, each saying what changed.
      const madeBold = paragraphs.nth(0).locator("strong ins.diff-format");
      expect(await madeBold.textContent()).toBe("warehouse");
      expect(await madeBold.getAttribute("title")).toBe("Formatting changed: now bold");
      expect(await paragraphs.nth(0).locator("del.diff-format").textContent()).toBe("warehouse");
      // Not by colour alone: insertions underlined, deletions struck through.
      expect(await madeBold.evaluate((el) => getComputedStyle(el).textDecorationLine)).toBe("underline");
      expect(await paragraphs.nth(0).locator("del").evaluate((el) => getComputedStyle(el).textDecorationLine)).toBe("line-through");
      // Unchanged parts say so.
      await against.getByRole("heading", { name: "Question (unchanged)" }).waitFor();
      if (javaScriptEnabled) {
        await kim.screenshot({ path: artifactPath("e2e", "review-rendered-diff-1366.png"), fullPage: true });
        for (const width of [390, NARROWEST]) {
          await kim.setViewportSize({ width, height: 844 });
          expect(await kim.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
        }
        await kim.setViewportSize({ width: 390, height: 844 });
        await kim.screenshot({ path: artifactPath("e2e", "review-rendered-diff-390.png"), fullPage: true });
      }
      await kim.context().close();
    });
  }
});
