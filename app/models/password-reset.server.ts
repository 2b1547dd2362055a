import { randomBytes } from "node:crypto";
import { and, count, eq, gt, isNull, ne, sql } from "drizzle-orm";
import { getDb, type Db, type DbOrTx } from "../../db/client.server";
import { loginFailures, mailQueue, passwordResets, users, type User } from "../../db/schema";
import { getConfig } from "../../server/config";
import { passwordProblem } from "../auth/password-policy.server";
import { hashPassword } from "../auth/password.server";
import { hashToken, revokeUserSessions } from "../auth/session.server";
import { PASSWORD_RESET_KIND } from "../notifications/mail-kinds";
import { RESET_MAIL_TTL_MS } from "../notifications/mail-queue.server";
import { seal } from "../notifications/mail-render.server";
import { DomainError } from "../utils/errors";
import { recordAudit } from "./audit.server";
import { MAX_FAILURES_PER_IP, THROTTLE_WINDOW_MS, normalizeEmail } from "./user.server";

export const RESET_TTL_MS = RESET_MAIL_TTL_MS;
/** Reset mails per address per throttle window: enough for a lost message or two, not a mail bomb. */
export const MAX_RESETS_PER_ACCOUNT = 5;
/** Per client address, the sign-in throttle's bar (an office shares one address). */
export const MAX_RESETS_PER_IP = MAX_FAILURES_PER_IP;

export type ResetRequestResult = { ok: true } | { ok: false; reason: "throttled"; retryAfterSeconds: number };

/**
 * "Forgot password": the answer is the same whether the address belongs to an account or not.
 * Both paths do the same work — the throttle check under a lock on the address (as sign-in does),
 * a fresh token, a request row — and only a known, active account also gets a mail queued in
 * that transaction, sealed (the token is stored hashed; the mail carries it). Sending happens in
 * the background, so the response never waits on SMTP and its timing says nothing.
 */
export async function requestPasswordReset(input: { email: string; ip: string; now?: Date }, db: Db = getDb()): Promise<ResetRequestResult> {
  const email = normalizeEmail(input.email);
  const now = input.now ?? new Date();
  const since = new Date(now.getTime() - THROTTLE_WINDOW_MS);
  const token = randomBytes(32).toString("base64url");
  const sealed = seal(getConfig().sessionSecret, token);
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`vetted-reset:${email}`}))`);
    const [byAccount] = await tx
      .select({ n: count(), oldest: sql<string>`min(${passwordResets.createdAt})` })
      .from(passwordResets)
      .where(and(eq(passwordResets.email, email), gt(passwordResets.createdAt, since)));
    const [byIp] = await tx
      .select({ n: count(), oldest: sql<string>`min(${passwordResets.createdAt})` })
      .from(passwordResets)
      .where(and(eq(passwordResets.ip, input.ip), gt(passwordResets.createdAt, since)));
    const over = (byAccount?.n ?? 0) >= MAX_RESETS_PER_ACCOUNT ? byAccount?.oldest : (byIp?.n ?? 0) >= MAX_RESETS_PER_IP ? byIp?.oldest : null;
    if (over) {
      const freeAt = new Date(over).getTime() + THROTTLE_WINDOW_MS;
      return { ok: false as const, reason: "throttled" as const, retryAfterSeconds: Math.max(1, Math.ceil((freeAt - now.getTime()) / 1000)) };
    }
    const [user] = await tx.select({ id: users.id, active: users.active }).from(users).where(eq(users.email, email)).limit(1);
    const account = user?.active ? user : undefined;
    await tx.insert(passwordResets).values({
      tokenHash: hashToken(token),
      userId: account?.id ?? null,
      email,
      ip: input.ip,
      createdAt: now,
      expiresAt: new Date(now.getTime() + RESET_TTL_MS),
    });
    if (account) {
      await tx.insert(mailQueue).values({
        userId: account.id,
        kind: PASSWORD_RESET_KIND,
        title: "Reset your password",
        link: "/reset-password",
        delivery: "immediate",
        payload: { sealed },
        createdAt: now,
        nextAttemptAt: now,
      });
    }
    return { ok: true as const };
  });
}

/** The account an unexpired, unused reset token belongs to. */
export async function findPasswordReset(token: string, now = new Date(), db: DbOrTx = getDb()) {
  if (!token || token.length > 200) return undefined;
  const [row] = await db
    .select({ userId: users.id, email: users.email, displayName: users.displayName })
    .from(passwordResets)
    .innerJoin(users, eq(users.id, passwordResets.userId))
    .where(and(eq(passwordResets.tokenHash, hashToken(token)), gt(passwordResets.expiresAt, now), isNull(passwordResets.usedAt), eq(users.active, true)))
    .limit(1);
  return row;
}

/**
 * Sets the new password and spends the token, in one transaction: every other reset link of the
 * account dies with it, every session ends (whoever knew the old password is signed out), and
 * the sign-in throttle of the account starts afresh.
 */
export async function resetPassword(input: { token: string; password: string; now?: Date }, db: Db = getDb()): Promise<User> {
  const now = input.now ?? new Date();
  const found = await findPasswordReset(input.token, now, db);
  if (!found) throw new DomainError("not_found", "This reset link has expired or was already used. Ask for a new one.");
  const problem = passwordProblem(input.password, { email: found.email });
  if (problem) throw new DomainError("bad_request", problem, { field: "password" });
  const passwordHash = await hashPassword(input.password);
  return db.transaction(async (tx) => {
    const spent = await tx
      .update(passwordResets)
      .set({ usedAt: now })
      .where(and(eq(passwordResets.tokenHash, hashToken(input.token)), isNull(passwordResets.usedAt), gt(passwordResets.expiresAt, now)))
      .returning({ userId: passwordResets.userId });
    if (spent.length !== 1 || spent[0]!.userId !== found.userId) throw new DomainError("conflict", "This reset link was just used. Ask for a new one.");
    await tx
      .update(passwordResets)
      .set({ usedAt: now })
      .where(and(eq(passwordResets.userId, found.userId), isNull(passwordResets.usedAt), ne(passwordResets.tokenHash, hashToken(input.token))));
    const [user] = await tx.update(users).set({ passwordHash, updatedAt: now }).where(eq(users.id, found.userId)).returning();
    if (!user) throw new Error("the account vanished during its reset");
    await revokeUserSessions(tx, user.id);
    // A second reset mail still waiting would carry a dead link: it is not sent.
    await tx
      .update(mailQueue)
      .set({ status: "skipped", lastError: "the password was reset with another link", payload: {} })
      .where(and(eq(mailQueue.userId, user.id), eq(mailQueue.kind, PASSWORD_RESET_KIND), eq(mailQueue.status, "pending")));
    await tx.delete(loginFailures).where(eq(loginFailures.email, user.email));
    await recordAudit(tx, { actorId: user.id, action: "user.password_reset", subjectType: "user", subjectId: user.id, data: {}, at: now });
    return user;
  });
}
