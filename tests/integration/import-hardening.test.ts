import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createDb } from "../../db/client.server";
import { migrateDatabase } from "../../db/migrate";
import { answers, answerVersions } from "../../db/schema";
import { root } from "../../server/build-if-stale.mjs";
import { importAnswers, ImportError } from "../../workflows/import";
import { TestClient } from "../support/app";
import { testDriver, useFreshDatabase } from "../support/db";
import { createUser } from "../support/factories";

const database = useFreshDatabase();
const db = () => database.current.db;
const line = (o: Record<string, unknown>) => JSON.stringify(o);

async function problemsOf(p: Promise<unknown>) {
  const error = await p.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(ImportError);
  return (error as ImportError).problems;
}

describe("import: what real files contain", () => {
  it("ignores a UTF-8 byte-order mark at the start of the file", async () => {
    const km = await createUser(db(), { roles: ["knowledge_manager"] });
    const report = await importAnswers(db(), [`\uFEFF${line({ id: "bom-1", question: "Is the BOM ignored?", answer: "Yes." })}`, line({ id: "bom-2", question: "And line two?", answer: "Too." })], {
      as: "drafts",
      skipInvalid: false,
      userEmail: km.email,
    });
    expect(report).toMatchObject({ created: 2, skipped: [] });
  });

  it("reports lines with NUL or broken surrogates by number, skips them with --skip-invalid, and never reaches the database with them", async () => {
    const km = await createUser(db(), { roles: ["knowledge_manager"] });
    const lines = [
      line({ id: "nul-ok", question: "A fine question?", answer: "Fine." }),
      line({ id: "nul-1", question: "Escaped NUL?", answer: "before\u0000after" }), // JSON.stringify writes \u0000
      `{"id":"nul-2","question":"Raw NUL?","answer":"a\u0000b"}`, // a raw NUL byte in the line
      line({ id: "nul-3", question: "Tag with NUL?", answer: "x", tags: ["ok", "b\u0000d"] }),
      line({ id: "sur-1", question: "Half an emoji?", answer: "smile \ud83d please" }),
    ];
    const problems = await problemsOf(importAnswers(db(), lines, { as: "certified", skipInvalid: false, userEmail: km.email }));
    expect(problems).toEqual([
      { line: 2, message: "answer contains a NUL character (\\u0000), which cannot be stored; remove it" },
      { line: 3, message: "contains a NUL byte, which cannot be stored; remove it" },
      { line: 4, message: "tags contains a NUL character (\\u0000), which cannot be stored; remove it" },
      { line: 5, message: "answer contains an unpaired surrogate (half an emoji?), which is not valid text" },
    ]);
    const report = await importAnswers(db(), lines, { as: "certified", skipInvalid: true, userEmail: km.email });
    expect(report.created).toBe(1);
    expect(report.skipped.map((s) => s.line)).toEqual([2, 3, 4, 5]);
  });

  it("keeps the structure of Markdown with inline HTML, and drops what the editor does not allow", async () => {
    const km = await createUser(db(), { roles: ["knowledge_manager"] });
    const answer = [
      "## Changing your password",
      "",
      "1. Open <b>Settings</b>",
      "2. Choose <i>Security</i><br>then <code>Password</code>",
      "",
      'See <a href="https://help.example.com/pw" onclick="steal()">the guide</a>.<script>alert(1)</script>',
    ].join("\n");
    await importAnswers(db(), [line({ id: "mdhtml-1", question: "How do I change my password?", answer })], { as: "drafts", skipInvalid: false, userEmail: km.email });
    const [a] = await db().select().from(answers).where(eq(answers.externalId, "import:mdhtml-1"));
    const [v] = await db().select().from(answerVersions).where(eq(answerVersions.id, a!.openVersionId!));
    const html = v!.bodyHtml;
    expect(html).toContain("<h2>Changing your password</h2>");
    expect(html).toMatch(/<ol><li><p>Open <strong>Settings<\/strong><\/p><\/li><li><p>Choose <em>Security<\/em><br>then <code>Password<\/code><\/p><\/li><\/ol>/);
    expect(html).toContain('href="https://help.example.com/pw">the guide</a>');
    expect(html).not.toMatch(/script|onclick|alert/);
  });
});

describe("import: public answers on the live FAQ at once", () => {
  it("a certified public import is on its FAQ page and topic page without a restart", async () => {
    const km = await createUser(db(), { roles: ["knowledge_manager"] });
    const reader = new TestClient();
    expect((await reader.page("/faq")).response.status).toBe(200); // the FAQ cache is warm
    await importAnswers(db(), [line({ id: "live-1", question: "Can I return a gift card?", answer: "No, gift cards are final.", short_answer: "No.", topic: "Gift cards", audience: "public" })], {
      as: "certified",
      skipInvalid: false,
      userEmail: km.email,
    });
    const page = await reader.page("/faq/gift-cards/can-i-return-a-gift-card");
    expect(page.response.status).toBe(200);
    expect(page.html).toContain("No, gift cards are final.");
    expect((await reader.page("/faq/gift-cards")).html).toContain("Can I return a gift card?");
    // A changed question moves the address, the old one redirecting.
    await importAnswers(db(), [line({ id: "live-1", question: "Can I return a gift voucher?", answer: "No, gift cards are final.", short_answer: "No.", topic: "Gift cards", audience: "public" })], {
      as: "certified",
      skipInvalid: false,
      userEmail: km.email,
    });
    expect((await reader.page("/faq/gift-cards/can-i-return-a-gift-voucher")).response.status).toBe(200);
    expect((await reader.request("/faq/gift-cards/can-i-return-a-gift-card")).status).toBe(301);
  });
});

describe("npm run import (the CLI) on a file with a NUL line", () => {
  it("names the line, prints no SQL, and with --skip-invalid imports the rest", async () => {
    const email = `cli-km-${Date.now()}@example.test`;
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith("VITEST") && k !== "TEST_DB" && k !== "DATABASE_URL") env[k] = v;
    if (testDriver === "postgres") {
      env.DATABASE_URL = database.current.url!;
      await createUser(db(), { roles: ["knowledge_manager"], email });
    } else {
      // The CLI opens its own embedded database (one process per data folder): prepare one.
      const dataDir = mkdtempSync(path.join(tmpdir(), "vetted-import-cli-"));
      const own = await createDb({ dataDir: path.join(dataDir, "pglite") });
      await migrateDatabase(own);
      await createUser(own.db, { roles: ["knowledge_manager"], email });
      await own.close();
      env.DATA_DIR = dataDir;
    }
    const file = path.join(mkdtempSync(path.join(tmpdir(), "vetted-import-file-")), "faq.jsonl");
    writeFileSync(file, `\uFEFF${line({ id: "c1", question: "First question?", answer: "One." })}\n${line({ id: "c2", question: "Second?", answer: "x\u0000y" })}\n${line({ id: "c3", question: "Third question?", answer: "Three." })}\n`);
    const run = (...args: string[]) =>
      new Promise<{ code: number | null; out: string }>((resolve) => {
        const proc = spawn(process.execPath, ["--import", "tsx", "workflows/import-cli.ts", file, "--as-user", email, ...args], { cwd: root, env: env as NodeJS.ProcessEnv, stdio: ["ignore", "pipe", "pipe"] });
        let out = "";
        proc.stdout.on("data", (d) => (out += String(d)));
        proc.stderr.on("data", (d) => (out += String(d)));
        proc.on("exit", (code) => resolve({ code, out }));
      });
    const strict = await run();
    expect(strict.code).not.toBe(0);
    expect(strict.out).toContain("line 2: answer contains a NUL character");
    expect(strict.out).not.toMatch(/insert into|select |Failed query|at .*\.ts:\d+/i);
    const lenient = await run("--skip-invalid");
    expect(lenient.code, lenient.out).toBe(0);
    expect(lenient.out).toContain("Imported 2 new");
    expect(lenient.out).toContain("line 2: answer contains a NUL character");
  }, 120_000);
});
