import { getDb } from "../../db/client.server";
import { DEMO_PASSWORD, DEMO_USERS, isDemo } from "../../db/seed";
import { ROLE_LABELS } from "../auth/policy";

/** The demo accounts to list on the sign-in page, or null when this is not a demo database. */
export async function demoAccounts(): Promise<{ password: string; accounts: { email: string; role: string }[] } | null> {
  if (!(await isDemo(getDb()))) return null;
  return {
    password: DEMO_PASSWORD,
    accounts: DEMO_USERS.map((u) => ({ email: u.email, role: u.roles.map((r) => ROLE_LABELS[r]).join(", ") })),
  };
}
