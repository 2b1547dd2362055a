import { and, eq, inArray, isNotNull } from "drizzle-orm";
import type { Tx } from "../../db/client.server";
import { answerFlags, type AnswerVersion } from "../../db/schema";
import { notify } from "../notifications/notify.server";
import { award } from "./expertise.server";

/**
 * The approval workflow's half of the feedback loop, called inside its transaction: a certified
 * revision closes the flags it was started for and tells each flagger what changed; a revision
 * given up (withdrawn, rejected) hands its flags back to the queue, still unanswered.
 */
export async function closeFlagsFixedBy(tx: Tx, v: AnswerVersion, certifierId: string, now: Date): Promise<void> {
  const closed = await tx
    .update(answerFlags)
    .set({ status: "resolved", closedBy: certifierId, closedAt: now })
    .where(and(eq(answerFlags.revisionVersionId, v.id), eq(answerFlags.status, "in_revision")))
    .returning({ id: answerFlags.id, flaggedBy: answerFlags.flaggedBy });
  for (const flag of closed) {
    if (!flag.flaggedBy) continue; // an anonymous FAQ reader: nobody to tell
    await award(tx, { userId: flag.flaggedBy, kind: "flag_fixed", subject: `flag:${flag.id}`, topicId: v.topicIds[0] ?? null, actorId: v.authorId, now });
    await notify(tx, [flag.flaggedBy], {
      kind: "flag_resolved",
      title: `Because of what you told us, we changed “${v.question}” (version ${v.number})`,
      link: `/answers/${v.answerId}`,
      at: now,
      data: { flagId: flag.id, versionNumber: v.number },
    });
  }
}

export async function reopenFlagsOf(tx: Tx, v: AnswerVersion): Promise<void> {
  await tx
    .update(answerFlags)
    .set({ status: "open", revisionVersionId: null, actedAt: null })
    .where(and(eq(answerFlags.revisionVersionId, v.id), inArray(answerFlags.status, ["in_revision"]), isNotNull(answerFlags.revisionVersionId)));
}
