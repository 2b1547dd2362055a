import type { Browser } from "playwright-core";
import { describe, expect, it } from "vitest";
import { DEMO_USERS } from "../../db/seed";
import { axeViolations } from "../support/axe";
import { signInAs } from "../support/browser";
import type { RunningApp } from "../support/server";
import { useAppAndBrowser } from "../support/app-and-browser";

/**
 * Every role's pages pass axe and fit at 200 % zoom. A file of its own beside pages.test.ts, so
 * the two longest browser walks run side by side. One user per role: the two experts see the same
 * pages, and axe on a page costs a second or two of CPU.
 */
const ONE_USER_PER_ROLE = DEMO_USERS.filter((user, i) => DEMO_USERS.findIndex((u) => u.roles.join() === user.roles.join()) === i);

describe("every role's pages are accessible", () => {
  let app: RunningApp;
  let browser: Browser;
  useAppAndBrowser((a, b) => ([app, browser] = [a, b]));

  // 200 % zoom on a 1366 px laptop is a 683 px wide viewport at twice the pixel density.
  for (const user of ONE_USER_PER_ROLE) {
    it(`${user.displayName}'s pages pass axe and fit at 200 % zoom`, async () => {
      const page = await signInAs(browser, app.url, user.email, { viewport: { width: 683, height: 450 }, deviceScaleFactor: 2 });
      const problems: string[] = [];
      const visit = async (where: string) => {
        await page.waitForLoadState("networkidle");
        const wide = await page.evaluate(() => document.documentElement.scrollWidth);
        if (wide > 683) problems.push(`${where} is ${wide} px wide at 200 % zoom`);
        for (const v of await axeViolations(page)) problems.push(`${where}: ${v}`);
        visited.push(where);
      };
      const visited: string[] = [];
      await visit("/");
      // At this width the navigation sits behind the menu button: read it from the markup.
      const hrefs = await page.locator("nav[aria-label='Main'] a").evaluateAll((links) => links.map((l) => l.getAttribute("href") ?? "/"));
      for (const href of hrefs) {
        if (href.startsWith("/faq")) continue; // the public FAQ has its own axe test (faq.test.ts)
        await page.goto(`${app.url}${href}`);
        await visit(href);
        // The first item of a list page too: answers, wiki pages, posts, threads.
        const first = page.locator(`main a[href^='${href}/']:not([href$='/new'])`).first();
        if (href !== "/" && (await first.count()) > 0) {
          const to = (await first.getAttribute("href"))!;
          await page.goto(`${app.url}${to}`);
          await visit(to);
        }
      }
      expect(problems).toEqual([]);
      expect(hrefs.length).toBeGreaterThan(2);
      expect(visited.length).toBeGreaterThan(hrefs.length);
      await page.context().close();
    });
  }
});
