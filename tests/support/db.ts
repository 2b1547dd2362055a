import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import postgres from "postgres";
import { afterAll, beforeAll, inject } from "vitest";
import { createDb, setDatabase, type Database } from "../../db/client.server";
import { DEFAULT_TEST_DATABASE_URL, withDatabase } from "../setup/global-database";

export type TestDriver = "postgres" | "pglite";

export const testDriver: TestDriver = process.env.TEST_DB === "postgres" ? "postgres" : "pglite";

export interface TestDatabase extends Database {
  /** postgres: the URL of this test's own database (to open more connections, e.g. races). */
  url?: string;
}

/**
 * A fresh, migrated database of the project's driver: a copy of the template database on the
 * PostgreSQL server, or a PGlite started from the migrated dump (well under a second).
 */
export async function freshDatabase(): Promise<TestDatabase> {
  if (testDriver === "pglite") {
    const dump = new Blob([readFileSync(inject("pgliteDump"))]);
    return createDb({ dataDir: "memory://", loadDataDir: dump });
  }
  const serverUrl = process.env.TEST_DATABASE_URL || DEFAULT_TEST_DATABASE_URL;
  const name = `${inject("pgRunPrefix")}${randomBytes(5).toString("hex")}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.unsafe(`create database "${name}" template "${inject("pgTemplate")}"`);
        break;
      } catch (error) {
        // Two copies of one template at the same instant can collide; try again shortly.
        if (attempt < 20 && /being accessed by other users/.test((error as Error).message)) {
          await new Promise((r) => setTimeout(r, 50 + Math.random() * 100));
          continue;
        }
        throw error;
      }
    }
  } finally {
    await admin.end();
  }
  const url = withDatabase(serverUrl, name);
  const database = await createDb({ url, max: 10 });
  return {
    ...database,
    url,
    async close() {
      await database.close();
      const cleanup = postgres(serverUrl, { max: 1, onnotice: () => {} });
      await cleanup.unsafe(`drop database if exists "${name}" with (force)`).finally(() => cleanup.end());
    },
  };
}

/**
 * Gives the test file its own fresh database, installed as the process database so the app's
 * models and the Remix build use it, and closes it afterwards.
 */
export function useFreshDatabase(): { readonly current: TestDatabase } {
  const holder: { current?: TestDatabase } = {};
  beforeAll(async () => {
    holder.current = await freshDatabase();
    setDatabase(holder.current);
  });
  afterAll(async () => {
    setDatabase(undefined);
    await holder.current?.close();
  });
  return {
    get current() {
      if (!holder.current) throw new Error("the test database is opened in beforeAll");
      return holder.current;
    },
  };
}
