import type { Page } from "playwright-core";

/**
 * Collects everything a page reports as broken: uncaught errors (`pageerror`), console errors
 * and React's hydration warnings. Tests call `assertClean()` at the end, naming any HTTP status
 * they provoke on purpose (Chromium logs "Failed to load resource … 400" for those).
 */
export function guardPage(page: Page) {
  const problems: string[] = [];
  page.on("pageerror", (error) => problems.push(`pageerror: ${error.message}`));
  page.on("console", (message) => {
    const text = message.text();
    if (message.type() === "error" || /hydrat|did not match|#418|#423|#425/i.test(text)) problems.push(`console.${message.type()}: ${text}`);
  });
  return {
    problems,
    assertClean(expectedStatuses: number[] = []) {
      const unexpected = problems.filter(
        (p) => !expectedStatuses.some((status) => p.includes(`the server responded with a status of ${status}`)),
      );
      if (unexpected.length > 0) throw new Error(`the page reported errors:\n${unexpected.join("\n")}`);
    },
  };
}
