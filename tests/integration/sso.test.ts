import { and, count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setUserActive } from "../../app/models/user.server";
import { saveSsoSettings, SSO_STARTS_BURST } from "../../app/models/sso.server";
import { auditLog, sessions, ssoStates, userIdentities, users } from "../../db/schema";
import { TestClient } from "../support/app";
import { useFreshDatabase } from "../support/db";
import { createUser, TEST_PASSWORD } from "../support/factories";
import { signInAtIdp, startTestIdp, type TestIdp } from "../support/oidc-provider";

// Single sign-on against a real OpenID provider (oidc-provider on a loopback port), through the
// real Remix build: the sign-in button's form, the provider's login and consent pages, our callback.
const database = useFreshDatabase();
const db = () => database.current.db;
let idp: TestIdp;
let admin: Awaited<ReturnType<typeof createUser>>;

const RULES = "vetted-experts = expert\nvetted-admins = admin\nsupport = agent";

async function configure(overrides: Partial<Parameters<typeof saveSsoSettings>[0]> = {}) {
  const saved = await saveSsoSettings(
    {
      name: "Acme",
      issuer: idp.issuer,
      clientId: idp.clientId,
      clientSecret: idp.clientSecret,
      claim: "groups",
      rules: RULES,
      defaultRole: "employee",
      passwordSignIn: "everyone",
      breakGlass: "",
      ...overrides,
    },
    admin.id,
    db(),
  );
  expect(saved).toEqual({ ok: true });
}

/** Clicks "Sign in with Acme" and returns where the app sends the browser (the provider). */
async function start(client: TestClient, redirectTo = "/"): Promise<string> {
  const login = await client.page("/login");
  expect(login.html).toContain("Sign in with Acme");
  const res = await client.post("/auth/sso/start", { redirectTo });
  expect(res.status).toBe(302);
  const location = res.headers.get("Location")!;
  expect(location.startsWith(`${idp.issuer}/auth?`)).toBe(true);
  const params = new URL(location).searchParams;
  expect(params.get("code_challenge_method")).toBe("S256");
  expect(params.get("state")).toBeTruthy();
  expect(params.get("nonce")).toBeTruthy();
  return location;
}

const callbackPath = (url: URL) => url.pathname + url.search;

/** The whole sign-in: our button, the provider's pages as `login`, our callback. */
async function ssoSignIn(login: string, client = new TestClient()) {
  const callback = await signInAtIdp(await start(client), login);
  const res = await client.request(callbackPath(callback));
  return { client, res, callback };
}

async function userByEmail(email: string) {
  const [u] = await db().select().from(users).where(eq(users.email, email));
  return u;
}

async function sessionsOf(userId: string) {
  const [row] = await db().select({ n: count() }).from(sessions).where(eq(sessions.userId, userId));
  return row?.n ?? 0;
}

beforeAll(async () => {
  idp = await startTestIdp(["http://localhost/auth/sso/callback"]);
  admin = await createUser(db(), { roles: ["admin"], email: "root@example.test" });
  await configure();
});
afterAll(async () => {
  await idp?.close();
});

describe("single sign-on with a real OpenID provider", () => {
  it("creates a new employee just in time with the roles their groups map to, and signs them in", async () => {
    idp.accounts.set("nora", { email: "Nora@Example.test", email_verified: true, name: "Nora New", groups: ["vetted-experts", "other"] });
    const { client, res } = await ssoSignIn("nora");
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/");
    expect(client.cookies.has("vetted_session")).toBe(true);
    expect(client.cookies.has("vetted_sso")).toBe(false);
    const nora = await userByEmail("nora@example.test");
    expect(nora).toMatchObject({ displayName: "Nora New", roles: ["expert"], passwordHash: null, active: true });
    const home = await client.page("/");
    expect(home.response.status).toBe(200);
    expect(home.html).toContain("Nora New");
    const [identity] = await db().select().from(userIdentities).where(eq(userIdentities.userId, nora!.id));
    expect(identity).toMatchObject({ issuer: idp.issuer, subject: "nora" });
    const audit = await db().select().from(auditLog).where(and(eq(auditLog.subjectId, nora!.id), eq(auditLog.action, "auth.sign_in")));
    expect(audit).toHaveLength(1);
    expect(audit[0]!.data).toMatchObject({ method: "sso", link: "created" });
  });

  it("refreshes the roles at a later sign-in when the groups changed, and audits the change", async () => {
    idp.accounts.set("omar", { email: "omar@example.test", email_verified: true, name: "Omar", groups: ["support"] });
    expect((await ssoSignIn("omar")).res.status).toBe(302);
    expect((await userByEmail("omar@example.test"))!.roles).toEqual(["agent"]);
    idp.accounts.set("omar", { email: "omar@example.test", email_verified: true, name: "Omar", groups: ["vetted-admins", "vetted-experts"] });
    expect((await ssoSignIn("omar")).res.status).toBe(302);
    const omar = await userByEmail("omar@example.test");
    expect([...omar!.roles].sort()).toEqual(["admin", "expert"]);
    idp.accounts.set("omar", { email: "omar@example.test", email_verified: true, name: "Omar", groups: [] });
    expect((await ssoSignIn("omar")).res.status).toBe(302);
    expect((await userByEmail("omar@example.test"))!.roles).toEqual(["employee"]);
    const changes = await db().select().from(auditLog).where(and(eq(auditLog.subjectId, omar!.id), eq(auditLog.action, "user.roles")));
    expect(changes.map((c) => c.data.via)).toEqual(["sso", "sso"]);
  });

  it("links an existing user by verified email: same account, no second user", async () => {
    const existing = await createUser(db(), { email: "pat@example.test", roles: ["knowledge_manager"] });
    idp.accounts.set("pat-at-idp", { email: "PAT@example.test", email_verified: true, groups: ["vetted-experts"] });
    const { res } = await ssoSignIn("pat-at-idp");
    expect(res.status).toBe(302);
    const [identity] = await db().select().from(userIdentities).where(eq(userIdentities.subject, "pat-at-idp"));
    expect(identity!.userId).toBe(existing.id);
    const [n] = await db().select({ n: count() }).from(users).where(eq(users.email, "pat@example.test"));
    expect(n!.n).toBe(1);
    expect((await userByEmail("pat@example.test"))!.roles).toEqual(["expert"]);
    // Their password still works while passwords are on for everyone.
    expect((await new TestClient("198.51.100.40").signIn("pat@example.test", TEST_PASSWORD)).status).toBe(302);
  });

  it("refuses an unverified email: no link to the existing account, no new user, no session", async () => {
    const victim = await createUser(db(), { email: "quinn@example.test", roles: ["admin"] });
    idp.accounts.set("mallory", { email: "quinn@example.test", email_verified: false, groups: ["vetted-admins"] });
    const { client, res } = await ssoSignIn("mallory");
    expect(res.status).toBe(403);
    expect(await res.text()).toContain("has not verified your email address");
    expect(client.cookies.has("vetted_session")).toBe(false);
    expect(await sessionsOf(victim.id)).toBe(0);
    expect(await db().select().from(userIdentities).where(eq(userIdentities.subject, "mallory"))).toHaveLength(0);
    idp.accounts.set("newbie", { email: "newbie@example.test", email_verified: false });
    expect((await ssoSignIn("newbie")).res.status).toBe(403);
    expect(await userByEmail("newbie@example.test")).toBeUndefined();
    const refused = await db().select().from(auditLog).where(eq(auditLog.action, "auth.sign_in_refused"));
    expect(refused.map((r) => r.data.reason)).toContain("unverified_email");
  });

  it("refuses a deactivated user, linked or not", async () => {
    idp.accounts.set("rita", { email: "rita@example.test", email_verified: true });
    expect((await ssoSignIn("rita")).res.status).toBe(302);
    const rita = await userByEmail("rita@example.test");
    await setUserActive({ userId: rita!.id, active: false, actorId: admin.id }, db());
    const { client, res } = await ssoSignIn("rita");
    expect(res.status).toBe(403);
    expect(await res.text()).toContain("deactivated");
    expect(client.cookies.has("vetted_session")).toBe(false);
    // Not yet linked: found by email, refused all the same, and not linked.
    const sam = await createUser(db(), { email: "sam@example.test", active: false });
    idp.accounts.set("sam", { email: "sam@example.test", email_verified: true });
    expect((await ssoSignIn("sam")).res.status).toBe(403);
    expect(await sessionsOf(sam.id)).toBe(0);
    expect(await db().select().from(userIdentities).where(eq(userIdentities.userId, sam.id))).toHaveLength(0);
  });

  it("refuses a tampered state, and a callback without the browser's cookie", async () => {
    idp.accounts.set("tess", { email: "tess@example.test", email_verified: true });
    const client = new TestClient();
    const callback = await signInAtIdp(await start(client), "tess");
    const tampered = new URL(callback);
    tampered.searchParams.set("state", `${callback.searchParams.get("state")}x`);
    const res = await client.request(callbackPath(tampered));
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("did not start in this browser");
    // Someone else's browser (no cookie) with the genuine link: refused too (login CSRF).
    const other = await new TestClient().request(callbackPath(callback));
    expect(other.status).toBe(400);
    expect(await userByEmail("tess@example.test")).toBeUndefined();
  });

  it("refuses a replayed callback, and a replayed code under a fresh state", async () => {
    idp.accounts.set("uma", { email: "uma@example.test", email_verified: true });
    const client = new TestClient();
    const callback = await signInAtIdp(await start(client), "uma");
    const stateCookie = client.cookies.get("vetted_sso")!;
    expect((await client.request(callbackPath(callback))).status).toBe(302);
    const uma = await userByEmail("uma@example.test");
    const before = await sessionsOf(uma!.id);
    // The same callback again, cookie and all: its state was spent.
    const replay = new TestClient();
    replay.cookies.set("vetted_sso", stateCookie);
    const again = await replay.request(callbackPath(callback));
    expect(again.status).toBe(400);
    expect(await again.text()).toContain("expired or was already used");
    // The old code with a new, genuine state: the provider refuses the spent code.
    const attacker = new TestClient();
    const fresh = new URL(await start(attacker));
    const forged = new URL(callback);
    forged.searchParams.set("state", fresh.searchParams.get("state")!);
    const res = await attacker.request(callbackPath(forged));
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("could not be verified");
    expect(await sessionsOf(uma!.id)).toBe(before);
  });

  it("refuses an ID token whose nonce is not the one this sign-in sent", async () => {
    idp.accounts.set("vic", { email: "vic@example.test", email_verified: true });
    const client = new TestClient();
    const authUrl = await start(client);
    // The nonce we keep for this attempt no longer matches what went to the provider.
    await db().update(ssoStates).set({ nonce: "a-different-nonce-0123456789" });
    const callback = await signInAtIdp(authUrl, "vic");
    const res = await client.request(callbackPath(callback));
    expect(res.status).toBe(400);
    expect(client.cookies.has("vetted_session")).toBe(false);
    expect(await userByEmail("vic@example.test")).toBeUndefined();
    const refusals = await db().select().from(auditLog).where(eq(auditLog.action, "auth.sign_in_refused"));
    expect(refusals.map((r) => r.data)).toContainEqual(expect.objectContaining({ reason: "token_error", claim: "nonce" }));
  });

  it("takes the sign-in back to the page it started from", async () => {
    idp.accounts.set("wes", { email: "wes@example.test", email_verified: true });
    const client = new TestClient();
    const callback = await signInAtIdp(await start(client, "/search?q=vpn"), "wes");
    const res = await client.request(callbackPath(callback));
    expect(res.headers.get("Location")).toBe("/search?q=vpn");
    // An outside address is never a destination.
    const evil = new TestClient();
    const cb2 = await signInAtIdp(await start(evil, "https://evil.example/"), "wes");
    expect((await evil.request(callbackPath(cb2))).headers.get("Location")).toBe("/");
  });
});

describe("starting sign-ins", () => {
  it("limits how many sign-ins one address may start", async () => {
    const client = new TestClient("198.51.100.99");
    await client.page("/login");
    const statuses: number[] = [];
    for (let i = 0; i < SSO_STARTS_BURST + 1; i++) statuses.push((await client.post("/auth/sso/start", { redirectTo: "/" })).status);
    expect(statuses.slice(0, SSO_STARTS_BURST).every((s) => s === 302)).toBe(true);
    const last = await client.post("/auth/sso/start", { redirectTo: "/" });
    expect(last.status).toBe(429);
    expect(Number(last.headers.get("Retry-After"))).toBeGreaterThan(0);
    // Another address is not held up.
    const other = new TestClient("198.51.100.98");
    await other.page("/login");
    expect((await other.post("/auth/sso/start", {})).status).toBe(302);
  });

  it("refuses a start without the form's CSRF token, and a GET", async () => {
    const client = new TestClient("198.51.100.97");
    await client.page("/login");
    expect((await client.request("/auth/sso/start", { form: { redirectTo: "/" } })).status).toBe(403);
    const get = await client.request("/auth/sso/start");
    expect(get.status).toBe(302);
    expect(get.headers.get("Location")).toBe("/login");
  });
});

describe("password sign-in off, but for break-glass admins", () => {
  it("will not turn passwords off without a usable break-glass admin", async () => {
    const none = await saveSsoSettings(
      { name: "Acme", issuer: idp.issuer, clientId: idp.clientId, clientSecret: "", claim: "groups", rules: RULES, defaultRole: "employee", passwordSignIn: "break_glass", breakGlass: "" },
      admin.id,
      db(),
    );
    expect(none.ok).toBe(false);
    const notAdmin = await createUser(db(), { roles: ["employee"] });
    const wrong = await saveSsoSettings(
      { name: "Acme", issuer: idp.issuer, clientId: idp.clientId, clientSecret: "", claim: "groups", rules: RULES, defaultRole: "employee", passwordSignIn: "break_glass", breakGlass: notAdmin.email },
      admin.id,
      db(),
    );
    expect(wrong).toEqual({ ok: false, errors: { breakGlass: [`Not an active admin with a password: ${notAdmin.email}.`] } });
  });

  it("hides the password form, refuses passwords, and still lets the break-glass admin in", async () => {
    const employee = await createUser(db(), { roles: ["employee"] });
    await configure({ clientSecret: "", passwordSignIn: "break_glass", breakGlass: admin.email.toUpperCase() });
    const page = await new TestClient().page("/login");
    expect(page.html).toContain("Sign in with Acme");
    expect(page.html).not.toContain('name="password"');
    const glass = await new TestClient().page("/login?break-glass");
    expect(glass.html).toContain('name="password"');

    const refused = await new TestClient("198.51.100.41").signIn(employee.email, TEST_PASSWORD);
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain("Password sign-in is turned off");
    const breakGlass = new TestClient("198.51.100.42");
    expect((await breakGlass.signIn(admin.email, TEST_PASSWORD)).status).toBe(302);
    const [last] = await db().select().from(auditLog).where(and(eq(auditLog.actorId, admin.id), eq(auditLog.action, "auth.sign_in")));
    expect(last!.data).toMatchObject({ method: "password" });
    // The stored secret was kept (the form sent it blank) and SSO still works.
    idp.accounts.set("xena", { email: "xena@example.test", email_verified: true });
    expect((await ssoSignIn("xena")).res.status).toBe(302);
    await configure({ clientSecret: "" });
  });

  it("never sends the client secret to the browser, and keeps it out of the audit log", async () => {
    const client = new TestClient();
    await client.signIn(admin.email, TEST_PASSWORD);
    const page = await client.page("/admin/sso");
    expect(page.response.status).toBe(200);
    expect(page.html).toContain("set; leave blank to keep it");
    expect(page.html).toContain("http://localhost/auth/sso/callback");
    expect(page.html).not.toContain(idp.clientSecret);
    const entries = await db().select().from(auditLog).where(eq(auditLog.action, "settings.sso"));
    expect(entries.length).toBeGreaterThan(0);
    expect(JSON.stringify(entries)).not.toContain(idp.clientSecret);
    const employee = await createUser(db(), { roles: ["employee"] });
    const them = new TestClient("198.51.100.43");
    await them.signIn(employee.email, TEST_PASSWORD);
    expect((await them.request("/admin/sso")).status).toBe(403);
  });
});
