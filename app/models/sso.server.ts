import { createHash } from "node:crypto";
import { createCookie } from "@remix-run/node";
import { and, eq, gt, inArray, lt, sql } from "drizzle-orm";
import * as oidc from "openid-client";
import { z } from "zod";
import { getDb, type Db, type DbOrTx } from "../../db/client.server";
import { appSettings, ssoStates, userIdentities, users, type User } from "../../db/schema";
import { getConfig } from "../../server/config";
import { getLogger } from "../../server/logger";
import { ROLES, type Role } from "../auth/policy";
import { hashToken } from "../auth/session.server";
import { DomainError } from "../utils/errors";
import { safeRedirect } from "../utils/http.server";
import { recordAudit } from "./audit.server";
import { RateLimiter } from "./rate-limit.server";
import { breakGlassEmails, parseRoleRules, PASSWORD_MODES, type PasswordMode, type SsoSettingsForm } from "./sso.schema";

export const SSO_SETTINGS_KEY = "sso";
/** How long a sign-in may spend at the provider before its state expires. */
export const SSO_STATE_MINUTES = 10;
export const SSO_CALLBACK_PATH = "/auth/sso/callback";

const RoleRule = z.object({ value: z.string().min(1), role: z.enum(ROLES) });
/** What the admin stores (app_settings "sso"); the secret never leaves the server. */
const StoredSettings = z.object({
  name: z.string().default(""),
  issuer: z.string().default(""),
  clientId: z.string().default(""),
  clientSecret: z.string().default(""),
  claim: z.string().default("groups"),
  rules: z.array(RoleRule).default([]),
  defaultRole: z.enum(ROLES).default("employee"),
  passwordSignIn: z.enum(PASSWORD_MODES).default("everyone"),
  breakGlassEmails: z.array(z.string()).default([]),
});
export type SsoSettings = z.infer<typeof StoredSettings>;

export interface SsoProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** "Sign in with <name>" */
  name: string;
  source: "environment" | "settings";
}

export async function getSsoSettings(db: DbOrTx = getDb()): Promise<SsoSettings> {
  const [row] = await db.select().from(appSettings).where(eq(appSettings.key, SSO_SETTINGS_KEY));
  const parsed = StoredSettings.safeParse(row?.value ?? {});
  return parsed.success ? parsed.data : StoredSettings.parse({});
}

/** The provider in force: the environment's (OIDC_*) when set, else the admin's, else none. */
export function providerFrom(settings: SsoSettings): SsoProvider | null {
  const env = getConfig().oidc;
  const name = settings.name || env?.name || "single sign-on";
  if (env) return { ...env, name: env.name ?? (settings.name || "single sign-on"), source: "environment" };
  if (settings.issuer && settings.clientId && settings.clientSecret) {
    return { issuer: settings.issuer, clientId: settings.clientId, clientSecret: settings.clientSecret, name, source: "settings" };
  }
  return null;
}

/** What the sign-in page needs: whether to offer SSO, and whether to show the password form. */
export async function signInOptions(db: DbOrTx = getDb()): Promise<{ sso: { name: string } | null; passwordForEveryone: boolean }> {
  const settings = await getSsoSettings(db);
  const provider = providerFrom(settings);
  return { sso: provider ? { name: provider.name } : null, passwordForEveryone: !provider || settings.passwordSignIn === "everyone" };
}

/**
 * Password sign-in is refused once an admin turned it off, except for the named break-glass
 * admins: the way in when the identity provider is down or misconfigured. Without a working
 * provider configuration the switch has no effect, so nobody is locked out by a half setup.
 */
export async function passwordSignInAllowed(user: Pick<User, "email" | "roles">, db: DbOrTx = getDb()): Promise<boolean> {
  const settings = await getSsoSettings(db);
  if (settings.passwordSignIn === "everyone" || !providerFrom(settings)) return true;
  return isBreakGlass(user, settings);
}

function isBreakGlass(user: Pick<User, "email" | "roles">, settings: SsoSettings): boolean {
  return settings.breakGlassEmails.includes(user.email.toLowerCase()) && (user.roles as Role[]).includes("admin");
}

/** The settings page's view: everything but the secret, which shows only as set or not. */
export async function ssoSettingsView(db: DbOrTx = getDb()) {
  const settings = await getSsoSettings(db);
  const env = getConfig().oidc;
  const { clientSecret, ...rest } = settings;
  return {
    ...rest,
    secretSet: clientSecret !== "",
    environment: env ? { issuer: env.issuer, clientId: env.clientId, name: env.name ?? "" } : null,
    active: providerFrom(settings) !== null,
  };
}

/** Saves the admin's settings in one transaction with its audit entry (which never holds the secret). */
export async function saveSsoSettings(
  form: SsoSettingsForm,
  actorId: string,
  db: Db = getDb(),
): Promise<{ ok: true } | { ok: false; errors: Record<string, string[]> }> {
  const rules = parseRoleRules(form.rules);
  if (!rules.ok) return { ok: false, errors: { rules: [rules.message] } };
  const emails = breakGlassEmails(form.breakGlass);
  type Saved = { ok: true } | { ok: false; errors: Record<string, string[]> };
  return db.transaction(async (tx): Promise<Saved> => {
    const before = await getSsoSettings(tx);
    // While the environment names the provider the form has no provider fields: keep what is stored.
    const fromEnv = getConfig().oidc !== undefined;
    const next: SsoSettings = {
      name: form.name,
      issuer: fromEnv ? before.issuer : form.issuer,
      clientId: fromEnv ? before.clientId : form.clientId,
      clientSecret: fromEnv ? before.clientSecret : form.clearSecret === "on" ? "" : form.clientSecret || before.clientSecret,
      claim: form.claim || "groups",
      rules: rules.rules,
      defaultRole: form.defaultRole,
      passwordSignIn: form.passwordSignIn,
      breakGlassEmails: emails,
    };
    if ((next.issuer || next.clientId) && !getConfig().oidc && !(next.issuer && next.clientId && next.clientSecret)) {
      return { ok: false, errors: { issuer: ["Enter the issuer, the client id and the client secret together (or none of them)."] } };
    }
    if (next.passwordSignIn === "break_glass") {
      if (!providerFrom(next)) return { ok: false, errors: { passwordSignIn: ["Set up the identity provider before you turn password sign-in off."] } };
      if (emails.length === 0) return { ok: false, errors: { breakGlass: ["Name at least one break-glass admin, who can still sign in with a password."] } };
      const found = await tx.select({ email: users.email, roles: users.roles, active: users.active, passwordHash: users.passwordHash }).from(users).where(inArray(users.email, emails));
      const usable = new Set(found.filter((u) => u.active && u.passwordHash && (u.roles as Role[]).includes("admin")).map((u) => u.email));
      const missing = emails.filter((e) => !usable.has(e));
      if (missing.length > 0) {
        return { ok: false, errors: { breakGlass: [`Not an active admin with a password: ${missing.join(", ")}.`] } };
      }
    }
    const now = new Date();
    await tx
      .insert(appSettings)
      .values({ key: SSO_SETTINGS_KEY, value: next, updatedAt: now })
      .onConflictDoUpdate({ target: appSettings.key, set: { value: next, updatedAt: now } });
    const { clientSecret: _secret, ...audited } = next;
    await recordAudit(tx, {
      actorId,
      action: "settings.sso",
      subjectType: "settings",
      subjectId: SSO_SETTINGS_KEY,
      data: { ...audited, secretChanged: next.clientSecret !== before.clientSecret },
      at: now,
    });
    return { ok: true };
  });
}

// ---- Role mapping ----------------------------------------------------------------------------

/**
 * The roles a person gets from the provider's claim: every rule whose value the claim holds
 * (a string or a list of strings) adds its role; when none matches, the default role.
 */
export function mapRoles(claim: unknown, settings: Pick<SsoSettings, "rules" | "defaultRole">): Role[] {
  const values = new Set((Array.isArray(claim) ? claim : [claim]).filter((v): v is string => typeof v === "string"));
  const matched = ROLES.filter((role) => settings.rules.some((r) => r.role === role && values.has(r.value)));
  return matched.length > 0 ? matched : [settings.defaultRole];
}

// ---- The code flow ---------------------------------------------------------------------------

/**
 * Discovery is a network round trip: one per provider configuration per process. http:// is
 * refused (openid-client's default) except on the loopback interface, where no network sits
 * between us and the provider (the tests' provider; a local development one).
 */
const configurations = new Map<string, Promise<oidc.Configuration>>();
function configurationFor(provider: SsoProvider): Promise<oidc.Configuration> {
  const key = createHash("sha256").update(JSON.stringify([provider.issuer, provider.clientId, provider.clientSecret])).digest("hex");
  let found = configurations.get(key);
  if (!found) {
    const url = new URL(provider.issuer);
    const loopback = url.protocol === "http:" && ["127.0.0.1", "localhost", "[::1]"].includes(url.hostname);
    found = oidc.discovery(url, provider.clientId, undefined, oidc.ClientSecretBasic(provider.clientSecret), loopback ? { execute: [oidc.allowInsecureRequests] } : undefined);
    // A failed discovery (provider down) is tried again on the next sign-in.
    found.catch(() => configurations.delete(key));
    configurations.set(key, found);
  }
  return found;
}

let stateCookie: ReturnType<typeof createCookie> | undefined;
/**
 * Binds a sign-in to the browser that started it: the callback must bring back the state this
 * signed cookie holds, so nobody can finish their sign-in in someone else's browser (login CSRF).
 * SameSite=Lax is sent on the provider's top-level redirect back to us.
 */
function ssoCookie() {
  stateCookie ??= createCookie("vetted_sso", {
    httpOnly: true,
    sameSite: "lax",
    path: "/auth/sso",
    maxAge: SSO_STATE_MINUTES * 60,
    secrets: [getConfig().sessionSecret],
  });
  return stateCookie;
}

export function ssoRedirectUri(request: Request): string {
  const base = (getConfig().publicUrl ?? new URL(request.url).origin).replace(/\/+$/, "");
  return `${base}${SSO_CALLBACK_PATH}`;
}

/**
 * Each start stores a row for ten minutes: a client may start SSO_STARTS_BURST sign-ins at once,
 * then one every ten seconds (per address, shared by every instance), so nobody fills the table.
 */
export const SSO_STARTS_BURST = 30;
const startLimiter = new RateLimiter(SSO_STARTS_BURST, 0.1);

/** Leaves for the provider: the authorization URL and the cookie that remembers this attempt. */
export async function startSsoSignIn(
  request: Request,
  input: { redirectTo?: string | undefined; ip: string; now?: Date },
  db: DbOrTx = getDb(),
): Promise<{ ok: true; url: string; setCookie: string } | { ok: false; status: 404 | 429 | 503; message: string; retryAfterSeconds?: number }> {
  const allowance = await startLimiter.take(`sso-start:${input.ip}`, (input.now ?? new Date()).getTime(), db);
  if (!allowance.ok) {
    return { ok: false, status: 429, message: "Too many sign-ins started from here. Wait a minute and try again.", retryAfterSeconds: allowance.retryAfterSeconds };
  }
  const provider = providerFrom(await getSsoSettings(db));
  if (!provider) return { ok: false, status: 404, message: "Single sign-on is not set up. Sign in with your password." };
  let config: oidc.Configuration;
  try {
    config = await configurationFor(provider);
  } catch (error) {
    getLogger().warn({ issuer: provider.issuer, err: (error as Error).message }, "OpenID provider discovery failed");
    return { ok: false, status: 503, message: `${provider.name} cannot be reached right now. Try again in a minute.` };
  }
  const now = input.now ?? new Date();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const codeVerifier = oidc.randomPKCECodeVerifier();
  await db.delete(ssoStates).where(lt(ssoStates.expiresAt, now));
  await db.insert(ssoStates).values({
    stateHash: hashToken(state),
    nonce,
    codeVerifier,
    redirectTo: safeRedirect(input.redirectTo),
    createdAt: now,
    expiresAt: new Date(now.getTime() + SSO_STATE_MINUTES * 60_000),
  });
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: ssoRedirectUri(request),
    scope: "openid email profile",
    response_type: "code",
    state,
    nonce,
    code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: "S256",
  });
  const secure = new URL(request.url).protocol === "https:";
  return { ok: true, url: url.href, setCookie: await ssoCookie().serialize(state, { secure }) };
}

export type SsoRefusal =
  | "state_mismatch"
  | "state_expired"
  | "provider_error"
  | "token_error"
  | "no_email"
  | "unverified_email"
  | "inactive";

export type SsoResult =
  | { ok: true; user: User; redirectTo: string; clearCookie: string }
  | { ok: false; reason: SsoRefusal; status: 400 | 403 | 502; message: string; clearCookie: string };

const MESSAGES: Record<SsoRefusal, [400 | 403 | 502, string]> = {
  state_mismatch: [400, "This sign-in did not start in this browser, or its link was altered. Start again from the sign-in page."],
  state_expired: [400, "This sign-in link has expired or was already used. Start again from the sign-in page."],
  provider_error: [400, "The identity provider did not sign you in. Start again from the sign-in page."],
  token_error: [400, "The identity provider's answer could not be verified. Start again from the sign-in page."],
  no_email: [403, "Your identity provider did not share your email address, which Vetted needs. Ask your IT team."],
  unverified_email: [403, "Your identity provider has not verified your email address, so Vetted cannot sign you in with it. Ask your IT team."],
  inactive: [403, "This account has been deactivated. Ask an admin to reactivate it."],
};

/** Comes back from the provider: checks state, PKCE and nonce, then signs the person in. */
export async function completeSsoSignIn(request: Request, input: { now?: Date } = {}, db: Db = getDb()): Promise<SsoResult> {
  const now = input.now ?? new Date();
  const secure = new URL(request.url).protocol === "https:";
  const clearCookie = await ssoCookie().serialize("", { secure, maxAge: 0 });
  const refuse = async (reason: SsoRefusal, detail: Record<string, unknown> = {}): Promise<SsoResult> => {
    await recordAudit(db, { actorId: null, action: "auth.sign_in_refused", subjectType: "sso", subjectId: String(detail.subject ?? "-"), data: { method: "sso", reason, ...detail }, at: now });
    const [status, message] = MESSAGES[reason];
    return { ok: false, reason, status, message, clearCookie };
  };

  const params = new URL(request.url).searchParams;
  const expected: unknown = await ssoCookie().parse(request.headers.get("Cookie"));
  const returned = params.get("state");
  if (typeof expected !== "string" || !returned || expected !== returned) return refuse("state_mismatch");
  // Spent here whatever happens next: a callback can be played once.
  const [attempt] = await db
    .delete(ssoStates)
    .where(and(eq(ssoStates.stateHash, hashToken(expected)), gt(ssoStates.expiresAt, now)))
    .returning();
  if (!attempt) return refuse("state_expired");
  if (params.has("error")) return refuse("provider_error", { error: params.get("error")?.slice(0, 100) });

  const settings = await getSsoSettings(db);
  const provider = providerFrom(settings);
  if (!provider) return refuse("provider_error", { error: "not configured" });
  let claims: Record<string, unknown>;
  try {
    const config = await configurationFor(provider);
    const currentUrl = new URL(ssoRedirectUri(request));
    currentUrl.search = params.toString();
    const tokens = await oidc.authorizationCodeGrant(config, currentUrl, {
      pkceCodeVerifier: attempt.codeVerifier,
      expectedState: expected,
      expectedNonce: attempt.nonce,
      idTokenExpected: true,
    });
    const idClaims = tokens.claims();
    if (!idClaims) return refuse("token_error");
    claims = { ...idClaims };
    // Many providers (oidc-provider among them) put email and groups in /userinfo only.
    if (config.serverMetadata().userinfo_endpoint) {
      const info = await oidc.fetchUserInfo(config, tokens.access_token, idClaims.sub);
      claims = { ...info, ...idClaims, ...pick(info, ["email", "email_verified", "name", settings.claim]) };
    }
  } catch (error) {
    getLogger().warn({ issuer: provider.issuer, err: (error as Error).message }, "OpenID sign-in refused");
    // Which check failed (e.g. the claim "nonce"), for the admin reading the audit log.
    // openid-client wraps the failed check: the claim sits on the cause (or the cause's cause).
    type Caused = { cause?: Caused; claim?: unknown };
    const cause = [(error as Caused).cause, (error as Caused).cause?.cause].find((c) => typeof c?.claim === "string");
    return refuse("token_error", { error: (error as Error).message.slice(0, 200), ...(typeof cause?.claim === "string" ? { claim: cause.claim } : {}) });
  }
  const result = await signInWithIdentity({ issuer: provider.issuer, claims, settings, now }, db);
  if (!result.ok) return refuse(result.reason, { subject: result.userId ?? claims.sub, email: typeof claims.email === "string" ? claims.email : undefined });
  return { ok: true, user: result.user, redirectTo: attempt.redirectTo, clearCookie };
}

function pick(from: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((k) => from[k] !== undefined).map((k) => [k, from[k]]));
}

/**
 * Finds or creates the Vetted user for a verified identity, in one transaction:
 * 1. an identity already linked (issuer + subject) wins;
 * 2. else an existing user with the same email is linked, only if the provider says the email
 *    is verified (an unverified address could be anyone's: linking on it hands over the account);
 * 3. else a user is created just in time, again only with a verified email.
 * Roles come from the claim on every sign-in, so a change of group at the provider shows at the
 * next sign-in; break-glass admins keep theirs (the provider must not be able to lock them out).
 */
export async function signInWithIdentity(
  input: { issuer: string; claims: Record<string, unknown>; settings: SsoSettings; now: Date },
  db: Db = getDb(),
): Promise<{ ok: true; user: User } | { ok: false; reason: "no_email" | "unverified_email" | "inactive"; userId?: string }> {
  const { claims, settings, now } = input;
  const subject = String(claims.sub);
  const email = typeof claims.email === "string" ? claims.email.trim().toLowerCase() : "";
  const verified = claims.email_verified === true || claims.email_verified === "true";
  const displayName = (typeof claims.name === "string" && claims.name.trim()) || email.split("@")[0] || "New user";
  const roles = mapRoles(claims[settings.claim], settings);
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`vetted-sso:${input.issuer}:${subject}`}))`);
    const [linked] = await tx
      .select({ user: users })
      .from(userIdentities)
      .innerJoin(users, eq(users.id, userIdentities.userId))
      .where(and(eq(userIdentities.issuer, input.issuer), eq(userIdentities.subject, subject)))
      .limit(1);
    let user = linked?.user;
    let how: "linked" | "matched_email" | "created" = "linked";
    if (!user) {
      if (!email) return { ok: false as const, reason: "no_email" as const };
      if (!verified) return { ok: false as const, reason: "unverified_email" as const };
      [user] = await tx.select().from(users).where(eq(users.email, email)).limit(1);
      how = "matched_email";
      if (!user) {
        [user] = await tx
          .insert(users)
          .values({ email, displayName: displayName.slice(0, 200), roles, createdAt: now, updatedAt: now })
          .onConflictDoNothing({ target: users.email })
          .returning();
        if (!user) throw new DomainError("conflict", "This account was just created; sign in again.");
        how = "created";
        await recordAudit(tx, { actorId: null, action: "user.create", subjectType: "user", subjectId: user.id, data: { email, roles, via: "sso" }, at: now });
      }
      if (!user.active) return { ok: false as const, reason: "inactive" as const, userId: user.id };
      await tx.insert(userIdentities).values({ issuer: input.issuer, subject, userId: user.id, createdAt: now });
    }
    if (!user.active) return { ok: false as const, reason: "inactive" as const, userId: user.id };
    const current = [...(user.roles as Role[])].sort();
    if (how !== "created" && !isBreakGlass(user, settings) && current.join() !== [...roles].sort().join()) {
      [user] = await tx.update(users).set({ roles, updatedAt: now }).where(eq(users.id, user.id)).returning();
      await recordAudit(tx, { actorId: null, action: "user.roles", subjectType: "user", subjectId: user!.id, data: { from: current, to: roles, via: "sso" }, at: now });
    }
    await tx.update(userIdentities).set({ lastSignInAt: now }).where(and(eq(userIdentities.issuer, input.issuer), eq(userIdentities.subject, subject)));
    await recordAudit(tx, { actorId: user!.id, action: "auth.sign_in", subjectType: "user", subjectId: user!.id, data: { method: "sso", issuer: input.issuer, link: how }, at: now });
    return { ok: true as const, user: user! };
  });
}

export type { PasswordMode };
