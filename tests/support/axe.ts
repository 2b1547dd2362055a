import { readFileSync } from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";

const AXE = readFileSync(path.join(process.cwd(), "node_modules/axe-core/axe.min.js"), "utf8");

interface AxeResult {
  violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[];
}

/**
 * axe-core run in the page: every WCAG 2.1 A/AA rule and the best practices. Injected through
 * the DevTools protocol (evaluate), so the app's Content-Security-Policy does not block it.
 */
export async function axeViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE);
  const result = (await page.evaluate(`axe.run(document, { resultTypes: ["violations"] })`)) as AxeResult;
  return result.violations.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}
