import { count } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { answers, blogPosts, wikiPages } from "../../db/schema";
import { TestClient } from "../support/app";
import { useFreshDatabase } from "../support/db";
import { createUser, TEST_PASSWORD } from "../support/factories";

const database = useFreshDatabase();
const db = () => database.current.db;

const cell = { type: "tableCell", attrs: { colspan: 1000, rowspan: 1000 }, content: [{ type: "paragraph" }] };
// The attack as found: 40 × 40 cells each spanning 1,000 rows and columns (150 KB of JSON).
const spanBomb = JSON.stringify({ type: "doc", content: [{ type: "table", content: Array.from({ length: 40 }, () => ({ type: "tableRow", content: Array.from({ length: 40 }, () => cell) })) }] });

describe("a span bomb through the forms", () => {
  const client = new TestClient();
  beforeAll(async () => {
    const emma = await createUser(db());
    await client.signIn(emma.email, TEST_PASSWORD);
    await client.page("/");
  });

  it.each([
    ["/wiki/new", { title: "Bomb page" }],
    ["/blog/new", { title: "Bomb post", status: "published" }],
    ["/answers/new", { question: "Does the bomb go off?", shortAnswer: "No." }],
  ])("%s answers 400 with a message naming the limit and stores nothing", async (path, fields) => {
    const counts = () => Promise.all([wikiPages, blogPosts, answers].map((t) => db().select({ n: count() }).from(t)));
    const before = await counts();
    const started = performance.now();
    const res = await client.post(path, { ...fields, body: spanBomb });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("A table cell spans 1000 columns; the limit is 20.");
    expect(performance.now() - started).toBeLessThan(2000);
    expect(await counts()).toEqual(before);
  });
});
