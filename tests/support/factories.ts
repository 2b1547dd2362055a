import { randomBytes } from "node:crypto";
import { hashPassword } from "../../app/auth/password.server";
import type { Role } from "../../app/auth/policy";
import type { Db } from "../../db/client.server";
import { expertise, topics, users, type Topic, type User } from "../../db/schema";

/** The password of every factory user. */
export const TEST_PASSWORD = "correct horse battery staple";
let hash: Promise<string> | undefined;
function passwordHash() {
  hash ??= hashPassword(TEST_PASSWORD);
  return hash;
}

const unique = () => randomBytes(4).toString("hex");

export async function createUser(
  db: Db,
  overrides: Partial<Omit<typeof users.$inferInsert, "roles">> & { roles?: Role[] } = {},
): Promise<User> {
  const id = unique();
  const [user] = await db
    .insert(users)
    .values({
      email: `user-${id}@example.test`,
      displayName: `User ${id}`,
      roles: ["employee"],
      passwordHash: await passwordHash(),
      ...overrides,
    })
    .returning();
  if (!user) throw new Error("no user created");
  return user;
}

export async function createTopic(db: Db, overrides: Partial<typeof topics.$inferInsert> = {}): Promise<Topic> {
  const id = unique();
  const [topic] = await db
    .insert(topics)
    .values({ slug: `topic-${id}`, name: `Topic ${id}`, ...overrides })
    .returning();
  if (!topic) throw new Error("no topic created");
  return topic;
}

/** A user with the expert role who reviews the given topics. */
export async function createExpert(db: Db, topicList: Topic[], overrides: Parameters<typeof createUser>[1] = {}): Promise<User> {
  const user = await createUser(db, { roles: ["expert"], ...overrides });
  if (topicList.length > 0) await db.insert(expertise).values(topicList.map((t) => ({ userId: user.id, topicId: t.id })));
  return user;
}

/** One user of every role, for permission tests. */
export async function createUserPerRole(db: Db): Promise<Record<Role, User>> {
  const roles: Role[] = ["employee", "expert", "knowledge_manager", "agent", "admin"];
  const created = await Promise.all(roles.map((r) => createUser(db, { roles: [r] })));
  return Object.fromEntries(roles.map((r, i) => [r, created[i]])) as Record<Role, User>;
}
