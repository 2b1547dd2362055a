import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { answerVersions } from "../../db/schema";
import { createDraft, saveDraft, sendEvent } from "../../workflows/approval.service";
import { actor, doc, draftInput, workflowCast } from "../support/answers";
import { TestClient } from "../support/app";
import { useFreshDatabase } from "../support/db";
import { TEST_PASSWORD } from "../support/factories";

const database = useFreshDatabase();
const db = () => database.current.db;
const text = (html: string) => html.replaceAll("<!-- -->", "").replaceAll("&#x27;", "'");

// Issue 11, defect 6: reviewers decided blind.
describe("the review page shows what a reviewer needs to decide", () => {
  let cast: Awaited<ReturnType<typeof workflowCast>>;
  let answerId: string;
  const second = new TestClient();
  const first = new TestClient();
  beforeAll(async () => {
    cast = await workflowCast(db(), { requiredApprovals: 2, experts: 2 });
    const draft = await createDraft(db(), {
      actor: actor(cast.author),
      draft: draftInput({ topicIds: [cast.topic.id], audience: "public", tags: ["gift-cards"], shortAnswer: "Gift cards are sold in shops." }),
    });
    answerId = draft.answerId;
    await sendEvent(db(), { actor: actor(cast.author), versionId: draft.versionId, revision: 1, event: { type: "SUBMIT" } });
    await sendEvent(db(), { actor: actor(cast.expert), versionId: draft.versionId, revision: 1, event: { type: "APPROVE", comment: "Checked with the shop team." } });
    await sendEvent(db(), { actor: actor(cast.experts[1]!), versionId: draft.versionId, revision: 1, event: { type: "REQUEST_CHANGES", comment: "Mention online gift cards." } });
    const [current] = await db().select().from(answerVersions).where(eq(answerVersions.id, draft.versionId));
    const saved = await saveDraft(db(), {
      actor: actor(cast.author),
      versionId: draft.versionId,
      lockVersion: current!.lockVersion,
      draft: draftInput({ topicIds: [cast.topic.id], audience: "public", tags: ["gift-cards"], shortAnswer: "Gift cards are sold in shops and online.", body: doc("Buy them in shops or online.") }),
    });
    await sendEvent(db(), { actor: actor(cast.author), versionId: draft.versionId, revision: saved.revision, event: { type: "RESUBMIT" } });
    await first.signIn(cast.expert.email, TEST_PASSWORD);
    await second.signIn(cast.experts[1]!.email, TEST_PASSWORD);
  });

  it("shows audience, topics, tags and the decisions so far with their comments", async () => {
    const html = text((await second.page(`/answers/${answerId}/review`)).html);
    expect(html).toContain("once certified it is published on the public FAQ website");
    expect(html).toContain(cast.topic.name);
    expect(html).toContain("gift-cards");
    expect(html).toContain("Checked with the shop team.");
    expect(html).toContain("Mention online gift cards.");
    expect(html).toContain('id="comments-heading"');
  });

  it("offers the changes since this reviewer's last decision", async () => {
    const html = text((await second.page(`/answers/${answerId}/review`)).html);
    expect(html).toContain("Changes since your last review");
    expect(html).toMatch(/<ins>[^<]*online[^<]*<\/ins>/);
  });
});
