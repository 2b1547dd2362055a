import { createHash, randomBytes } from "node:crypto";
import { createCookie, redirect } from "@remix-run/node";
import { and, eq, gt } from "drizzle-orm";
import { getDb, type DbOrTx } from "../../db/client.server";
import { sessions, users, type User } from "../../db/schema";
import { getConfig } from "../../server/config";
import { can, type Action, type Role } from "./policy";

export const SESSION_DAYS = 14;

/** The signed-in user as the app sees it (never the password hash). */
export interface SessionUser {
  id: string;
  email: string;
  displayName: string;
  roles: Role[];
}

function isSecure(request: Request): boolean {
  return new URL(request.url).protocol === "https:";
}

let cookie: ReturnType<typeof createCookie> | undefined;
function sessionCookie() {
  cookie ??= createCookie("vetted_session", {
    httpOnly: true,
    sameSite: "lax",
    path: "/",
    secrets: [getConfig().sessionSecret],
  });
  return cookie;
}

/**
 * The help-desk panel (/panel) runs framed inside another site's page (Zendesk, Freshdesk, a
 * CRM). There the browser sends only SameSite=None cookies, so the panel has its own session
 * cookie: SameSite=None (which requires Secure; browsers accept Secure cookies from
 * http://localhost too), and Path=/panel so it is never sent to the rest of the app, which stays
 * Lax and unframeable. CSRF stays enforced under /panel with a cookie of its own (csrf.server.ts).
 */
export function isPanelRequest(request: Request): boolean {
  const path = new URL(request.url).pathname;
  return path === "/panel" || path === "/panel.data" || path.startsWith("/panel/");
}

/** A cookie of the framed panel (its session here, its CSRF token in csrf.server.ts). */
export function createPanelCookie(name: string): ReturnType<typeof createCookie> {
  return createCookie(name, {
    httpOnly: true,
    sameSite: "none",
    secure: true,
    // CHIPS: kept per embedding site, so it still works where third-party cookies are blocked.
    partitioned: true,
    path: "/panel",
    secrets: [getConfig().sessionSecret],
  });
}

let panelCookie: ReturnType<typeof createCookie> | undefined;
const panelSessionCookie = () => (panelCookie ??= createPanelCookie("vetted_panel_session"));

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

async function readSessionId(request: Request): Promise<string | null> {
  const header = request.headers.get("Cookie");
  // In the panel, its own session first; the app's (sent when the frame is on the same site) else.
  const value: unknown = (isPanelRequest(request) ? await panelSessionCookie().parse(header) : null) ?? (await sessionCookie().parse(header));
  return typeof value === "string" && value.length > 0 ? value : null;
}

function toSessionUser(u: Pick<User, "id" | "email" | "displayName" | "roles">): SessionUser {
  return { id: u.id, email: u.email, displayName: u.displayName, roles: u.roles as Role[] };
}

/** Opens a server-side session and returns the Set-Cookie header that carries it. */
export async function createUserSession(
  request: Request,
  userId: string,
  options: { db?: DbOrTx; now?: Date } = {},
): Promise<string> {
  const db = options.db ?? getDb();
  const now = options.now ?? new Date();
  const id = randomBytes(32).toString("base64url");
  const expiresAt = new Date(now.getTime() + SESSION_DAYS * 86_400_000);
  await db.insert(sessions).values({ idHash: hashToken(id), userId, createdAt: now, expiresAt });
  return isPanelRequest(request)
    ? panelSessionCookie().serialize(id, { expires: expiresAt })
    : sessionCookie().serialize(id, { secure: isSecure(request), expires: expiresAt });
}

/**
 * The user behind the request's session cookie, or null. A session is only good while it is
 * unexpired, unrevoked and its user active, so deactivating a user ends their sessions at once.
 */
export async function getSessionUser(request: Request): Promise<SessionUser | null> {
  const id = await readSessionId(request);
  if (!id) return null;
  const [row] = await getDb()
    .select({ id: users.id, email: users.email, displayName: users.displayName, roles: users.roles })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.idHash, hashToken(id)), gt(sessions.expiresAt, new Date()), eq(users.active, true)))
    .limit(1);
  return row ? toSessionUser(row) : null;
}

/** The signed-in user; anyone else is sent to the sign-in page and brought back after. */
export async function requireUser(request: Request): Promise<SessionUser> {
  const user = await getSessionUser(request);
  if (!user) {
    const url = new URL(request.url);
    const back = url.pathname + url.search;
    throw redirect(`${isPanelRequest(request) ? "/panel/login" : "/login"}?redirectTo=${encodeURIComponent(back)}`);
  }
  return user;
}

/** 403 with a plain reason: what the role may not do. */
export function forbidden(message = "Your role does not allow this."): Response {
  return new Response(message, { status: 403, statusText: "Forbidden" });
}

/** The signed-in user, who must hold a role that allows `action`; else 403. */
export async function requirePermission(request: Request, action: Action): Promise<SessionUser> {
  const user = await requireUser(request);
  if (!can(user.roles, action)) throw forbidden();
  return user;
}

/** Ends this session server-side and returns the Set-Cookie header that clears the cookie. */
export async function destroyUserSession(request: Request): Promise<string> {
  const id = await readSessionId(request);
  if (id) await getDb().delete(sessions).where(eq(sessions.idHash, hashToken(id)));
  return isPanelRequest(request) ? panelSessionCookie().serialize("", { maxAge: 0 }) : sessionCookie().serialize("", { secure: isSecure(request), maxAge: 0 });
}

/** Ends every session of a user (deactivation, password change). */
export async function revokeUserSessions(db: DbOrTx, userId: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.userId, userId));
}
