import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { Role } from "../../app/auth/policy";
import type { SessionUser } from "../../app/auth/session.server";
import { createBlogPost, updateBlogPost } from "../../app/models/blog.server";
import { createThread, editThread } from "../../app/models/forum.server";
import { DomainError } from "../../app/utils/errors";
import { blogPosts, forumCategories, forumThreads, type User } from "../../db/schema";
import { doc } from "../support/answers";
import { TestClient } from "../support/app";
import { useFreshDatabase } from "../support/db";
import { createUser, TEST_PASSWORD } from "../support/factories";

const database = useFreshDatabase();
const db = () => database.current.db;
const su = (u: User): SessionUser => ({ id: u.id, email: u.email, displayName: u.displayName, roles: u.roles as Role[] });

async function conflictOf(p: Promise<unknown>): Promise<DomainError> {
  const e = await p.then(() => null, (x: unknown) => x);
  expect(e).toBeInstanceOf(DomainError);
  expect((e as DomainError).code).toBe("conflict");
  return e as DomainError;
}

let emma: User;
let categoryId: string;
beforeAll(async () => {
  emma = await createUser(db());
  const [c] = await db().insert(forumCategories).values({ slug: `conflicts-${Date.now()}`, name: "Conflicts" }).returning();
  categoryId = c!.id;
});

describe("blog posts: an edit based on an old version is a conflict, never an overwrite", () => {
  const post = (title: string, text: string, baseVersion: number) => ({ title, body: doc(text), topicIds: [], tags: [], status: "published" as const, baseVersion });

  it("refuses the second of two edits from the same version, keeping the first and telling the second what is there now", async () => {
    const { id } = await createBlogPost(su(emma), { title: "Holidays", body: doc("Original."), topicIds: [], tags: [], status: "published" });
    expect(await updateBlogPost(su(emma), id, post("Holidays", "Tab A's change.", 1))).toEqual({ version: 2 });
    const e = await conflictOf(updateBlogPost(su(emma), id, post("Holidays", "Tab B's change.", 1)));
    expect(e.message).toMatch(/saved again \(version 2\) after you started editing version 1\. Your changes were not saved/);
    expect(e.details.conflict).toMatchObject({ version: 2, bodyText: "Tab A's change." });
    const [row] = await db().select().from(blogPosts).where(eq(blogPosts.id, id));
    expect([row!.bodyText, row!.version]).toEqual(["Tab A's change.", 2]);
    // Saving again on top of the current version is deliberate, and allowed.
    expect(await updateBlogPost(su(emma), id, post("Holidays", "Tab B's change.", 2))).toEqual({ version: 3 });
  });

  it("lets exactly one of two simultaneous saves through", async () => {
    const { id } = await createBlogPost(su(emma), { title: "Race", body: doc("Original."), topicIds: [], tags: [], status: "published" });
    const results = await Promise.allSettled([updateBlogPost(su(emma), id, post("Race", "A", 1)), updateBlogPost(su(emma), id, post("Race", "B", 1))]);
    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    const [row] = await db().select().from(blogPosts).where(eq(blogPosts.id, id));
    expect(row!.version).toBe(2);
  });
});

describe("forum questions: the same", () => {
  it("refuses the second of two edits from the same version", async () => {
    const { id } = await createThread(su(emma), { categoryId, title: "How do refunds work?", body: doc("Original.") });
    await editThread(su(emma), id, { title: "How do refunds work?", body: doc("Tab A's details."), baseVersion: 1 });
    const e = await conflictOf(editThread(su(emma), id, { title: "How do refunds work?", body: doc("Tab B's details."), baseVersion: 1 }));
    expect(e.details.conflict).toMatchObject({ version: 2, bodyText: "Tab A's details." });
    const [row] = await db().select().from(forumThreads).where(eq(forumThreads.id, id));
    expect([row!.bodyText, row!.version]).toEqual(["Tab A's details.", 2]);
  });

  it("lets exactly one of two simultaneous saves through", async () => {
    const { id } = await createThread(su(emma), { categoryId, title: "Race question", body: doc("Original.") });
    const results = await Promise.allSettled([
      editThread(su(emma), id, { title: "Race question", body: doc("A"), baseVersion: 1 }),
      editThread(su(emma), id, { title: "Race question", body: doc("B"), baseVersion: 1 }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
  });
});

describe("through the edit forms (two tabs of one author)", () => {
  const client = new TestClient();
  beforeAll(async () => {
    await client.signIn(emma.email, TEST_PASSWORD);
    await client.page("/");
  });

  it.each(["blog", "forum"] as const)("%s: the later save answers 409 with the message, and the form still holds the loser's text", async (kind) => {
    const id =
      kind === "blog"
        ? (await createBlogPost(su(emma), { title: "Form post", body: doc("Original."), topicIds: [], tags: [], status: "published" })).id
        : (await createThread(su(emma), { categoryId, title: "Form question", body: doc("Original.") })).id;
    const title = kind === "blog" ? "Form post" : "Form question";
    const edit = await client.page(`/${kind}/${id}/edit`);
    expect(edit.html).toContain('name="baseVersion" value="1"');
    const extra: Record<string, string> = kind === "blog" ? { status: "published" } : {};
    const first = await client.post(`/${kind}/${id}/edit`, { title, body: JSON.stringify(doc("First tab wins.")), baseVersion: "1", ...extra });
    expect(first.status).toBe(302);
    const second = await client.post(`/${kind}/${id}/edit`, { title, body: JSON.stringify(doc("Second tab's careful work.")), baseVersion: "1", ...extra });
    expect(second.status).toBe(409);
    const html = await second.text();
    expect(html).toContain("was saved again (version 2) after you started editing version 1");
    expect(html).toContain("Second tab&#x27;s careful work."); // in the editor, ready to save again
    expect(html).toContain('name="baseVersion" value="2"');
    const table = kind === "blog" ? blogPosts : forumThreads;
    const [row] = await db().select({ bodyText: table.bodyText }).from(table).where(eq(table.id, id));
    expect(row!.bodyText).toBe("First tab wins.");
  });
});
