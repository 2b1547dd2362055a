import { beforeAll, describe, expect, it } from "vitest";
import { authenticateApiToken, createApiToken, revokeApiToken } from "../../app/models/agent.server";
import { recordAudit } from "../../app/models/audit.server";
import { csvCell } from "../../app/models/audit.schema";
import { setUserActive, setUserRoles } from "../../app/models/user.server";
import { TestClient } from "../support/app";
import { useFreshDatabase } from "../support/db";
import { createUser, createUserPerRole, TEST_PASSWORD } from "../support/factories";

const database = useFreshDatabase();
const db = () => database.current.db;

let admin: Awaited<ReturnType<typeof createUser>>;
let adminClient: TestClient;

beforeAll(async () => {
  admin = await createUser(db(), { roles: ["admin"], email: "audit-admin@example.test", displayName: "Audrey Admin" });
  adminClient = new TestClient("198.51.100.60");
  expect((await adminClient.signIn(admin.email, TEST_PASSWORD)).status).toBe(302);
});

/** The rows of the viewer's table, as "action" cells. */
function actionsIn(html: string): string[] {
  return [...html.matchAll(/<td><code>([^<]+)<\/code><\/td>/g)].map((m) => m[1]!);
}

describe("audit log viewer", () => {
  it("is for admins only, page and CSV alike", async () => {
    const people = await createUserPerRole(db());
    for (const role of ["employee", "expert", "knowledge_manager", "agent"] as const) {
      const client = new TestClient(`198.51.100.${70 + role.length}`);
      expect((await client.signIn(people[role].email, TEST_PASSWORD)).status).toBe(302);
      expect((await client.request("/admin/audit")).status).toBe(403);
      expect((await client.request("/admin/audit.csv")).status).toBe(403);
    }
    const anonymous = await new TestClient().request("/admin/audit.csv");
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("Location")).toMatch(/^\/login/);
  });

  it("records sign-ins with their method, role changes, deactivations, token use and settings at their sources", async () => {
    const carol = await createUser(db(), { roles: ["employee"], displayName: "Carol" });
    await setUserRoles({ userId: carol.id, roles: ["expert"], actorId: admin.id }, db());
    await setUserActive({ userId: carol.id, active: false, actorId: admin.id }, db());
    const { id, token } = await createApiToken({ name: "desk", scopes: ["search:read"], createdBy: admin.id }, db());
    expect((await authenticateApiToken(`Bearer ${token}`, "search:read", db())).ok).toBe(true);
    await revokeApiToken(id, db(), admin.id);
    await adminClient.page("/admin/settings");
    expect((await adminClient.post("/admin/settings", { intent: "leaderboards", enabled: "off" })).status).toBe(200);

    const page = await adminClient.page("/admin/audit");
    expect(page.response.status).toBe(200);
    const actions = actionsIn(page.html);
    for (const a of ["auth.sign_in", "user.roles", "user.deactivate", "token.create", "token.use", "token.revoke", "settings.leaderboards"]) {
      expect(actions).toContain(a);
    }
    expect(page.html).toContain("&quot;method&quot;:&quot;password&quot;");
  });

  it("filters by kind, actor and date range, and pages", async () => {
    const other = await createUser(db(), { roles: ["admin"], displayName: "Zed Other" });
    for (let i = 0; i < 55; i++) {
      await recordAudit(db(), { actorId: other.id, action: "topic.update", subjectType: "topic", subjectId: `t${i}`, at: new Date(Date.UTC(2025, 0, 10, 12, i)) });
    }
    await recordAudit(db(), { actorId: other.id, action: "user.roles", subjectType: "user", subjectId: admin.id, data: { from: [], to: ["admin"] }, at: new Date(Date.UTC(2025, 0, 12)) });

    const signIns = await adminClient.page("/admin/audit?kind=sign_in");
    expect(new Set(actionsIn(signIns.html))).toEqual(new Set(["auth.sign_in"]));

    const byZed = await adminClient.page("/admin/audit?actor=zed");
    expect(byZed.html).toContain("56 entries");
    expect(actionsIn(byZed.html)).toHaveLength(50);
    expect(byZed.html).toContain('href="/admin/audit?actor=zed&amp;page=2"');
    const page2 = await adminClient.page("/admin/audit?actor=zed&page=2");
    expect(actionsIn(page2.html)).toHaveLength(6);

    const oneDay = await adminClient.page("/admin/audit?from=2025-01-12&to=2025-01-12");
    expect(actionsIn(oneDay.html)).toEqual(["user.roles"]);
    const range = await adminClient.page("/admin/audit?from=2025-01-10&to=2025-01-12&kind=topics");
    expect(range.html).toContain("55 entries");

    const bad = await adminClient.request("/admin/audit?from=yesterday&kind=nope");
    expect(bad.status).toBe(400);
    const html = await bad.text();
    expect(html).toContain("Use a date like 2026-12-04");
    expect(html).toContain("Choose a kind from the list");
    const backwards = await adminClient.request("/admin/audit?from=2025-02-01&to=2025-01-01");
    expect(backwards.status).toBe(400);
  });

  it("exports CSV with the filters, and cells a spreadsheet will not run as formulas", async () => {
    const evil = await createUser(db(), { roles: ["admin"], displayName: "=HYPERLINK(\"http://evil.example\",\"x\")", email: "evil@example.test" });
    await recordAudit(db(), { actorId: evil.id, action: "settings.branding", subjectType: "settings", subjectId: "@SUM(A1)", data: { companyName: "+1, \"quoted\"" }, at: new Date(Date.UTC(2025, 5, 1)) });
    const res = await adminClient.request("/admin/audit.csv?kind=settings&from=2025-06-01&to=2025-06-01");
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toMatch(/^text\/csv/);
    expect(res.headers.get("Content-Disposition")).toMatch(/attachment; filename="vetted-audit-\d{4}-\d{2}-\d{2}\.csv"/);
    const lines = (await res.text()).trimEnd().split("\r\n");
    expect(lines[0]).toBe("at,actor_email,actor_name,action,subject_type,subject_id,subject_email,data");
    expect(lines).toHaveLength(2);
    expect(lines[1]).toBe(
      `2025-06-01T00:00:00.000Z,evil@example.test,"'=HYPERLINK(""http://evil.example"",""x"")",settings.branding,settings,'@SUM(A1),,"{""companyName"":""+1, \\""quoted\\""""}"`,
    );
    expect((await adminClient.request("/admin/audit.csv?to=nope")).status).toBe(400);
  });

  it("escapes every formula lead character", () => {
    expect(csvCell("=1+1")).toBe("'=1+1");
    expect(csvCell("+1")).toBe("'+1");
    expect(csvCell("-1")).toBe("'-1");
    expect(csvCell("@x")).toBe("'@x");
    expect(csvCell("\t=1")).toBe("'\t=1");
    expect(csvCell("a,b")).toBe('"a,b"');
    expect(csvCell("plain")).toBe("plain");
    expect(csvCell(null)).toBe("");
  });
});
