import { count, eq, like } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { answerEvents, answers, answerVersions } from "../../db/schema";
import { drainAll } from "../../search/outbox";
import { createPostgresIndex } from "../../search/postgres";
import { importAnswers, ImportError } from "../../workflows/import";
import { useFreshDatabase } from "../support/db";
import { createUser } from "../support/factories";

const database = useFreshDatabase();
const db = () => database.current.db;
const line = (o: Record<string, unknown>) => JSON.stringify(o);

describe("importing an existing FAQ", () => {
  it("imports nothing when one line is bad, and says which", async () => {
    const km = await createUser(db(), { roles: ["knowledge_manager"] });
    const [before] = await db().select({ n: count() }).from(answers);
    const lines = [line({ id: "1", question: "Fine question?", answer: "Fine." }), line({ id: "2", answer: "no question" }), "{oops"];
    const error = await importAnswers(db(), lines, { as: "certified", skipInvalid: false, userEmail: km.email }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImportError);
    expect((error as ImportError).problems).toEqual([
      { line: 2, message: "question is required" },
      { line: 3, message: "not valid JSON" },
    ]);
    const [after] = await db().select({ n: count() }).from(answers);
    expect(after?.n).toBe(before?.n);
    const skipped = await importAnswers(db(), lines, { as: "drafts", skipInvalid: true, userEmail: km.email });
    expect(skipped).toMatchObject({ created: 1, skipped: [{ line: 2 }, { line: 3 }] });
  });

  it("certifies imports with their origin, converts Markdown and HTML safely, and makes them searchable", async () => {
    const km = await createUser(db(), { roles: ["knowledge_manager"] });
    const report = await importAnswers(
      db(),
      [
        line({ id: "md-1", question: "Do you ship to Iceland?", answer: "Yes, in **5 days**.\n\n- tracked\n- insured", short_answer: "Yes, in 5 days.", topic: "Shipping abroad", audience: "public", tags: ["Delivery"] }),
        line({ id: "html-1", question: "Can I pay in instalments?", answer: '<p>Yes <a href="javascript:alert(1)">here</a><script>x()</script> with <b>Klarna</b>.</p>' }),
      ],
      { as: "certified", skipInvalid: false, userEmail: km.email },
    );
    expect(report).toMatchObject({ created: 2, topicsCreated: ["Shipping abroad"] });
    const [md] = await db().select().from(answers).where(eq(answers.externalId, "import:md-1"));
    expect(md?.origin).toMatchObject({ type: "import", id: "md-1", importedBy: km.id });
    const [v] = await db().select().from(answerVersions).where(eq(answerVersions.id, md!.liveVersionId!));
    expect(v).toMatchObject({ state: "certified", certifiedBy: km.id, tags: ["delivery"], audience: "public" });
    expect(v?.bodyHtml).toContain("<strong>5 days</strong>");
    expect(v?.bodyHtml).toContain("<li>");
    const [html] = await db().select().from(answerVersions).where(like(answerVersions.question, "Can I pay in instalments%"));
    expect(html?.bodyHtml).not.toMatch(/script|javascript/);
    const [event] = await db().select().from(answerEvents).where(eq(answerEvents.answerId, md!.id));
    expect(event).toMatchObject({ event: "IMPORT", actorId: km.id, toState: "certified" });
    const index = createPostgresIndex(() => db());
    await drainAll(db(), index);
    expect((await index.search({ q: "ship to iceland" })).hits[0]?.document.id).toBe(md!.id);
  });

  it("updates instead of duplicating when the same ids come again", async () => {
    const km = await createUser(db(), { roles: ["knowledge_manager"] });
    const first = [line({ id: "re-1", question: "What is the warranty?", answer: "Two years." })];
    await importAnswers(db(), first, { as: "certified", skipInvalid: false, userEmail: km.email });
    const again = await importAnswers(db(), first, { as: "certified", skipInvalid: false, userEmail: km.email });
    expect(again).toMatchObject({ created: 0, unchanged: 1 });
    const changed = await importAnswers(db(), [line({ id: "re-1", question: "What is the warranty?", answer: "Three years." })], { as: "certified", skipInvalid: false, userEmail: km.email });
    expect(changed).toMatchObject({ created: 0, updated: 1 });
    const rows = await db().select().from(answers).where(eq(answers.externalId, "import:re-1"));
    expect(rows).toHaveLength(1);
    const [v] = await db().select().from(answerVersions).where(eq(answerVersions.answerId, rows[0]!.id));
    expect(v?.bodyText).toBe("Three years.");
  });

  it("refuses to certify as someone who may not certify", async () => {
    const employee = await createUser(db(), { roles: ["employee"] });
    await expect(importAnswers(db(), [line({ id: "x", question: "Why?", answer: "Because." })], { as: "certified", skipInvalid: false, userEmail: employee.email })).rejects.toThrow(
      /may not certify/,
    );
  });
});
