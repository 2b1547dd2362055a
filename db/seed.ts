import path from "node:path";
import { fileURLToPath } from "node:url";
import { count, eq } from "drizzle-orm";
import { hashPassword } from "../app/auth/password.server";
import type { Role } from "../app/auth/policy";
import type { Db } from "./client.server";
import { seedDemoAnswers } from "./demo/answers";
import { seedDemoContent } from "./demo/content";
import { seedDemoFeedback } from "./demo/feedback";
import { seedDemoInsights } from "./demo/insights";
import { appSettings, expertise, topics, users } from "./schema";

/** The password of every demo account; the sign-in page shows it when the app runs on demo data. */
export const DEMO_PASSWORD = "vetted-demo";

export const DEMO_USERS: { email: string; displayName: string; roles: Role[] }[] = [
  { email: "emma@example.com", displayName: "Emma Employee", roles: ["employee"] },
  { email: "xavier@example.com", displayName: "Xavier Expert", roles: ["expert"] },
  { email: "priya@example.com", displayName: "Priya Expert", roles: ["expert"] },
  { email: "kim@example.com", displayName: "Kim Knowledge-Manager", roles: ["knowledge_manager"] },
  { email: "alex@example.com", displayName: "Alex Agent", roles: ["agent"] },
  { email: "ada@example.com", displayName: "Ada Admin", roles: ["admin"] },
];

export const DEMO_TOPICS = [
  { slug: "billing", name: "Billing", description: "Invoices, payments, refunds and plans.", requiredApprovals: 1, reverifyIntervalDays: 180, experts: ["xavier@example.com", "priya@example.com"] },
  { slug: "shipping", name: "Shipping", description: "Delivery times, tracking, returns and lost parcels.", requiredApprovals: 1, reverifyIntervalDays: 90, experts: ["xavier@example.com"] },
  { slug: "accounts", name: "Accounts", description: "Sign-up, sign-in, passwords, closing an account.", requiredApprovals: 2, reverifyIntervalDays: 365, experts: ["xavier@example.com", "priya@example.com"] },
  { slug: "devices", name: "Devices", description: "Phones, routers and set-up of the devices we sell.", requiredApprovals: 1, reverifyIntervalDays: 180, experts: ["priya@example.com"] },
];

export const DEMO_FLAG = "demo";

/** Is this database running on the demo data (the sign-in page then lists the accounts)? */
export async function isDemo(db: Db): Promise<boolean> {
  const [row] = await db.select().from(appSettings).where(eq(appSettings.key, DEMO_FLAG)).limit(1);
  return row?.value === true;
}

export async function hasUsers(db: Db): Promise<boolean> {
  const [row] = await db.select({ n: count() }).from(users);
  return (row?.n ?? 0) > 0;
}

/**
 * Idempotent: users, topics and expertise are matched by email, slug and pair, so running it
 * again changes nothing. Later features add their own idempotent demo content here.
 */
export async function seedDemo(db: Db): Promise<void> {
  const hashes = await Promise.all(DEMO_USERS.map(() => hashPassword(DEMO_PASSWORD)));
  await db.transaction(async (tx) => {
    await tx
      .insert(users)
      .values(DEMO_USERS.map((u, i) => ({ ...u, passwordHash: hashes[i] })))
      .onConflictDoNothing({ target: users.email });
    await tx
      .insert(topics)
      .values(DEMO_TOPICS.map(({ experts: _experts, ...t }) => t))
      .onConflictDoNothing({ target: topics.slug });
    const allUsers = await tx.select({ id: users.id, email: users.email }).from(users);
    const allTopics = await tx.select({ id: topics.id, slug: topics.slug }).from(topics);
    const pairs = DEMO_TOPICS.flatMap((t) =>
      t.experts.map((email) => ({
        userId: allUsers.find((u) => u.email === email)?.id,
        topicId: allTopics.find((x) => x.slug === t.slug)?.id,
      })),
    ).filter((p): p is { userId: string; topicId: string } => Boolean(p.userId && p.topicId));
    if (pairs.length > 0) await tx.insert(expertise).values(pairs).onConflictDoNothing();
    await tx
      .insert(appSettings)
      .values({ key: DEMO_FLAG, value: true })
      .onConflictDoUpdate({ target: appSettings.key, set: { value: true } });
  });
  await seedDemoAnswers(db);
  await seedDemoContent(db);
  await seedDemoFeedback(db);
  await seedDemoInsights(db);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const { runCli } = await import("../server/cli");
  await runCli("db:seed", async ({ database, log }) => {
    await seedDemo(database.db);
    log.info({ accounts: DEMO_USERS.length }, "demo data in place");
    process.stdout.write(`Demo data in place (${DEMO_USERS.length} users, ${DEMO_TOPICS.length} topics). Password for every demo account: ${DEMO_PASSWORD}\n`);
  });
}
