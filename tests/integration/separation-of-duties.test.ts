import { beforeAll, describe, expect, it } from "vitest";
import { certificationQueue, getAnswerPage, reviewQueue } from "../../app/models/answer.server";
import { setUserRoles } from "../../app/models/user.server";
import type { SessionUser } from "../../app/auth/session.server";
import type { User } from "../../db/schema";
import { createDraft, sendEvent } from "../../workflows/approval.service";
import { actor, draftInput, workflowCast } from "../support/answers";
import { TestClient } from "../support/app";
import { useFreshDatabase } from "../support/db";
import { createUser, TEST_PASSWORD } from "../support/factories";

const database = useFreshDatabase();
const db = () => database.current.db;
/** Server-rendered text without React's text separators, so sentences read whole. */
const text = (html: string) => html.replaceAll("<!-- -->", "").replaceAll("&#x27;", "'");
const session = (u: User) => ({ id: u.id, email: u.email, displayName: u.displayName, roles: u.roles }) as unknown as SessionUser;

// Issue 11, defect 4 (ADR 010): the only knowledge manager's own revision, approved by an expert.
describe("a knowledge manager's own version with one knowledge manager", () => {
  let cast: Awaited<ReturnType<typeof workflowCast>>;
  let admin: User;
  let versionId: string;
  let answerId: string;
  beforeAll(async () => {
    cast = await workflowCast(db(), { requiredApprovals: 2, experts: 2 });
    admin = await createUser(db(), { roles: ["admin"], displayName: "Ada Admin" });
    ({ answerId, versionId } = await createDraft(db(), { actor: actor(cast.km), draft: draftInput({ topicIds: [cast.topic.id] }) }));
    await sendEvent(db(), { actor: actor(cast.km), versionId, revision: 1, event: { type: "SUBMIT" } });
    await sendEvent(db(), { actor: actor(cast.expert), versionId, revision: 1, event: { type: "APPROVE" } });
  });

  it("leaves a version out of the review queue of an expert who already approved it", async () => {
    expect((await reviewQueue(session(cast.expert), db())).map((i) => i.versionId)).not.toContain(versionId);
    expect((await reviewQueue(session(cast.experts[1]!), db())).map((i) => i.versionId)).toContain(versionId);
  });

  it("never lists it in its author's certification queue, and the page says why and who can decide", async () => {
    await sendEvent(db(), { actor: actor(cast.experts[1]!), versionId, revision: 1, event: { type: "APPROVE" } });
    expect((await certificationQueue(session(cast.km), db())).map((i) => i.versionId)).not.toContain(versionId);
    const page = await getAnswerPage(session(cast.km), answerId, undefined, db());
    expect(page?.shown.state).toBe("in_certification");
    expect(page?.allowed).not.toContain("CERTIFY");

    const km = new TestClient();
    await km.signIn(cast.km.email, TEST_PASSWORD);
    const html = text((await km.page(`/answers/${answerId}/review`)).html);
    expect(html).toContain("You wrote this version, so another knowledge manager must certify it");
    expect(html).toContain("Nobody else can certify it yet.");
    expect(html).toContain("An admin can make a second person a knowledge manager");
    expect(html).toContain("Ada Admin");
    expect(html).not.toContain("There is nothing for you to decide");
  });

  it("lets an admin grant a second certifier, who then sees it in their queue and certifies it", async () => {
    // Not one of the approvers: an approver may not also certify (separation of duties, issue 10).
    const second = await createUser(db(), { roles: ["employee"], displayName: "Sam Second" });
    await setUserRoles({ userId: second.id, roles: ["employee", "knowledge_manager"], actorId: admin.id }, db());
    const secondSession = { ...session(second), roles: ["employee", "knowledge_manager"] } as SessionUser;
    expect((await certificationQueue(secondSession, db())).map((i) => i.versionId)).toContain(versionId);

    const km = new TestClient();
    await km.signIn(cast.km.email, TEST_PASSWORD);
    const html = text((await km.page(`/answers/${answerId}/review`)).html);
    expect(html).toContain(`Can certify it: ${second.displayName}.`);

    await sendEvent(db(), {
      actor: { id: second.id, roles: ["employee", "knowledge_manager"] },
      versionId,
      revision: 1,
      event: { type: "CERTIFY", ownerId: cast.km.id, reverifyIntervalDays: 30 },
    });
    expect((await getAnswerPage(session(cast.km), answerId, undefined, db()))?.shown.state).toBe("certified");
  });
});
