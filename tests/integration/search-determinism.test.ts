import { inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { Db } from "../../db/client.server";
import { answers } from "../../db/schema";
import { drainAll, embedAll } from "../../search/outbox";
import { createPostgresIndex } from "../../search/postgres";
import { importAnswers } from "../../workflows/import";
import { freshDatabase } from "../support/db";
import { createUser } from "../support/factories";

/**
 * One corpus, imported twice into two fresh databases (the second time in the opposite order),
 * must rank the same. The corpus is built to tie: forty answers that differ only in a model number
 * score exactly alike for "reset password", and more of them match than a page holds.
 */
const CORPUS = [
  ...Array.from({ length: 40 }, (_, i) => ({ id: `tie-${String(i).padStart(2, "0")}`, question: `How do I reset the password on model ${100 + i}?`, answer: `Open Settings and choose Reset password on the model ${100 + i}.` })),
  ...Array.from({ length: 20 }, (_, i) => ({ id: `other-${i}`, question: `Can I return item ${i} after thirty days?`, answer: `Returns of item ${i} are accepted within thirty days.` })),
];
const QUERIES = ["reset password", "password", "return item thirty days", "model reset"];

async function rankings(lines: string[], meaning = false): Promise<string[][]> {
  const database = await freshDatabase();
  const db = database.db as Db;
  try {
    const km = await createUser(db, { roles: ["knowledge_manager"] });
    await importAnswers(db, lines, { as: "certified", skipInvalid: false, userEmail: km.email });
    const index = createPostgresIndex(() => db);
    await drainAll(db, index);
    if (meaning) expect(await embedAll(index)).toBe(lines.length);
    const out: string[][] = [];
    for (const q of QUERIES) {
      const { hits } = await index.search({ q, limit: 25 });
      const ids = hits.map((h) => h.document.id);
      const external = new Map((await db.select({ id: answers.id, ext: answers.externalId }).from(answers).where(inArray(answers.id, ids))).map((r) => [r.id, r.ext]));
      out.push(ids.map((id) => external.get(id) ?? "?"));
    }
    return out;
  } finally {
    await database.close();
  }
}

describe("deterministic ranking", () => {
  it("ranks one corpus the same however it was imported, ties in import-id order", async () => {
    const lines = CORPUS.map((o) => JSON.stringify(o));
    const first = await rankings(lines);
    const second = await rankings([...lines].reverse());
    expect(second).toEqual(first);
    // The tied answers come in their import ids' order.
    const tied = first[0]!.filter((id) => id.startsWith("import:tie-"));
    expect(tied.length).toBeGreaterThanOrEqual(10);
    expect(tied).toEqual([...tied].sort());
  }, 120_000);

  it("ranks it the same with meaning vectors blended in", async () => {
    const lines = CORPUS.map((o) => JSON.stringify(o));
    const first = await rankings(lines, true);
    expect(await rankings([...lines].reverse(), true)).toEqual(first);
    expect(first[0]!.length).toBeGreaterThanOrEqual(10);
  }, 120_000);
});
