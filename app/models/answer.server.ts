import { isUuid } from "../utils/http.server";
import { and, arrayOverlaps, asc, desc, eq, inArray, isNull, or, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { z } from "zod";
import { getDb, type DbOrTx } from "../../db/client.server";
import { answerEvents, answers, answerVersions, expertise, notifications, topics, users, type AnswerVersion } from "../../db/schema";
import * as service from "../../workflows/approval.service";
import { allowedEvents, restoreSnapshot, type ApprovalState } from "../../workflows/approval.machine";
import { can } from "../auth/policy";
import type { SessionUser } from "../auth/session.server";
import { STATE_LABELS } from "./answer-labels";

export { STATE_LABELS };

type WithoutDb<F> = F extends (db: infer _D, ...rest: infer R) => infer O ? (...rest: R) => O : never;
const onProcessDb =
  <F extends (db: never, ...rest: never[]) => unknown>(f: F) =>
  (...rest: Parameters<WithoutDb<F>>): ReturnType<WithoutDb<F>> =>
    (f as unknown as (...a: unknown[]) => ReturnType<WithoutDb<F>>)(getDb(), ...rest);

/** The workflow commands on the process database, for routes (they reach workflows/ only through here). */
export const createDraft = onProcessDb(service.createDraft);
export const reviseAnswer = onProcessDb(service.reviseAnswer);
export const saveDraft = onProcessDb(service.saveDraft);
export const sendEvent = onProcessDb(service.sendEvent);
export const runReverification = onProcessDb(service.runReverification);
export type { UserEvent } from "../../workflows/approval.service";


const REVIEWABLE = ["in_review", "in_certification", "changes_requested"];
const LIVE = ["certified", "reverification_due"];

/**
 * May this user read this version? Certified text is for every signed-in user; drafts only for
 * their author; versions under review also for the topic's experts and knowledge managers;
 * superseded ones (once certified) for every reader; archived ones for knowledge managers, the
 * topic's experts and the author.
 */
export function canViewVersion(user: SessionUser, v: Pick<AnswerVersion, "state" | "authorId" | "topicIds">, expertTopics: string[]): boolean {
  if (LIVE.includes(v.state)) return can(user.roles, "answer.read");
  if (v.authorId === user.id) return true;
  const isExpert = can(user.roles, "answer.review") && v.topicIds.some((t) => expertTopics.includes(t));
  const isKm = can(user.roles, "answer.certify");
  if (v.state === "draft") return false;
  if (REVIEWABLE.includes(v.state)) return isExpert || isKm;
  // Once-certified text stays readable to every reader: history is never lost.
  if (v.state === "superseded") return can(user.roles, "answer.read");
  return isKm || isExpert;
}

async function expertTopicsOf(userId: string, db: DbOrTx): Promise<string[]> {
  return (await db.select({ t: expertise.topicId }).from(expertise).where(eq(expertise.userId, userId))).map((r) => r.t);
}

const certifier = alias(users, "certifier");
const owner = alias(users, "owner");

const versionColumns = {
  id: answerVersions.id,
  answerId: answerVersions.answerId,
  number: answerVersions.number,
  authorId: answerVersions.authorId,
  authorName: users.displayName,
  basedOnVersionId: answerVersions.basedOnVersionId,
  question: answerVersions.question,
  alternatives: answerVersions.alternatives,
  shortAnswer: answerVersions.shortAnswer,
  body: answerVersions.body,
  bodyHtml: answerVersions.bodyHtml,
  bodyText: answerVersions.bodyText,
  topicIds: answerVersions.topicIds,
  tags: answerVersions.tags,
  audience: answerVersions.audience,
  state: answerVersions.state,
  snapshot: answerVersions.snapshot,
  machineVersion: answerVersions.machineVersion,
  lockVersion: answerVersions.lockVersion,
  revision: answerVersions.revision,
  ownerId: answerVersions.ownerId,
  ownerName: owner.displayName,
  certifiedBy: answerVersions.certifiedBy,
  certifiedByName: certifier.displayName,
  certifiedAt: answerVersions.certifiedAt,
  reverifyAt: answerVersions.reverifyAt,
  submittedAt: answerVersions.submittedAt,
  createdAt: answerVersions.createdAt,
  updatedAt: answerVersions.updatedAt,
};

function versionQuery(db: DbOrTx) {
  return db
    .select(versionColumns)
    .from(answerVersions)
    .innerJoin(users, eq(users.id, answerVersions.authorId))
    .leftJoin(certifier, eq(certifier.id, answerVersions.certifiedBy))
    .leftJoin(owner, eq(owner.id, answerVersions.ownerId));
}

export type VersionView = Awaited<ReturnType<typeof getVersions>>[number];

async function getVersions(answerId: string, db: DbOrTx) {
  return versionQuery(db).where(eq(answerVersions.answerId, answerId)).orderBy(desc(answerVersions.number));
}

export interface AnswerPage {
  answerId: string;
  origin: unknown;
  /** The version shown: the one asked for, else the live one, else the newest the user may read. */
  shown: VersionView;
  live: VersionView | null;
  open: VersionView | null;
  versions: { number: number; state: string; authorName: string; updatedAt: Date; visible: boolean }[];
  history: { id: string; at: Date; actorName: string | null; actorId: string | null; event: string; from: string | null; to: string; comment: string | null; versionNumber: number; data: Record<string, unknown> }[];
  topics: { id: string; name: string; slug: string; reverifyIntervalDays: number }[];
  /** Workflow events the viewer may send on the shown version, asked of the machine. */
  allowed: string[];
  canRevise: boolean;
  canEdit: boolean;
  /** What the shown version still needs before it can be submitted (empty unless the viewer may submit it). */
  missingForReview: string[];
}

/**
 * A decision's `seen` (the whole text the reviewer decided on, document included) is for
 * lastReviewSeen, not for the pages: it would travel to the browser with every history entry.
 */
function withoutSeen(data: Record<string, unknown>): Record<string, unknown> {
  if (!("seen" in data)) return data;
  const { seen: _seen, ...rest } = data;
  return rest;
}

const SeenSchema = z.object({
  question: z.string(),
  alternatives: z.array(z.string()),
  shortAnswer: z.string(),
  bodyText: z.string(),
  // Kept since 2026-12-03; older decisions have only the text.
  body: z.unknown().optional(),
});

/** What this user last decided on for this answer (any version), for "changes since your last review". */
export async function lastReviewSeen(userId: string, answerId: string, db: DbOrTx = getDb()): Promise<{ at: Date; seen: z.infer<typeof SeenSchema> } | null> {
  if (!isUuid(answerId)) return null;
  const [row] = await db
    .select({ at: answerEvents.at, data: answerEvents.data })
    .from(answerEvents)
    .where(and(eq(answerEvents.answerId, answerId), eq(answerEvents.actorId, userId), sql`${answerEvents.data} -> 'seen' is not null`))
    .orderBy(desc(answerEvents.at), desc(answerEvents.id))
    .limit(1);
  const seen = SeenSchema.safeParse(row?.data.seen);
  return row && seen.success ? { at: row.at, seen: seen.data } : null;
}

/** Everything the answer page shows, or null when the user may not see any of it. */
export async function getAnswerPage(user: SessionUser, answerId: string, versionNumber?: number, db: DbOrTx = getDb()): Promise<AnswerPage | null> {
  if (!isUuid(answerId)) return null;
  const [answer] = await db.select().from(answers).where(eq(answers.id, answerId));
  if (!answer) return null;
  const [versions, expertTopics] = await Promise.all([getVersions(answerId, db), expertTopicsOf(user.id, db)]);
  const visible = versions.filter((v) => canViewVersion(user, v, expertTopics));
  const live = versions.find((v) => v.id === answer.liveVersionId) ?? null;
  const open = versions.find((v) => v.id === answer.openVersionId) ?? null;
  const shown =
    versionNumber !== undefined
      ? visible.find((v) => v.number === versionNumber)
      : (live && visible.includes(live) ? live : undefined) ?? (open && visible.includes(open) ? open : undefined) ?? visible[0];
  if (!shown) return null;
  const visibleIds = new Set(visible.map((v) => v.id));
  const events = await db
    .select({
      id: answerEvents.id,
      at: answerEvents.at,
      actorName: users.displayName,
      actorId: answerEvents.actorId,
      event: answerEvents.event,
      from: answerEvents.fromState,
      to: answerEvents.toState,
      comment: answerEvents.comment,
      versionId: answerEvents.versionId,
      data: answerEvents.data,
    })
    .from(answerEvents)
    .leftJoin(users, eq(users.id, answerEvents.actorId))
    .where(eq(answerEvents.answerId, answerId))
    .orderBy(desc(answerEvents.at), desc(answerEvents.id));
  const topicRows = shown.topicIds.length
    ? await db.select({ id: topics.id, name: topics.name, slug: topics.slug, reverifyIntervalDays: topics.reverifyIntervalDays }).from(topics).where(inArray(topics.id, shown.topicIds))
    : [];
  const snapshot = restoreSnapshot({ machineVersion: shown.machineVersion, snapshot: shown.snapshot });
  const allowed = allowedEvents(snapshot, { id: user.id, roles: user.roles, expertTopicIds: expertTopics }).filter((e) => e !== "EDIT");
  return {
    answerId,
    origin: answer.origin,
    shown,
    live: live && visibleIds.has(live.id) ? live : null,
    open: open && visibleIds.has(open.id) ? open : null,
    versions: versions.map((v) => ({ number: v.number, state: v.state, authorName: v.authorName, updatedAt: v.updatedAt, visible: visibleIds.has(v.id) })),
    history: events
      .filter((e) => visibleIds.has(e.versionId))
      .map(({ versionId, data, ...e }) => ({ ...e, data: withoutSeen(data), versionNumber: versions.find((v) => v.id === versionId)?.number ?? 0 })),
    topics: topicRows,
    allowed,
    canRevise: can(user.roles, "answer.draft") && !!live && LIVE.includes(live.state) && (!open || open.authorId === user.id),
    canEdit: shown.authorId === user.id && (shown.state === "draft" || shown.state === "changes_requested"),
    missingForReview: allowed.includes("SUBMIT") || allowed.includes("RESUBMIT") ? service.missingForReview(shown).map(([, message]) => message) : [],
  };
}

export interface QueueItem {
  answerId: string;
  versionId: string;
  number: number;
  question: string;
  state: string;
  authorName: string;
  topicNames: string[];
  since: Date;
  revision: number;
}

async function withTopicNames<T extends { topicIds: string[] }>(rows: T[], db: DbOrTx): Promise<(T & { topicNames: string[] })[]> {
  const ids = [...new Set(rows.flatMap((r) => r.topicIds))];
  const names = ids.length ? await db.select({ id: topics.id, name: topics.name }).from(topics).where(inArray(topics.id, ids)) : [];
  return rows.map((r) => ({ ...r, topicNames: r.topicIds.map((id) => names.find((n) => n.id === id)?.name ?? "?") }));
}

function queueSelect(db: DbOrTx) {
  return db
    .select({
      answerId: answerVersions.answerId,
      versionId: answerVersions.id,
      number: answerVersions.number,
      question: answerVersions.question,
      state: answerVersions.state,
      authorName: users.displayName,
      authorId: answerVersions.authorId,
      topicIds: answerVersions.topicIds,
      since: sql<Date>`coalesce(${answerVersions.submittedAt}, ${answerVersions.updatedAt})`.mapWith(answerVersions.updatedAt),
      revision: answerVersions.revision,
      reverifyAt: answerVersions.reverifyAt,
    })
    .from(answerVersions)
    .innerJoin(users, eq(users.id, answerVersions.authorId));
}

/**
 * Keeps the rows on which the machine lets this user send one of `events` now (it knows about
 * authorship, earlier approvals and topics): a queue never lists what its viewer cannot act on.
 */
async function actionableFor<T extends { versionId: string }>(user: SessionUser, expertTopicIds: string[], rows: T[], events: string[], db: DbOrTx): Promise<T[]> {
  if (rows.length === 0) return rows;
  const snapshots = await db
    .select({ id: answerVersions.id, snapshot: answerVersions.snapshot, machineVersion: answerVersions.machineVersion })
    .from(answerVersions)
    .where(inArray(answerVersions.id, rows.map((r) => r.versionId)));
  const actor = { id: user.id, roles: user.roles, expertTopicIds };
  const actionable = new Set(
    snapshots.filter((v) => allowedEvents(restoreSnapshot(v), actor).some((e) => events.includes(e))).map((v) => v.id),
  );
  return rows.filter((r) => actionable.has(r.versionId));
}

export interface Deciders {
  /** The step the version waits for. */
  step: "review" | "certification";
  /** Active people who may take that step now (never the author). */
  names: string[];
  /** Admins, who can add experts to a topic or make someone a knowledge manager when nobody can. */
  admins: string[];
}

/**
 * Who can take the next decision on a version in review or certification, for the page that
 * tells everyone else why they cannot (separation of duties: never the author).
 */
export async function decidersFor(v: Pick<AnswerVersion, "id" | "state" | "authorId" | "topicIds" | "snapshot" | "machineVersion">, db: DbOrTx = getDb()): Promise<Deciders | null> {
  if (v.state !== "in_review" && v.state !== "in_certification") return null;
  const active = await db
    .select({ id: users.id, name: users.displayName, roles: users.roles })
    .from(users)
    .where(and(eq(users.active, true), sql`${users.id} <> ${v.authorId}`))
    .orderBy(asc(users.displayName));
  const admins = active.filter((u) => u.roles.includes("admin")).map((u) => u.name);
  if (v.state === "in_certification") {
    return { step: "certification", names: active.filter((u) => can(u.roles, "answer.certify")).map((u) => u.name), admins };
  }
  const experts = v.topicIds.length
    ? await db.select({ userId: expertise.userId }).from(expertise).where(inArray(expertise.topicId, v.topicIds))
    : [];
  const snapshot = restoreSnapshot({ machineVersion: v.machineVersion, snapshot: v.snapshot });
  const approved = new Set(snapshot.context.approvals.map((a) => a.userId));
  const expertIds = new Set(experts.map((e) => e.userId));
  const names = active.filter((u) => expertIds.has(u.id) && can(u.roles, "answer.review") && !approved.has(u.id)).map((u) => u.name);
  return { step: "review", names, admins };
}

/** Drafts in review in the expert's topics, oldest first, not their own. */
export async function reviewQueue(user: SessionUser, db: DbOrTx = getDb()): Promise<QueueItem[]> {
  const mine = await expertTopicsOf(user.id, db);
  if (mine.length === 0 || !can(user.roles, "answer.review")) return [];
  const rows = await queueSelect(db)
    .where(
      and(
        eq(answerVersions.state, "in_review"),
        arrayOverlaps(answerVersions.topicIds, mine),
        sql`${answerVersions.authorId} <> ${user.id}`,
      ),
    )
    .orderBy(asc(answerVersions.submittedAt));
  // Waiting for *your approval*: an expert who approved already is done with it (the answer page still offers the other decisions).
  return withTopicNames(await actionableFor(user, mine, rows, ["APPROVE"], db), db);
}

/** Expert-approved versions waiting for a knowledge manager, oldest first. */
export async function certificationQueue(user: SessionUser, db: DbOrTx = getDb()): Promise<QueueItem[]> {
  if (!can(user.roles, "answer.certify")) return [];
  const rows = await queueSelect(db)
    .where(and(eq(answerVersions.state, "in_certification"), sql`${answerVersions.authorId} <> ${user.id}`))
    .orderBy(asc(answerVersions.updatedAt));
  return withTopicNames(await actionableFor(user, await expertTopicsOf(user.id, db), rows, ["CERTIFY", "REQUEST_CHANGES"], db), db);
}

/** Certified answers past their date: the owner's, or all for knowledge managers and experts of the topic. */
export async function reverificationDue(user: SessionUser, db: DbOrTx = getDb()) {
  const mine = await expertTopicsOf(user.id, db);
  const rows = await queueSelect(db)
    .where(
      and(
        eq(answerVersions.state, "reverification_due"),
        can(user.roles, "answer.certify")
          ? undefined
          : or(
              eq(answerVersions.ownerId, user.id),
              mine.length ? arrayOverlaps(answerVersions.topicIds, mine) : sql`false`,
            ),
      ),
    )
    .orderBy(asc(answerVersions.reverifyAt));
  return withTopicNames(rows, db);
}

/** The user's own versions still being written or reviewed, and withdrawn ones (they can be found again). */
export async function myDrafts(user: SessionUser, db: DbOrTx = getDb()) {
  const rows = await queueSelect(db)
    .where(and(eq(answerVersions.authorId, user.id), inArray(answerVersions.state, ["draft", "changes_requested", "in_review", "in_certification", "withdrawn"])))
    .orderBy(desc(answerVersions.updatedAt));
  return withTopicNames(rows, db);
}

/** Recently certified answers every reader may open. */
export async function recentCertified(limit = 20, db: DbOrTx = getDb()) {
  const rows = await queueSelect(db)
    .where(inArray(answerVersions.state, LIVE))
    .orderBy(desc(answerVersions.updatedAt))
    .limit(limit);
  return withTopicNames(rows, db);
}

export async function listNotifications(userId: string, db: DbOrTx = getDb()) {
  return db.select().from(notifications).where(eq(notifications.userId, userId)).orderBy(desc(notifications.createdAt)).limit(100);
}

/** Opening an inbox item marks it read; returns where it points, or null when it is not the user's. */
export async function openNotification(userId: string, notificationId: string, db: DbOrTx = getDb()): Promise<string | null> {
  const [row] = await db
    .update(notifications)
    .set({ readAt: sql`coalesce(${notifications.readAt}, now())` })
    .where(and(eq(notifications.id, notificationId), eq(notifications.userId, userId)))
    .returning({ link: notifications.link });
  return row?.link ?? null;
}

export async function unreadCount(userId: string, db: DbOrTx = getDb()): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(notifications)
    .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)));
  return row?.n ?? 0;
}

export async function markNotificationsRead(userId: string, db: DbOrTx = getDb()): Promise<void> {
  await db.update(notifications).set({ readAt: new Date() }).where(and(eq(notifications.userId, userId), isNull(notifications.readAt)));
}

export function isApprovalState(s: string): s is ApprovalState {
  return s in STATE_LABELS;
}
