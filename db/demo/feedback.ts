import { count, inArray } from "drizzle-orm";
import type { Role } from "../../app/auth/policy";
import { recordUse } from "../../app/models/agent.server";
import { dismissFlag, flagAnswer, rateAnswer } from "../../app/models/feedback.server";
import type { Db } from "../client.server";
import { answerFlags, answers, users } from "../schema";

const DAY = 86_400_000;

/**
 * Ratings and flags on the demo's certified answers, filed through the real feedback module so
 * owners' inboxes, the Feedback queue and its figures look lived-in: one flag overdue, one fresh,
 * one dismissed with a reason. Skipped when any flag exists.
 */
export async function seedDemoFeedback(db: Db, now = new Date()): Promise<void> {
  const [{ n } = { n: 0 }] = await db.select({ n: count() }).from(answerFlags);
  if (n > 0) return;
  const people = await db.select({ id: users.id, email: users.email, roles: users.roles }).from(users);
  const who = (email: string) => {
    const p = people.find((u) => u.email === email);
    return p ? { id: p.id, roles: p.roles as Role[] } : null;
  };
  const rows = await db.select({ id: answers.id, externalId: answers.externalId }).from(answers).where(inArray(answers.externalId, ["demo:refund-time", "demo:track-parcel", "demo:reset-password", "demo:router-reset", "demo:return-item", "demo:update-card"]));
  const answer = (key: string) => rows.find((r) => r.externalId === `demo:${key}`)?.id;
  const [alex, kim, xavier, priya, emma] = ["alex", "kim", "xavier", "priya", "emma"].map((u) => who(`${u}@example.com`));
  if (!alex || !kim || !xavier || !priya || !emma) return;

  const ratings: [typeof alex, string, boolean][] = [
    [alex, "refund-time", false],
    [kim, "refund-time", true],
    [alex, "track-parcel", true],
    [xavier, "track-parcel", true],
    [priya, "track-parcel", true],
    [alex, "reset-password", true],
    [kim, "reset-password", true],
    [alex, "router-reset", false],
    [alex, "update-card", true],
    [priya, "update-card", true],
  ];
  for (const [reader, key, helpful] of ratings) {
    const id = answer(key);
    if (id) await rateAnswer(db, reader, id, { helpful, source: "search" }, new Date(now.getTime() - 2 * DAY));
  }

  // Agents' uses in replies over the last weeks: evidence of expertise and the authors' points.
  const used: [string, number][] = [["track-parcel", 6], ["reset-password", 5], ["refund-time", 4], ["update-card", 3], ["return-item", 2]];
  for (const [key, times] of used) {
    const id = answer(key);
    for (let k = 0; id && k < times; k++) {
      await recordUse({ answerId: id, kind: "used", channel: k % 2 ? "email" : "chat", userId: alex.id, conversation: `demo-${key}-${k}`, at: new Date(now.getTime() - (k + 1) * DAY) }, db);
    }
  }

  const refund = answer("refund-time");
  if (refund) {
    await flagAnswer(
      db,
      alex,
      refund,
      { reason: "outdated", comment: "Since the new payment provider, refunds leave us within 3 working days, not 5. Customers quote the new terms page.", source: "search" },
      new Date(now.getTime() - 5 * DAY),
    );
  }
  const router = answer("router-reset");
  if (router) {
    await flagAnswer(db, kim, router, { reason: "unclear", comment: "Say which light should blink after the reset; two customers today were not sure it worked.", source: "answer" }, new Date(now.getTime() - 3 * 3_600_000));
  }
  const card = answer("update-card");
  if (card) {
    const filed = await flagAnswer(db, priya, card, { reason: "missing_information", comment: "Does this also work for PayPal? Please add a line on it.", source: "panel" }, new Date(now.getTime() - 8 * DAY));
    await dismissFlag(db, emma, filed.flagId, "PayPal is not offered in the app; the separate PayPal answer covers it.", new Date(now.getTime() - 7 * DAY));
  }
}
