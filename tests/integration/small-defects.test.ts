import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { answerVersions } from "../../db/schema";
import { createDraft, sendEvent } from "../../workflows/approval.service";
import { actor, draftInput, workflowCast } from "../support/answers";
import { TestClient } from "../support/app";
import { useFreshDatabase } from "../support/db";
import { createUser, TEST_PASSWORD } from "../support/factories";

const database = useFreshDatabase();
const db = () => database.current.db;

// Issue 11, the smaller defects that the server renders.
describe("smaller defects", () => {
  let cast: Awaited<ReturnType<typeof workflowCast>>;
  beforeAll(async () => {
    cast = await workflowCast(db());
  });

  it("ticks no role by default when an admin creates a user (an agent got Employee)", async () => {
    const admin = await createUser(db(), { roles: ["admin"] });
    const client = new TestClient();
    await client.signIn(admin.email, TEST_PASSWORD);
    const { html } = await client.page("/admin/users");
    const boxes = html.match(/<input type="checkbox" name="roles"[^>]*>/g) ?? [];
    expect(boxes.length).toBe(5);
    for (const box of boxes) expect(box).not.toContain("checked");
  });

  it("keeps a withdrawn draft in My drafts", async () => {
    const { versionId } = await createDraft(db(), { actor: actor(cast.author), draft: draftInput({ question: "Withdrawn but findable?", topicIds: [cast.topic.id] }) });
    await sendEvent(db(), { actor: actor(cast.author), versionId, revision: 1, event: { type: "SUBMIT" } });
    const [submitted] = await db().select().from(answerVersions).where(eq(answerVersions.id, versionId));
    await sendEvent(db(), { actor: actor(cast.author), versionId, revision: submitted!.revision, event: { type: "WITHDRAW" } });
    const client = new TestClient();
    await client.signIn(cast.author.email, TEST_PASSWORD);
    const { html } = await client.page("/write");
    const drafts = html.slice(html.indexOf('id="drafts-heading"'));
    expect(drafts).toContain("Withdrawn but findable?");
  });
});
