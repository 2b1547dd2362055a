import { beforeAll, describe, expect, it } from "vitest";
import type { Role } from "../../app/auth/policy";
import { TestClient } from "../support/app";
import { useFreshDatabase } from "../support/db";
import { createUserPerRole, TEST_PASSWORD } from "../support/factories";

const database = useFreshDatabase();

// Page → roles that may open it. Every other role gets 403, and a visitor is sent to sign in.
const PAGES: Record<string, Role[]> = {
  "/": ["employee", "expert", "knowledge_manager", "agent", "admin"],
  "/write": ["employee", "expert", "knowledge_manager"],
  "/review": ["expert", "knowledge_manager"],
  "/search": ["employee", "expert", "knowledge_manager", "agent", "admin"],
  "/admin/users": ["admin"],
  "/admin/topics": ["admin"],
  "/admin/sso": ["admin"],
  "/admin/audit": ["admin"],
};

describe("every page checks the role", () => {
  const clients = {} as Record<Role, TestClient>;
  beforeAll(async () => {
    const users = await createUserPerRole(database.current.db);
    for (const [role, user] of Object.entries(users) as [Role, { email: string }][]) {
      clients[role] = new TestClient();
      expect((await clients[role].signIn(user.email, TEST_PASSWORD)).status).toBe(302);
    }
  });

  for (const [page, allowed] of Object.entries(PAGES)) {
    for (const role of ["employee", "expert", "knowledge_manager", "agent", "admin"] as Role[]) {
      const ok = allowed.includes(role);
      it(`${role} ${ok ? "opens" : "is refused"} ${page}`, async () => {
        const res = await clients[role].request(page);
        expect(res.status).toBe(ok ? 200 : 403);
        if (!ok) expect(await res.text()).toContain("You may not do that");
      });
    }
    it(`a visitor is sent to sign in from ${page}`, async () => {
      const res = await new TestClient().request(page);
      expect(res.status).toBe(302);
      expect(res.headers.get("Location")).toBe(`/login?redirectTo=${encodeURIComponent(page)}`);
    });
  }

  it("refuses an admin form post from a non-admin with 403", async () => {
    await clients.employee.page("/");
    const res = await clients.employee.post("/admin/users", { email: "x@example.test", displayName: "X", roles: "admin" });
    expect(res.status).toBe(403);
  });

  it("answers an unknown address with a 404 page", async () => {
    const res = await clients.agent.request("/no/such/page");
    expect(res.status).toBe(404);
    expect(await res.text()).toContain("Page not found");
  });

  it("shows the public FAQ without sign-in", async () => {
    const res = await new TestClient().request("/faq");
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("How can we help?");
  });

  it("never sends a stack trace to the browser", async () => {
    const res = await clients.admin.request("/admin/users/not-a-uuid");
    expect(res.status).toBe(404);
    const html = await res.text();
    expect(html).not.toMatch(/at .*\.(ts|js):\d+/);
  });
});
