import { count, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { auditLog, loginFailures, sessions, users } from "../../db/schema";
import { MAX_FAILURES_PER_ACCOUNT, signIn } from "../../app/models/user.server";
import { TestClient } from "../support/app";
import { useFreshDatabase } from "../support/db";
import { createUser, TEST_PASSWORD } from "../support/factories";

const database = useFreshDatabase();
const db = () => database.current.db;

async function sessionCount() {
  const [row] = await db().select({ n: count() }).from(sessions);
  return row?.n ?? 0;
}

describe("sign-in", () => {
  let email: string;
  beforeAll(async () => {
    email = (await createUser(db(), { roles: ["agent"] })).email;
  });

  it("signs in with the right password and reaches the home page", async () => {
    const client = new TestClient();
    const res = await client.signIn(email.toUpperCase(), TEST_PASSWORD);
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/");
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith("vetted_session="));
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    const home = await client.page("/");
    expect(home.response.status).toBe(200);
    expect(home.html).toContain("Search certified answers");
  });

  it("refuses a wrong password with 401 and creates no session", async () => {
    const before = await sessionCount();
    const res = await new TestClient("198.51.100.1").signIn(email, "wrong password");
    expect(res.status).toBe(401);
    expect(await res.text()).toContain("The email or password is not right.");
    expect(await sessionCount()).toBe(before);
  });

  it("refuses an unknown user the same way", async () => {
    const before = await sessionCount();
    const res = await new TestClient("198.51.100.2").signIn("nobody@example.test", TEST_PASSWORD);
    expect(res.status).toBe(401);
    expect(await res.text()).toContain("The email or password is not right.");
    expect(await sessionCount()).toBe(before);
    const [exists] = await db().select({ n: count() }).from(users).where(eq(users.email, "nobody@example.test"));
    expect(exists?.n).toBe(0);
  });

  it("answers bad input with 400 and field errors", async () => {
    const client = new TestClient();
    await client.page("/login");
    const res = await client.post("/login", { email: "not-an-email", password: "" });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain("Enter your email address");
    expect(html).toContain("Enter your password");
  });

  it("refuses a deactivated user, and their open session stops working", async () => {
    const user = await createUser(db(), { roles: ["employee"] });
    const client = new TestClient();
    expect((await client.signIn(user.email, TEST_PASSWORD)).status).toBe(302);
    expect((await client.request("/")).status).toBe(200);

    const admin = await createUser(db(), { roles: ["admin"] });
    const adminClient = new TestClient();
    await adminClient.signIn(admin.email, TEST_PASSWORD);
    await adminClient.page(`/admin/users/${user.id}`);
    expect((await adminClient.post(`/admin/users/${user.id}`, { intent: "deactivate" })).status).toBe(200);

    const after = await client.request("/");
    expect(after.status).toBe(302);
    expect(after.headers.get("Location")).toMatch(/^\/login/);
    const again = await new TestClient("198.51.100.3").signIn(user.email, TEST_PASSWORD);
    expect(again.status).toBe(403);
    expect(await again.text()).toContain("deactivated");
    const [s] = await db().select({ n: count() }).from(sessions).where(eq(sessions.userId, user.id));
    expect(s?.n).toBe(0);
  });

  it("throttles an account after repeated failures, even with the right password", async () => {
    const user = await createUser(db());
    for (let i = 0; i < MAX_FAILURES_PER_ACCOUNT; i++) {
      // Each from a different address: the per-account limit is what trips.
      expect((await new TestClient(`192.0.2.${i + 10}`).signIn(user.email, "nope")).status).toBe(401);
    }
    const before = await sessionCount();
    const res = await new TestClient("192.0.2.200").signIn(user.email, TEST_PASSWORD);
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect(await res.text()).toContain("Too many failed sign-ins");
    expect(await sessionCount()).toBe(before);
  });

  it("throttles an address guessing at made-up accounts without locking out the real people behind it", async () => {
    const ip = "192.0.2.250";
    for (let i = 0; i < 30; i++) await new TestClient(ip).signIn(`guess-${i}@example.test`, "nope");
    expect((await new TestClient(ip).signIn("guess-31@example.test", "nope")).status).toBe(429);
    const [failures] = await db().select({ n: count() }).from(loginFailures).where(eq(loginFailures.ip, ip));
    expect(failures?.n).toBe(30);
    // The office behind that address still signs in.
    const user = await createUser(db());
    expect((await new TestClient(ip).signIn(user.email, TEST_PASSWORD)).status).toBe(302);
  });

  it("throttles an address spraying one password across many real accounts", async () => {
    const ip = "192.0.2.251";
    const people = await Promise.all(Array.from({ length: 10 }, () => createUser(db())));
    // 10 wrong guesses at each of 10 accounts: 100 failures at known accounts from one address.
    for (let round = 0; round < 10; round++) for (const p of people) await signIn({ email: p.email, password: `Spring2026-${round}`, ip }, db());
    const next = await createUser(db());
    expect((await new TestClient(ip).signIn(next.email, TEST_PASSWORD)).status).toBe(429);
    // Eleven sign-ins hash a password each (scrypt): slow on a loaded machine, not a timing claim.
  }, 120_000);
});

describe("CSRF and cookies", () => {
  it("refuses a form without a CSRF token with 403, writing nothing", async () => {
    const user = await createUser(db());
    const client = new TestClient();
    await client.page("/login");
    const before = await sessionCount();
    const res = await client.request("/login", { form: { email: user.email, password: TEST_PASSWORD } });
    expect(res.status).toBe(403);
    expect(await sessionCount()).toBe(before);
  });

  it("refuses a wrong CSRF token with 403, writing nothing", async () => {
    const admin = await createUser(db(), { roles: ["admin"] });
    const client = new TestClient();
    await client.signIn(admin.email, TEST_PASSWORD);
    const [before] = await db().select({ n: count() }).from(users);
    const res = await client.request("/admin/users", {
      form: { csrf: "forged-token-forged-token-forged-token-0000", email: "new@example.test", displayName: "New", roles: "agent" },
    });
    expect(res.status).toBe(403);
    const [after] = await db().select({ n: count() }).from(users);
    expect(after?.n).toBe(before?.n);
  });

  it("treats a tampered session cookie as signed out", async () => {
    const user = await createUser(db());
    const client = new TestClient();
    await client.signIn(user.email, TEST_PASSWORD);
    const value = client.cookies.get("vetted_session")!;
    client.cookies.set("vetted_session", value.slice(0, -4) + (value.endsWith("AAAA") ? "BBBB" : "AAAA"));
    const res = await client.request("/");
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toMatch(/^\/login/);
  });

  it("signs out server-side: the old cookie no longer works", async () => {
    const user = await createUser(db());
    const client = new TestClient();
    await client.signIn(user.email, TEST_PASSWORD);
    const stolen = client.cookieHeader();
    await client.page("/");
    const out = await client.post("/logout", {});
    expect(out.status).toBe(302);
    const replay = await new TestClient().request("/", { headers: { Cookie: stolen } });
    expect(replay.status).toBe(302);
  });

  it("sets the Secure flag when served over https", async () => {
    const client = new TestClient();
    const res = await client.request("https://vetted.example/login");
    expect(res.headers.getSetCookie().join("\n")).toMatch(/vetted_csrf=.*Secure/i);
  });
});

describe("invites", () => {
  it("lets an invited user set a password once", async () => {
    const admin = await createUser(db(), { roles: ["admin"] });
    const client = new TestClient();
    await client.signIn(admin.email, TEST_PASSWORD);
    await client.page("/admin/users");
    const res = await client.post("/admin/users", { email: "Invited@Example.test", displayName: "Invitee", roles: ["agent", "employee"] });
    expect(res.status).toBe(201);
    const link = /\/invite\/([\w-]+)/.exec(await res.text());
    expect(link).not.toBeNull();
    const [audit] = await db().select().from(auditLog).where(eq(auditLog.action, "user.create"));
    expect(audit?.data).toMatchObject({ email: "invited@example.test" });

    const invitee = new TestClient();
    await invitee.page(`/invite/${link![1]}`);
    const short = await invitee.post(`/invite/${link![1]}`, { password: "short", confirm: "short" });
    expect(short.status).toBe(400);
    // NIST 800-63B: length alone is not enough — not all spaces, not a known common password.
    for (const [password, message] of [
      ["            ", /only spaces/],
      ["password1234", /list of common passwords/],
      ["qwerty123456", /list of common passwords/],
      ["aaaaaaaaaaaaaa", /one character repeated/],
    ] as const) {
      const refused = await invitee.post(`/invite/${link![1]}`, { password, confirm: password });
      expect(refused.status, password).toBe(400);
      expect(await refused.text()).toMatch(message);
    }
    // Until the password is set, signing in answers exactly like an unknown account.
    const invited = await new TestClient().signIn("invited@example.test", "a long enough password");
    const unknown = await new TestClient().signIn("nobody-at-all@example.test", "a long enough password");
    expect(invited.status).toBe(unknown.status);
    const message = (html: string) => /role="alert"[^>]*>([^<]*)</.exec(html)?.[1];
    const shown = message(await invited.text());
    expect(shown).toMatch(/email or password is not right/);
    expect(message(await unknown.text())).toBe(shown);
    const ok = await invitee.post(`/invite/${link![1]}`, { password: "a long enough password", confirm: "a long enough password" });
    expect(ok.status).toBe(302);
    expect((await invitee.request("/")).status).toBe(200);
    expect((await new TestClient().request(`/invite/${link![1]}`)).status).toBe(404);
  });
});
