import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { comments } from "../../db/schema";
import { certifiedAnswer, workflowCast } from "../support/answers";
import { TestClient } from "../support/app";
import { useFreshDatabase } from "../support/db";
import { TEST_PASSWORD } from "../support/factories";

const database = useFreshDatabase();
const db = () => database.current.db;
const text = (html: string) => html.replaceAll("<!-- -->", "").replaceAll("&#x27;", "'");

// Issue 11, defect 5: duplicate comments, and comments that could be neither edited nor deleted.
describe("comments: no duplicates, edit and delete by their author", () => {
  let cast: Awaited<ReturnType<typeof workflowCast>>;
  let path: string;
  const author = new TestClient();
  const other = new TestClient();
  beforeAll(async () => {
    cast = await workflowCast(db());
    const { answerId } = await certifiedAnswer(db(), cast);
    path = `/answers/${answerId}`;
    await author.signIn(cast.author.email, TEST_PASSWORD);
    await other.signIn(cast.expert.email, TEST_PASSWORD);
    await author.page(path);
    await other.page(path);
  });

  const commentsBy = async (body: string) => db().select().from(comments).where(eq(comments.body, body));

  it("refuses the same comment by the same user within a minute, and takes it from someone else", async () => {
    expect((await author.post(path, { intent: "comment", comment: "Is this still true in Ireland?" })).status).toBe(200);
    const again = await author.post(path, { intent: "comment", comment: "  Is this still true in Ireland?  " });
    expect(again.status).toBe(409);
    expect(text(await again.text())).toContain("You posted this comment a moment ago.");
    expect(await commentsBy("Is this still true in Ireland?")).toHaveLength(1);
    expect((await other.post(path, { intent: "comment", comment: "Is this still true in Ireland?" })).status).toBe(200);
    expect(await commentsBy("Is this still true in Ireland?")).toHaveLength(2);
  });

  it("lets the author edit their comment, shows it as edited, and refuses anyone else", async () => {
    await author.post(path, { intent: "comment", comment: "Typo in step 2" });
    const [mine] = await commentsBy("Typo in step 2");
    const refused = await other.post(path, { intent: "comment-edit", commentId: mine!.id, comment: "hijacked" });
    expect(refused.status).toBe(403);
    const saved = await author.post(path, { intent: "comment-edit", commentId: mine!.id, comment: "Typo in step 3, not 2" });
    expect(saved.status).toBe(200);
    const html = text(await saved.text());
    expect(html).toContain("Typo in step 3, not 2");
    expect(html).toMatch(/ · edited<\/span>/);
    const [row] = await db().select().from(comments).where(eq(comments.id, mine!.id));
    expect(row?.editedAt).not.toBeNull();
    // Only the author is offered the Edit and Delete controls.
    expect(text((await other.page(path)).html)).not.toContain(`name="commentId" value="${mine!.id}"`);
  });

  it("lets the author delete their comment, and nobody else", async () => {
    await author.post(path, { intent: "comment", comment: "Never mind" });
    const [mine] = await commentsBy("Never mind");
    expect((await other.post(path, { intent: "comment-delete", commentId: mine!.id })).status).toBe(403);
    expect((await author.post(path, { intent: "comment-delete", commentId: mine!.id })).status).toBe(200);
    expect(await commentsBy("Never mind")).toHaveLength(0);
  });
});
