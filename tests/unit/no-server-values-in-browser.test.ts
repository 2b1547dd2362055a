import { RuleTester } from "eslint";
import tseslint from "typescript-eslint";
import { describe, it } from "vitest";
import rule from "../../eslint-rules/no-server-values-in-browser.js";

RuleTester.describe = describe;
RuleTester.it = it;

const tester = new RuleTester({ languageOptions: { parser: tseslint.parser, ecmaVersion: 2022, sourceType: "module" } });

// The two shapes behind issue 11's defects 2 and 7, and the uses that stay on the server.
tester.run("no-server-values-in-browser", rule, {
  valid: [
    `import { listPages, PAGE_SIZE } from "../models/wiki.server";
     export async function loader() { return { rows: await listPages(), pageSize: PAGE_SIZE }; }
     export default function Page() { return null; }`,
    `import { createToken } from "../models/agent.server";
     async function create(name) { return createToken(name); }
     export async function action() { return create("x"); }`,
    `import type { DiffSide } from "../models/diff.server";
     export function View(props: { side: DiffSide }) { return props.side; }`,
    `import { type Row, listRows } from "../models/rows.server";
     export const loader = async () => listRows();
     export default function Page(props: { rows: Row[] }) { return props.rows.length; }`,
  ],
  invalid: [
    {
      // Defect 7: the page size is undefined in the browser, so "Page 1 of NaN".
      code: `import { listPages, PAGE_SIZE } from "../models/wiki.server";
             export async function loader() { return { rows: await listPages() }; }
             export default function Page() { return Math.ceil(10 / PAGE_SIZE); }`,
      errors: [{ messageId: "browser" }],
    },
    {
      // Defect 2: a module-level schema runs in the browser even if only the action uses it.
      code: `import { z } from "zod";
             import { TOKEN_SCOPES } from "../models/agent.server";
             const Schema = z.enum(TOKEN_SCOPES);
             export async function action() { return Schema.parse("x"); }`,
      errors: [{ messageId: "browser" }],
    },
    {
      // An exported helper may be imported by browser code elsewhere.
      code: `import { secret } from "../auth/session.server";
             export function helper() { return secret; }
             export async function loader() { return helper(); }`,
      errors: [{ messageId: "browser" }],
    },
  ],
});
