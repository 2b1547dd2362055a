import { and, count, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { auditLog, expertise, topics, users } from "../../db/schema";
import { TestClient } from "../support/app";
import { useFreshDatabase } from "../support/db";
import { createTopic, createUser, TEST_PASSWORD } from "../support/factories";

const database = useFreshDatabase();
const db = () => database.current.db;

describe("admin: users", () => {
  const admin = new TestClient();
  let adminId: string;
  beforeAll(async () => {
    const u = await createUser(db(), { roles: ["admin"], displayName: "Root Admin", email: "root-admin@example.test" });
    adminId = u.id;
    await admin.signIn(u.email, TEST_PASSWORD);
    await admin.page("/admin/users");
  });

  it("lists and searches users", async () => {
    await createUser(db(), { displayName: "Zelda Searchable", email: "zelda@example.test" });
    const all = await admin.page("/admin/users");
    expect(all.html).toContain("Zelda Searchable");
    const found = await admin.page("/admin/users?q=zeld");
    const table = /<tbody>([\s\S]*?)<\/tbody>/.exec(found.html)?.[1] ?? "";
    expect(table).toContain("zelda@example.test");
    expect(table).not.toContain("root-admin@example.test");
    const none = await admin.page("/admin/users?q=%25");
    expect(none.html).toContain("0 users");
  });

  it("refuses bad input with field errors and writes nothing", async () => {
    const [before] = await db().select({ n: count() }).from(users);
    const res = await admin.post("/admin/users", { email: "nope", displayName: "", roles: "wizard" });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain("Enter a valid email address");
    expect(html).toContain("Enter the person&#x27;s name");
    expect(html).toContain("Unknown role");
    const [after] = await db().select({ n: count() }).from(users);
    expect(after?.n).toBe(before?.n);
  });

  it("refuses a duplicate email with 409", async () => {
    const existing = await createUser(db());
    const res = await admin.post("/admin/users", { email: existing.email, displayName: "Dup", roles: "agent" });
    expect(res.status).toBe(409);
    expect(await res.text()).toContain("already exists");
  });

  it("changes roles and records it", async () => {
    const u = await createUser(db(), { roles: ["employee"] });
    const res = await admin.post(`/admin/users/${u.id}`, { intent: "roles", roles: ["employee", "expert"] });
    expect(res.status).toBe(200);
    const [row] = await db().select().from(users).where(eq(users.id, u.id));
    expect(row?.roles).toEqual(["employee", "expert"]);
    const [a] = await db().select().from(auditLog).where(and(eq(auditLog.subjectId, u.id), eq(auditLog.action, "user.roles")));
    expect(a?.data).toEqual({ from: ["employee"], to: ["employee", "expert"] });
  });

  it("will not let an admin remove their own admin role or deactivate themselves", async () => {
    const res = await admin.post(`/admin/users/${adminId}`, { intent: "roles", roles: ["employee"] });
    expect(res.status).toBe(400);
    expect((await admin.post(`/admin/users/${adminId}`, { intent: "deactivate" })).status).toBe(400);
    const [row] = await db().select().from(users).where(eq(users.id, adminId));
    expect(row?.roles).toEqual(["admin"]);
    expect(row?.active).toBe(true);
  });

  it("deactivates and reactivates", async () => {
    const u = await createUser(db());
    expect((await admin.post(`/admin/users/${u.id}`, { intent: "deactivate" })).status).toBe(200);
    expect((await db().select().from(users).where(eq(users.id, u.id)))[0]?.active).toBe(false);
    expect((await admin.post(`/admin/users/${u.id}`, { intent: "reactivate" })).status).toBe(200);
    expect((await db().select().from(users).where(eq(users.id, u.id)))[0]?.active).toBe(true);
    expect((await new TestClient().signIn(u.email, TEST_PASSWORD)).status).toBe(302);
  });
});

describe("admin: topics and experts", () => {
  const admin = new TestClient();
  beforeAll(async () => {
    const u = await createUser(db(), { roles: ["admin"] });
    await admin.signIn(u.email, TEST_PASSWORD);
    await admin.page("/admin/topics");
  });

  it("creates a topic and refuses invalid or duplicate ones", async () => {
    const ok = await admin.post("/admin/topics", {
      slug: "returns",
      name: "Returns",
      description: "",
      requiredApprovals: "2",
      reverifyIntervalDays: "90",
    });
    expect(ok.status).toBe(302);
    const [t] = await db().select().from(topics).where(eq(topics.slug, "returns"));
    expect(t).toMatchObject({ name: "Returns", requiredApprovals: 2, reverifyIntervalDays: 90 });

    const bad = await admin.post("/admin/topics", { slug: "Bad Slug", name: "", requiredApprovals: "0", reverifyIntervalDays: "x" });
    expect(bad.status).toBe(400);
    const html = await bad.text();
    expect(html).toContain("Use lower-case letters");
    expect(html).toContain("At least 1");

    const dup = await admin.post("/admin/topics", { slug: "returns", name: "Again", requiredApprovals: "1", reverifyIntervalDays: "30" });
    expect(dup.status).toBe(409);
  });

  it("assigns experts, refusing users without the expert role", async () => {
    const topic = await createTopic(db());
    const expert = await createUser(db(), { roles: ["expert"] });
    const agent = await createUser(db(), { roles: ["agent"] });
    const refused = await admin.post(`/admin/topics/${topic.id}`, { intent: "experts", experts: [expert.id, agent.id] });
    expect(refused.status).toBe(400);
    expect(await db().select().from(expertise).where(eq(expertise.topicId, topic.id))).toHaveLength(0);

    const ok = await admin.post(`/admin/topics/${topic.id}`, { intent: "experts", experts: [expert.id] });
    expect(ok.status).toBe(200);
    expect(await db().select().from(expertise).where(eq(expertise.topicId, topic.id))).toHaveLength(1);

    const cleared = await admin.post(`/admin/topics/${topic.id}`, { intent: "experts" });
    expect(cleared.status).toBe(200);
    expect(await db().select().from(expertise).where(eq(expertise.topicId, topic.id))).toHaveLength(0);
  });

  it("edits a topic", async () => {
    const topic = await createTopic(db());
    const res = await admin.post(`/admin/topics/${topic.id}`, {
      intent: "details",
      slug: topic.slug,
      name: "Renamed",
      description: "New words",
      requiredApprovals: "3",
      reverifyIntervalDays: "30",
      flagResponseDays: "5",
      flagThreshold: "2",
    });
    expect(res.status).toBe(200);
    const [t] = await db().select().from(topics).where(eq(topics.id, topic.id));
    expect(t).toMatchObject({ name: "Renamed", requiredApprovals: 3, reverifyIntervalDays: 30, flagResponseDays: 5, flagThreshold: 2 });

    const bad = await admin.post(`/admin/topics/${topic.id}`, { intent: "details", slug: topic.slug, name: "Again", requiredApprovals: "1", reverifyIntervalDays: "30", flagResponseDays: "0", flagThreshold: "x" });
    expect(bad.status).toBe(400);
    const html = await bad.text();
    expect(html).toContain("At least 1 working day");
    expect(html).toContain("Enter a number of people from 1 to 50");
    expect((await db().select().from(topics).where(eq(topics.id, topic.id)))[0]).toMatchObject({ name: "Renamed", flagResponseDays: 5 });
  });
});
