import { createHash, randomBytes } from "node:crypto";
import { and, asc, count, desc, eq, gt, inArray, isNull, sql } from "drizzle-orm";
import { getDb, type Db, type DbOrTx } from "../../db/client.server";
import {
  answerRequestAskers,
  answerRequests,
  answers,
  answerUses,
  answerVersions,
  apiTokens,
  expertise,
  failedSearches,
  topics,
  users,
  type Channel,
  type UseKind,
} from "../../db/schema";
import { notify } from "../notifications/notify.server";
import type { TokenScope } from "./agent.schema";
import { DomainError } from "../utils/errors";
import { creditUse, scopesForWords, suggestReviewers } from "./expertise.server";
import { RateLimiter } from "./rate-limit.server";
import { recordAudit } from "./audit.server";
import { forgetUse, learnFromUse } from "../learning/learn.server";

// ---- uses ----------------------------------------------------------------------------------

/** Within this window, a second "used in reply" of the same answer by the same agent is the same reply. */
export const USE_WINDOW_MS = 10 * 60_000;

export interface UseInput {
  answerId: string;
  kind: UseKind;
  channel?: Channel | null;
  userId?: string | null;
  apiTokenId?: string | null;
  /** The help-desk conversation (ticket) the reply went to, when the tool knows it. */
  conversation?: string | null;
  searchSession?: string | null;
  searchQuery?: string | null;
  at?: Date;
}

/**
 * Records a copy or a "used in reply" of an answer that agents can find (certified or due).
 * Copies are recorded each time (they say what agents reach for). A use is one per agent (or
 * API token), answer and conversation, or, without a conversation, per 10 minutes: clicking
 * "Used in reply" twice for one reply does not make it twice as useful. Returns the use's id
 * (the existing one when the click repeats a use) for "Undo".
 */
export async function recordUse(input: UseInput, db: Db = getDb()): Promise<{ versionId: string; useId: string; repeated: boolean }> {
  const at = input.at ?? new Date();
  return db.transaction(async (tx) => {
    const [live] = await tx
      .select({ versionId: answerVersions.id })
      .from(answers)
      .innerJoin(answerVersions, eq(answerVersions.id, answers.liveVersionId))
      .where(and(eq(answers.id, input.answerId), inArray(answerVersions.state, ["certified", "reverification_due"])));
    if (!live) throw new DomainError("not_found", "No certified answer has this id.");
    const who = input.userId ? eq(answerUses.userId, input.userId) : input.apiTokenId ? eq(answerUses.apiTokenId, input.apiTokenId) : null;
    if (input.kind === "used" && who) {
      // Two quick clicks arrive together: serialise this person's uses of this answer.
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`use:${input.answerId}:${input.userId ?? input.apiTokenId}`}))`);
      const same = input.conversation
        ? eq(answerUses.conversation, input.conversation)
        : and(gt(answerUses.at, new Date(at.getTime() - USE_WINDOW_MS)), isNull(answerUses.conversation));
      const [earlier] = await tx
        .select({ id: answerUses.id })
        .from(answerUses)
        .where(and(eq(answerUses.answerId, input.answerId), eq(answerUses.kind, "used"), who, isNull(answerUses.undoneAt), same))
        .limit(1);
      if (earlier) return { versionId: live.versionId, useId: earlier.id, repeated: true };
    }
    const [row] = await tx
      .insert(answerUses)
      .values({
        answerId: input.answerId,
        versionId: live.versionId,
        kind: input.kind,
        channel: input.channel ?? null,
        userId: input.userId ?? null,
        apiTokenId: input.apiTokenId ?? null,
        conversation: input.conversation?.slice(0, 200) ?? null,
        searchSession: input.searchSession ?? null,
        searchQuery: input.searchQuery?.trim().slice(0, 500) || null,
        at,
      })
      .returning({ id: answerUses.id });
    if (input.kind === "used") await creditUse(tx, { answerId: input.answerId, useId: row!.id, agentId: input.userId ?? null, now: at });
    // The search's wording teaches the index which answer it asks for (app/learning/learn.server.ts).
    if (input.searchQuery) await learnFromUse(tx, { ...input, useId: row!.id, at });
    return { versionId: live.versionId, useId: row!.id, repeated: false };
  });
}

/** "Undo" of a use: only the person (or token) who recorded it, within a day. */
export async function undoUse(input: { useId: string; userId?: string | null; apiTokenId?: string | null; now?: Date }, db: DbOrTx = getDb()): Promise<void> {
  const now = input.now ?? new Date();
  const who = input.userId ? eq(answerUses.userId, input.userId) : input.apiTokenId ? eq(answerUses.apiTokenId, input.apiTokenId) : null;
  if (!who) throw new DomainError("forbidden", "Only who recorded a use can undo it.");
  const done = await db.transaction(async (tx) => {
    const undone = await tx
      .update(answerUses)
      .set({ undoneAt: now })
      .where(and(eq(answerUses.id, input.useId), who, isNull(answerUses.undoneAt), gt(answerUses.at, new Date(now.getTime() - 86_400_000))))
      .returning({ id: answerUses.id, answerId: answerUses.answerId, kind: answerUses.kind });
    for (const u of undone) if (u.kind === "used") await creditUse(tx, { answerId: u.answerId, useId: u.id, agentId: input.userId ?? null, now }, true);
    for (const u of undone) await forgetUse(tx, u.id, now);
    return undone;
  });
  if (done.length === 0) throw new DomainError("not_found", "There is no use of yours to undo here (it may be undone already, or older than a day).");
}

/** Uses one person may record per minute (USE_RATE_PER_MINUTE): plenty for replying, not for rigging. */
export const USES_PER_MINUTE = Number(process.env.USE_RATE_PER_MINUTE ?? 30);
// A token bucket refilled evenly, shared by every instance like the API's limiter (ADR 014).
const useLimiter = new RateLimiter(USES_PER_MINUTE, USES_PER_MINUTE / 60);

/** May this person record another use now? Checked by the route before recordUse. */
export async function takeUseAllowance(
  userId: string,
  now = Date.now(),
  db: DbOrTx = getDb(),
): Promise<{ ok: true } | { ok: false; retryAfterSeconds: number; message: string }> {
  const taken = await useLimiter.take(`use:${userId}`, now, db);
  if (taken.ok) return { ok: true };
  return {
    ok: false,
    retryAfterSeconds: taken.retryAfterSeconds,
    message: `You recorded more than ${USES_PER_MINUTE} uses in a minute; wait ${taken.retryAfterSeconds} s and try again.`,
  };
}

export async function useCounts(answerId: string, db: DbOrTx = getDb()) {
  return db
    .select({ kind: answerUses.kind, n: count() })
    .from(answerUses)
    .where(and(eq(answerUses.answerId, answerId), isNull(answerUses.undoneAt)))
    .groupBy(answerUses.kind);
}

// ---- content gaps and answer requests -------------------------------------------------------

export async function logFailedSearch(
  input: {
    query: string;
    filters?: Record<string, unknown>;
    results: number;
    reason: "no_results" | "none_helped";
    userId?: string | null;
    apiTokenId?: string | null;
    /** The search session: its one row is updated to the latest query instead of adding one per keystroke. */
    sessionId?: string | null;
  },
  db: DbOrTx = getDb(),
): Promise<string | null> {
  const query = input.query.trim().slice(0, 500);
  if (query.length < 2) return null;
  const values = { query, filters: input.filters ?? {}, results: input.results, reason: input.reason, userId: input.userId ?? null, apiTokenId: input.apiTokenId ?? null, sessionId: input.sessionId ?? null, at: new Date() };
  const insert = db.insert(failedSearches).values(values);
  const [row] = input.sessionId
    ? await insert
        // Only the session's own person may move its row (a guessed session id changes nothing).
        .onConflictDoUpdate({ target: failedSearches.sessionId, set: { query, filters: values.filters, results: values.results, reason: values.reason, at: values.at }, setWhere: input.userId ? eq(failedSearches.userId, input.userId) : sql`false` })
        .returning({ id: failedSearches.id })
    : await insert.returning({ id: failedSearches.id });
  return row?.id ?? null;
}

/** The session's search found something after all (the agent kept typing): it was not a gap. */
export async function clearFailedSearchSession(sessionId: string, userId: string, db: DbOrTx = getDb()): Promise<void> {
  await db.delete(failedSearches).where(and(eq(failedSearches.sessionId, sessionId), eq(failedSearches.userId, userId), eq(failedSearches.reason, "no_results")));
}

export async function recentFailedSearches(limit = 50, db: DbOrTx = getDb()) {
  return db
    .select({ id: failedSearches.id, query: failedSearches.query, reason: failedSearches.reason, at: failedSearches.at, userName: users.displayName })
    .from(failedSearches)
    .leftJoin(users, eq(users.id, failedSearches.userId))
    .orderBy(desc(failedSearches.at))
    .limit(limit);
}

/**
 * Opens a request for an answer nobody has written; the topic's experts are told (or every
 * expert, when no topic was chosen). Asking again for the same open question adds the asker.
 */
export async function requestAnswer(
  input: { question: string; details?: string; topicId?: string | null; userId: string; failedSearchId?: string | null; now?: Date },
  db: Db = getDb(),
): Promise<{ requestId: string; joined: boolean }> {
  const now = input.now ?? new Date();
  return db.transaction(async (tx) => {
    if (input.topicId) {
      const [topic] = await tx.select({ id: topics.id }).from(topics).where(eq(topics.id, input.topicId));
      if (!topic) throw new DomainError("bad_request", "Choose a topic from the list.", { field: "topicId" });
    }
    const [same] = await tx
      .select({ id: answerRequests.id })
      .from(answerRequests)
      .where(and(sql`lower(${answerRequests.question}) = lower(${input.question})`, inArray(answerRequests.status, ["open", "drafting"])));
    if (same) {
      await tx.insert(answerRequestAskers).values({ requestId: same.id, userId: input.userId, at: now }).onConflictDoNothing();
      return { requestId: same.id, joined: true };
    }
    const [request] = await tx
      .insert(answerRequests)
      .values({
        question: input.question,
        details: input.details ?? "",
        topicId: input.topicId ?? null,
        createdBy: input.userId,
        failedSearchId: input.failedSearchId ?? null,
        createdAt: now,
      })
      .returning({ id: answerRequests.id });
    await tx.insert(answerRequestAskers).values({ requestId: request!.id, userId: input.userId, at: now });
    // Routed to the best available experts of the topic (named, or found in the question's words);
    // with no topic to go on, every expert hears it.
    const topicIds = input.topicId ? [input.topicId] : (await scopesForWords(tx, input.question)).topicIds;
    const best = topicIds.length ? await suggestReviewers(tx, { topicIds, excludeUserId: input.userId, limit: 2 }) : [];
    const experts = best.length
      ? best.map((b) => ({ userId: b.id }))
      : await tx.select({ userId: expertise.userId }).from(expertise).innerJoin(users, eq(users.id, expertise.userId)).where(eq(users.active, true));
    const recipients = [...new Set(experts.map((e) => e.userId))].filter((id) => id !== input.userId);
    await notify(tx, recipients, { kind: "answer_requested", title: `Answer requested: ${input.question}`, link: "/requests", at: now });
    return { requestId: request!.id, joined: false };
  });
}

export async function joinRequest(requestId: string, userId: string, db: DbOrTx = getDb()): Promise<void> {
  const [request] = await db.select({ status: answerRequests.status }).from(answerRequests).where(eq(answerRequests.id, requestId));
  if (!request) throw new DomainError("not_found", "No such request.");
  if (request.status === "answered" || request.status === "closed") throw new DomainError("conflict", "This request is already answered or closed.");
  await db.insert(answerRequestAskers).values({ requestId, userId }).onConflictDoNothing();
}

export async function listRequests(options: { status?: ("open" | "drafting" | "answered" | "closed")[] } = {}, db: DbOrTx = getDb()) {
  const statuses = options.status ?? ["open", "drafting"];
  return db
    .select({
      id: answerRequests.id,
      question: answerRequests.question,
      details: answerRequests.details,
      status: answerRequests.status,
      answerId: answerRequests.answerId,
      topicName: topics.name,
      createdAt: answerRequests.createdAt,
      askers: sql<number>`(select count(*)::int from ${answerRequestAskers} a where a.request_id = ${answerRequests.id})`,
      requesterName: users.displayName,
    })
    .from(answerRequests)
    .leftJoin(topics, eq(topics.id, answerRequests.topicId))
    .innerJoin(users, eq(users.id, answerRequests.createdBy))
    .where(inArray(answerRequests.status, statuses))
    .orderBy(asc(answerRequests.createdAt));
}

export async function getRequest(id: string, db: DbOrTx = getDb()) {
  const [r] = await db.select().from(answerRequests).where(eq(answerRequests.id, id));
  return r;
}

/** A draft started from a request: the request now waits for that answer to be certified. */
export async function linkRequestToAnswer(requestId: string, answerId: string, db: DbOrTx = getDb()): Promise<void> {
  await db
    .update(answerRequests)
    .set({ answerId, status: "drafting" })
    .where(and(eq(answerRequests.id, requestId), inArray(answerRequests.status, ["open", "drafting"]), isNull(answerRequests.answerId)));
}

// ---- API tokens ---------------------------------------------------------------------------

export { TOKEN_SCOPES, type TokenScope } from "./agent.schema";

const hash = (token: string) => createHash("sha256").update(token).digest("hex");

/** Creates a token; the plain value is returned once and never stored. */
export async function createApiToken(input: { name: string; scopes: TokenScope[]; createdBy: string }, db: Db = getDb()) {
  const token = `vt_${randomBytes(24).toString("base64url")}`;
  const row = await db.transaction(async (tx) => {
    const [created] = await tx
      .insert(apiTokens)
      .values({ name: input.name, scopes: input.scopes, createdBy: input.createdBy, tokenHash: hash(token), prefix: token.slice(0, 7) })
      .returning({ id: apiTokens.id });
    await recordAudit(tx, { actorId: input.createdBy, action: "token.create", subjectType: "token", subjectId: created!.id, data: { name: input.name, scopes: input.scopes } });
    return created;
  });
  return { id: row!.id, token };
}

export async function listApiTokens(db: DbOrTx = getDb()) {
  return db
    .select({
      id: apiTokens.id,
      name: apiTokens.name,
      prefix: apiTokens.prefix,
      scopes: apiTokens.scopes,
      createdAt: apiTokens.createdAt,
      lastUsedAt: apiTokens.lastUsedAt,
      revokedAt: apiTokens.revokedAt,
      createdByName: users.displayName,
    })
    .from(apiTokens)
    .leftJoin(users, eq(users.id, apiTokens.createdBy))
    .orderBy(desc(apiTokens.createdAt));
}

export async function revokeApiToken(id: string, db: Db = getDb(), actorId: string | null = null): Promise<void> {
  await db.transaction(async (tx) => {
    const updated = await tx.update(apiTokens).set({ revokedAt: new Date() }).where(and(eq(apiTokens.id, id), isNull(apiTokens.revokedAt))).returning({ id: apiTokens.id, name: apiTokens.name });
    if (updated.length === 0) throw new DomainError("not_found", "No active token has this id.");
    await recordAudit(tx, { actorId, action: "token.revoke", subjectType: "token", subjectId: id, data: { name: updated[0]!.name } });
  });
  forgetCachedToken(id);
}

export type TokenCheck =
  | { ok: true; token: { id: string; name: string; scopes: string[] } }
  | { ok: false; status: 401 | 403; code: "missing_token" | "invalid_token" | "revoked_token" | "insufficient_scope"; message: string };

/**
 * Tokens recently read from the database, by hash: an API call costs no token round trip for a
 * few seconds. Revoking in this process forgets the token at once; another process may honour a
 * revoked token for at most TOKEN_CACHE_MS. On globalThis because the Remix build (admin pages,
 * which revoke) and the server (the API) each load their own copy of this module.
 */
const TOKEN_CACHE_MS = 5000;
type TokenRow = typeof apiTokens.$inferSelect;
const tokenCacheKey = Symbol.for("vetted.api-token-cache");
function tokenCache(): Map<string, { row: TokenRow; at: number }> {
  const g = globalThis as typeof globalThis & { [tokenCacheKey]?: Map<string, { row: TokenRow; at: number }> };
  return (g[tokenCacheKey] ??= new Map());
}

export function forgetCachedToken(id: string): void {
  for (const [key, entry] of tokenCache()) if (entry.row.id === id) tokenCache().delete(key);
}

/** Checks an `Authorization: Bearer …` header and the scope the endpoint needs. */
export async function authenticateApiToken(header: string | null, scope: TokenScope, db: DbOrTx = getDb()): Promise<TokenCheck> {
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header.trim()) : null;
  if (!match) return { ok: false, status: 401, code: "missing_token", message: "Send an API token as `Authorization: Bearer <token>`." };
  const key = hash(match[1]!);
  const cache = tokenCache();
  const now = Date.now();
  const cached = cache.get(key);
  let row = cached && now - cached.at < TOKEN_CACHE_MS ? cached.row : undefined;
  if (!row) {
    [row] = await db.select().from(apiTokens).where(eq(apiTokens.tokenHash, key));
    if (!row) return { ok: false, status: 401, code: "invalid_token", message: "This API token is not valid." };
    if (cache.size > 10_000) cache.clear();
    cache.set(key, { row, at: now });
  }
  if (row.revokedAt) return { ok: false, status: 401, code: "revoked_token", message: "This API token was revoked." };
  if (!row.scopes.includes(scope)) return { ok: false, status: 403, code: "insufficient_scope", message: `This token lacks the ${scope} scope.` };
  // Last-used is for admins to spot unused tokens: a minute's precision is plenty. The audit log
  // gets a "token.use" line at the same pace (at most one a minute per token, with its scope),
  // so it shows when and for what a token was used without a row per API call.
  if (!row.lastUsedAt || now - row.lastUsedAt.getTime() > 60_000) {
    const lastUsedAt = new Date(now);
    row.lastUsedAt = lastUsedAt;
    await db.update(apiTokens).set({ lastUsedAt }).where(eq(apiTokens.id, row.id));
    await recordAudit(db, { actorId: row.createdBy, action: "token.use", subjectType: "token", subjectId: row.id, data: { name: row.name, scope }, at: lastUsedAt });
  }
  return { ok: true, token: { id: row.id, name: row.name, scopes: row.scopes } };
}
