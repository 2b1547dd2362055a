import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { createDb, type Database } from "../db/client.server";
import { migrateDatabase } from "../db/migrate";

export const SERVER_URL = process.env.TEST_DATABASE_URL || "postgres://postgres@127.0.0.1:5432/test";

/** A fresh, migrated database for a benchmark: a temporary one on the server, or in-memory PGlite. */
export async function benchDatabase(driver: "postgres" | "pglite", max = 20): Promise<Database & { url?: string }> {
  if (driver === "pglite") {
    const database = await createDb({ dataDir: "memory://" });
    await migrateDatabase(database);
    return database;
  }
  const name = `vetted_bench_${randomBytes(4).toString("hex")}`;
  const admin = postgres(SERVER_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  await admin.end();
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  const database = await createDb({ url: url.toString(), max });
  await migrateDatabase(database);
  return {
    ...database,
    url: url.toString(),
    async close() {
      await database.close();
      const cleanup = postgres(SERVER_URL, { max: 1, onnotice: () => {} });
      await cleanup.unsafe(`drop database if exists "${name}" with (force)`);
      await cleanup.end();
    },
  };
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export const ms = (n: number) => `${n.toFixed(1)} ms`;

/** Runs `work` over the items with `concurrency` workers pulling from one queue. */
export async function pool<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        const item = items[next++]!;
        await work(item);
      }
    }),
  );
}
