import { randomBytes } from "node:crypto";
import { and, asc, count, eq, gt, ilike, or, sql } from "drizzle-orm";
import { getDb, type Db, type DbOrTx } from "../../db/client.server";
import { invites, loginFailures, users, type User } from "../../db/schema";
import { getLogger } from "../../server/logger";
import { passwordProblem } from "../auth/password-policy.server";
import { dummyHash, hashPassword, verifyPassword } from "../auth/password.server";
import type { Role } from "../auth/policy";
import { hashToken, revokeUserSessions } from "../auth/session.server";
import { DomainError } from "../utils/errors";
import { recordAudit } from "./audit.server";
import { passwordSignInAllowed } from "./sso.server";

/** Sign-in throttle: failures counted over this window, per account and per client IP. */
export const THROTTLE_WINDOW_MS = 15 * 60_000;
export const MAX_FAILURES_PER_ACCOUNT = 10;
/** Higher than per account: a whole office can sit behind one address. */
export const MAX_FAILURES_PER_IP = 30;
export const INVITE_DAYS = 7;

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export type SignInResult =
  | { ok: true; user: User }
  | { ok: false; reason: "invalid" | "inactive" | "sso_only" }
  | { ok: false; reason: "throttled"; retryAfterSeconds: number };

/** Wrong guesses from one address at many existing accounts (a password spray) before it waits. */
export const MAX_KNOWN_ACCOUNT_FAILURES_PER_IP = 100;

/**
 * Checks an email and password. Unknown emails cost the same time as wrong passwords, and an
 * invited account without a password answers like a wrong one (no enumeration).
 *
 * The throttle is decided before the password is checked, atomically: under a lock on the email,
 * the recent failures are counted and this attempt is recorded as a failure in the same
 * transaction, so 60 parallel guesses see 0, 1, 2… and only the first ten are checked. A right
 * password then removes its own record.
 *
 * Addresses: an office behind one address must not be locked out by guesses at made-up emails,
 * so failures from an address are counted apart — at unknown emails (MAX_FAILURES_PER_IP) and at
 * existing accounts (a much higher bar; each account also has its own limit).
 */
export async function signIn(
  input: { email: string; password: string; ip: string; now?: Date },
  db: Db = getDb(),
): Promise<SignInResult> {
  const email = normalizeEmail(input.email);
  const now = input.now ?? new Date();
  const since = new Date(now.getTime() - THROTTLE_WINDOW_MS);

  const gate = await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`vetted-login:${email}`}))`);
    const [user] = await tx.select().from(users).where(eq(users.email, email)).limit(1);
    const [byAccount] = await tx
      .select({ n: count(), oldest: sql<string>`min(${loginFailures.at})` })
      .from(loginFailures)
      .where(and(eq(loginFailures.email, email), gt(loginFailures.at, since)));
    // Failures from this address, split by whether the email they tried belongs to an account.
    const [byIp] = await tx
      .select({
        unknown: sql<number>`count(*) filter (where ${users.id} is null)`.mapWith(Number),
        known: sql<number>`count(*) filter (where ${users.id} is not null)`.mapWith(Number),
        oldest: sql<string>`min(${loginFailures.at})`,
      })
      .from(loginFailures)
      .leftJoin(users, eq(users.email, loginFailures.email))
      .where(and(eq(loginFailures.ip, input.ip), gt(loginFailures.at, since)));
    const over =
      (byAccount?.n ?? 0) >= MAX_FAILURES_PER_ACCOUNT
        ? byAccount?.oldest
        : user
          ? (byIp?.known ?? 0) >= MAX_KNOWN_ACCOUNT_FAILURES_PER_IP
            ? byIp?.oldest
            : null
          : (byIp?.unknown ?? 0) >= MAX_FAILURES_PER_IP
            ? byIp?.oldest
            : null;
    if (over !== null && over !== undefined) {
      const freeAt = new Date(over).getTime() + THROTTLE_WINDOW_MS;
      return { kind: "throttled" as const, retryAfterSeconds: Math.max(1, Math.ceil((freeAt - now.getTime()) / 1000)) };
    }
    const [attempt] = await tx.insert(loginFailures).values({ email, ip: input.ip, at: now }).returning({ id: loginFailures.id });
    return { kind: "check" as const, user, attemptId: attempt!.id };
  });
  if (gate.kind === "throttled") return { ok: false, reason: "throttled", retryAfterSeconds: gate.retryAfterSeconds };

  const { user } = gate;
  const valid = await verifyPassword(input.password, user?.passwordHash ?? (await dummyHash()));
  if (!user || !valid || !user.passwordHash) return { ok: false, reason: "invalid" };
  await db.delete(loginFailures).where(eq(loginFailures.id, gate.attemptId));
  // Only someone who knows the password learns that the account is deactivated.
  if (!user.active) return { ok: false, reason: "inactive" };
  // Likewise, only they learn that passwords are off for them (single sign-on, break-glass admins aside).
  if (!(await passwordSignInAllowed(user, db))) return { ok: false, reason: "sso_only" };
  await recordAudit(db, { actorId: user.id, action: "auth.sign_in", subjectType: "user", subjectId: user.id, data: { method: "password", ip: input.ip }, at: now });
  return { ok: true, user };
}

export interface UserListItem {
  id: string;
  email: string;
  displayName: string;
  roles: Role[];
  active: boolean;
  createdAt: Date;
}

export async function listUsers(
  options: { q?: string; page?: number; pageSize?: number } = {},
  db: DbOrTx = getDb(),
): Promise<{ users: UserListItem[]; total: number }> {
  const pageSize = options.pageSize ?? 25;
  const page = Math.max(1, options.page ?? 1);
  const q = options.q?.trim();
  const where = q
    ? or(ilike(users.email, `%${escapeLike(q)}%`), ilike(users.displayName, `%${escapeLike(q)}%`))
    : undefined;
  const [rows, [total]] = await Promise.all([
    db
      .select({
        id: users.id,
        email: users.email,
        displayName: users.displayName,
        roles: users.roles,
        active: users.active,
        createdAt: users.createdAt,
      })
      .from(users)
      .where(where)
      .orderBy(asc(users.displayName), asc(users.email))
      .limit(pageSize)
      .offset((page - 1) * pageSize),
    db.select({ n: count() }).from(users).where(where),
  ]);
  return { users: rows.map((r) => ({ ...r, roles: r.roles as Role[] })), total: total?.n ?? 0 };
}

export function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export async function getUserById(id: string, db: DbOrTx = getDb()): Promise<User | undefined> {
  const [u] = await db.select().from(users).where(eq(users.id, id)).limit(1);
  return u;
}

/**
 * Creates a user without a password and an invite link (valid INVITE_DAYS) that lets them
 * set one. The link is printed to the server log, as there is no mail yet; the admin also sees
 * it once on the page.
 */
export async function createUserWithInvite(
  input: { email: string; displayName: string; roles: Role[]; actorId: string | null; baseUrl: string; now?: Date },
  db: Db = getDb(),
): Promise<{ user: User; inviteUrl: string }> {
  const email = normalizeEmail(input.email);
  const now = input.now ?? new Date();
  const token = randomBytes(24).toString("base64url");
  const user = await db.transaction(async (tx) => {
    const [existing] = await tx.select({ id: users.id }).from(users).where(eq(users.email, email)).limit(1);
    if (existing) throw new DomainError("conflict", "A user with this email already exists.", { field: "email" });
    // Two admins (or a double click) creating one user at once: the unique email decides, and
    // the loser gets the same clear conflict as above instead of a unique-violation 500.
    const [created] = await tx
      .insert(users)
      .values({ email, displayName: input.displayName.trim(), roles: input.roles, createdAt: now, updatedAt: now })
      .onConflictDoNothing({ target: users.email })
      .returning();
    if (!created) throw new DomainError("conflict", "A user with this email already exists.", { field: "email" });
    await tx.insert(invites).values({
      tokenHash: hashToken(token),
      userId: created.id,
      createdAt: now,
      expiresAt: new Date(now.getTime() + INVITE_DAYS * 86_400_000),
    });
    await recordAudit(tx, {
      actorId: input.actorId,
      action: "user.create",
      subjectType: "user",
      subjectId: created.id,
      data: { email, roles: input.roles },
      at: now,
    });
    return created;
  });
  const inviteUrl = `${input.baseUrl.replace(/\/$/, "")}/invite/${token}`;
  getLogger().info({ email, inviteUrl }, "invite link created: send it to the new user");
  return { user, inviteUrl };
}

/** The user an unexpired, unused invite belongs to. */
export async function findInvite(token: string, now = new Date(), db: DbOrTx = getDb()) {
  const [row] = await db
    .select({ userId: invites.userId, email: users.email, displayName: users.displayName, active: users.active })
    .from(invites)
    .innerJoin(users, eq(users.id, invites.userId))
    .where(and(eq(invites.tokenHash, hashToken(token)), gt(invites.expiresAt, now), sql`${invites.usedAt} is null`))
    .limit(1);
  return row && row.active ? row : undefined;
}

/** Sets the password from an invite and spends the invite, in one transaction. */
export async function acceptInvite(
  input: { token: string; password: string; now?: Date },
  db: Db = getDb(),
): Promise<User> {
  const now = input.now ?? new Date();
  const problem = passwordProblem(input.password);
  if (problem) throw new DomainError("bad_request", problem, { field: "password" });
  const passwordHash = await hashPassword(input.password);
  return db.transaction(async (tx) => {
    const invite = await findInvite(input.token, now, tx);
    if (!invite) throw new DomainError("not_found", "This invite link has expired or was already used. Ask an admin for a new one.");
    const spent = await tx
      .update(invites)
      .set({ usedAt: now })
      .where(and(eq(invites.tokenHash, hashToken(input.token)), sql`${invites.usedAt} is null`))
      .returning({ userId: invites.userId });
    if (spent.length !== 1) throw new DomainError("conflict", "This invite link was just used.");
    const [user] = await tx
      .update(users)
      .set({ passwordHash, updatedAt: now })
      .where(eq(users.id, invite.userId))
      .returning();
    if (!user) throw new Error("invited user vanished");
    return user;
  });
}

export async function setUserRoles(
  input: { userId: string; roles: Role[]; actorId: string; now?: Date },
  db: Db = getDb(),
): Promise<void> {
  const now = input.now ?? new Date();
  await db.transaction(async (tx) => {
    const before = await getUserById(input.userId, tx);
    if (!before) throw new DomainError("not_found", "No such user.");
    if (input.userId === input.actorId && !input.roles.includes("admin")) {
      throw new DomainError("bad_request", "You cannot remove your own admin role.", { field: "roles" });
    }
    await tx.update(users).set({ roles: input.roles, updatedAt: now }).where(eq(users.id, input.userId));
    await recordAudit(tx, {
      actorId: input.actorId,
      action: "user.roles",
      subjectType: "user",
      subjectId: input.userId,
      data: { from: before.roles, to: input.roles },
      at: now,
    });
  });
}

/** Deactivating ends the user's sessions in the same transaction. */
export async function setUserActive(
  input: { userId: string; active: boolean; actorId: string; now?: Date },
  db: Db = getDb(),
): Promise<void> {
  const now = input.now ?? new Date();
  await db.transaction(async (tx) => {
    if (input.userId === input.actorId && !input.active) {
      throw new DomainError("bad_request", "You cannot deactivate yourself.");
    }
    const updated = await tx
      .update(users)
      .set({ active: input.active, updatedAt: now })
      .where(eq(users.id, input.userId))
      .returning({ id: users.id });
    if (updated.length === 0) throw new DomainError("not_found", "No such user.");
    if (!input.active) await revokeUserSessions(tx, input.userId);
    await recordAudit(tx, {
      actorId: input.actorId,
      action: input.active ? "user.reactivate" : "user.deactivate",
      subjectType: "user",
      subjectId: input.userId,
      at: now,
    });
  });
}
