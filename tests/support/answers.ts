import type { JSONContent } from "@tiptap/core";
import type { Role } from "../../app/auth/policy";
import type { Db } from "../../db/client.server";
import type { Topic, User } from "../../db/schema";
import { createDraft, sendEvent, type Actor } from "../../workflows/approval.service";
import { createExpert, createTopic, createUser } from "./factories";

export function doc(...paragraphs: string[]): JSONContent {
  return { type: "doc", content: paragraphs.map((text) => ({ type: "paragraph", content: [{ type: "text", text }] })) };
}

export function draftInput(overrides: Record<string, unknown> = {}) {
  return {
    question: "How do I get a refund?",
    alternatives: ["refund please", "money back"],
    shortAnswer: "Refunds go back to your card within 5 working days of the return reaching us.",
    body: doc("Refunds go back to the card you paid with.", "They take up to 5 working days after the return arrives."),
    topicIds: [],
    tags: ["refunds"],
    audience: "public",
    ...overrides,
  };
}

export const actor = (u: User): Actor => ({ id: u.id, roles: u.roles as Role[] });

/** A topic with its people: an author, experts, a knowledge manager and an agent. */
export async function workflowCast(db: Db, options: { requiredApprovals?: number; experts?: number } = {}) {
  const topic: Topic = await createTopic(db, { requiredApprovals: options.requiredApprovals ?? 1, reverifyIntervalDays: 30 });
  const author = await createUser(db, { roles: ["employee"] });
  const experts = await Promise.all(Array.from({ length: options.experts ?? 2 }, () => createExpert(db, [topic])));
  const km = await createUser(db, { roles: ["knowledge_manager"] });
  const agent = await createUser(db, { roles: ["agent"] });
  return { topic, author, experts, expert: experts[0]!, km, agent };
}

/** Drives a new answer to certified and returns its ids. */
export async function certifiedAnswer(db: Db, cast: Awaited<ReturnType<typeof workflowCast>>, overrides: Record<string, unknown> = {}, now = new Date()) {
  const { answerId, versionId } = await createDraft(db, { actor: actor(cast.author), draft: draftInput({ topicIds: [cast.topic.id], ...overrides }), now });
  await sendEvent(db, { actor: actor(cast.author), versionId, revision: 1, event: { type: "SUBMIT" }, now });
  for (let i = 0; i < cast.topic.requiredApprovals; i++) {
    await sendEvent(db, { actor: actor(cast.experts[i]!), versionId, revision: 1, event: { type: "APPROVE" }, now });
  }
  await sendEvent(db, { actor: actor(cast.km), versionId, revision: 1, event: { type: "CERTIFY", ownerId: cast.author.id, reverifyIntervalDays: 30 }, now });
  return { answerId, versionId };
}
