import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { notifications } from "../../db/schema";
import { createDraft, sendEvent } from "../../workflows/approval.service";
import { actor, draftInput, workflowCast } from "../support/answers";
import { TestClient } from "../support/app";
import { useFreshDatabase } from "../support/db";
import { TEST_PASSWORD } from "../support/factories";

const database = useFreshDatabase();
const db = () => database.current.db;
const text = (html: string) => html.replaceAll("<!-- -->", "").replaceAll("&#x27;", "'");

// Issue 11, defect 9: the inbox turned into noise.
describe("the inbox keeps only what still asks for something", () => {
  let cast: Awaited<ReturnType<typeof workflowCast>>;
  let answerId: string;
  beforeAll(async () => {
    cast = await workflowCast(db(), { requiredApprovals: 1, experts: 2 });
    const draft = await createDraft(db(), { actor: actor(cast.author), draft: draftInput({ topicIds: [cast.topic.id] }) });
    answerId = draft.answerId;
    await sendEvent(db(), { actor: actor(cast.author), versionId: draft.versionId, revision: 1, event: { type: "SUBMIT" } });
    await sendEvent(db(), { actor: actor(cast.expert), versionId: draft.versionId, revision: 1, event: { type: "REQUEST_CHANGES", comment: "Say which card." } });
    await sendEvent(db(), { actor: actor(cast.author), versionId: draft.versionId, revision: 1, event: { type: "RESUBMIT" } });
    await sendEvent(db(), { actor: actor(cast.expert), versionId: draft.versionId, revision: 1, event: { type: "APPROVE" } });
  });

  const itemsOf = (userId: string, kind: string) =>
    db().select().from(notifications).where(and(eq(notifications.userId, userId), eq(notifications.kind, kind)));

  it("resolves 'review requested' for everyone once the review is decided", async () => {
    const others = await itemsOf(cast.experts[1]!.id, "review_requested");
    expect(others.length).toBeGreaterThan(0);
    for (const n of others) {
      expect(n.readAt).not.toBeNull();
      expect(n.data.resolved).toBe("The review was decided.");
    }
  });

  it("marks an item read when it is opened, and goes where it points", async () => {
    const [item] = await itemsOf(cast.km.id, "certification_requested");
    expect(item?.readAt).toBeNull();
    const km = new TestClient();
    await km.signIn(cast.km.email, TEST_PASSWORD);
    const res = await km.request(`/inbox/${item!.id}`);
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe(`/answers/${answerId}`);
    const [after] = await db().select().from(notifications).where(eq(notifications.id, item!.id));
    expect(after?.readAt).not.toBeNull();
    // Someone else's item is not theirs to open.
    const [authorItem] = await itemsOf(cast.author.id, "changes_requested");
    expect((await km.request(`/inbox/${authorItem!.id}`)).status).toBe(404);
  });

  it("groups one answer's updates and filters unread", async () => {
    const expert2 = new TestClient();
    await expert2.signIn(cast.experts[1]!.email, TEST_PASSWORD);
    const all = text((await expert2.page("/inbox")).html);
    // Two review requests (submit, resubmit) for one answer: one entry with an earlier update.
    expect(all).toContain("1 earlier update");
    expect(all).toContain("done: The review was decided.");
    const unread = text((await expert2.page("/inbox?show=unread")).html);
    expect(unread).toContain("Nothing unread: you are up to date.");
    expect(unread).not.toContain("Review requested:");
  });
});
