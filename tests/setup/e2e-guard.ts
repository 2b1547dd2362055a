import { afterAll, afterEach } from "vitest";
import { browserProblems } from "../support/browser";

/**
 * The console guard: a browser test fails on any page error, console error (other than an HTTP
 * status the test named with expectStatus) or hydration warning seen while it ran.
 */
function failOnProblems() {
  if (browserProblems.length === 0) return;
  const problems = browserProblems.splice(0);
  throw new Error(`the browser reported ${problems.length} problem(s):\n${problems.join("\n")}`);
}

afterEach(failOnProblems);
// Runs after the file's own afterAll (hooks run in stack order), which closes the browser and so
// visits every page again for the screenshots.
afterAll(failOnProblems);
