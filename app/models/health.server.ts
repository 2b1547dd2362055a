import { sql } from "drizzle-orm";
import { getDatabase } from "../../db/client.server";
import { pendingMigrations } from "../../db/migrate";
import { getConfig } from "../../server/config";
import { FULL_DISK_BYTES, freeBytes } from "../../server/fs-errors";
import { mailQueueHealth, type MailQueueHealth } from "../notifications/mail-queue.server";
import { getSearchIndex, searchLag, vectorsPending } from "./search.server";

export interface Health {
  status: "ok" | "unavailable";
  database: "pglite" | "postgres";
  /** Free space where the data directory lives; a full disk fails every write, so it is unhealthy. */
  disk?: { freeBytes: number; ok: boolean };
  reason?: string;
  search?: { engine: string; ok: boolean; outboxPending: number; outboxOldestSeconds: number; outboxFailing: number; vectorsPending: number };
  /** Counts only (the error text is on Admin → Email): a failing SMTP server shows here, and delays mail without losing it. */
  mail?: MailQueueHealth;
}

/** Does the database answer, and how far is the search index behind the database? */
export async function checkHealth(): Promise<Health> {
  const database = getDatabase();
  try {
    await database.db.execute(sql`select 1`);
    const free = freeBytes(getConfig().dataDir);
    const disk = free === null ? undefined : { freeBytes: free, ok: free >= FULL_DISK_BYTES };
    if (disk && !disk.ok) {
      return { status: "unavailable", database: database.driver, disk, reason: `the disk holding ${getConfig().dataDir} is full` };
    }
    const index = getSearchIndex();
    const [engine, lag, mail, vectors] = await Promise.all([index.health(), searchLag(), mailQueueHealth(database.db), vectorsPending()]);
    return {
      status: "ok",
      database: database.driver,
      ...(disk ? { disk } : {}),
      search: { engine: index.engine, ok: engine.ok, outboxPending: lag.pending, outboxOldestSeconds: lag.oldestSeconds, outboxFailing: lag.failing, vectorsPending: vectors },
      mail,
    };
  } catch {
    return { status: "unavailable", database: database.driver, reason: "the database does not answer" };
  }
}

/** How far behind the search index may fall before this instance stops taking traffic. */
export const READY_OUTBOX_SECONDS = Number(process.env.READY_OUTBOX_SECONDS ?? 60);

export interface Readiness {
  ready: boolean;
  checks: { database: boolean; migrations: boolean; search: boolean; outbox: boolean };
  reasons: string[];
}

/**
 * Readiness for a load balancer (`/ready`), stricter than liveness (`/health`): the database
 * answers, every committed migration is applied, the search index answers (its copy loaded), and the outbox is not
 * more than READY_OUTBOX_SECONDS behind. A 503 lists what is missing.
 */
export async function checkReady(): Promise<Readiness> {
  const database = getDatabase();
  const reasons: string[] = [];
  const checks = { database: false, migrations: false, search: false, outbox: false };
  try {
    await database.db.execute(sql`select 1`);
    checks.database = true;
  } catch {
    reasons.push("the database does not answer");
    return { ready: false, checks, reasons };
  }
  const pending = await pendingMigrations(database);
  checks.migrations = pending === 0;
  if (!checks.migrations) reasons.push(`${pending} migration(s) not applied yet`);
  const index = getSearchIndex();
  const [engine, lag] = await Promise.all([index.health().catch(() => ({ ok: false })), searchLag()]);
  // The embedded engine answers from a copy in memory; until it is loaded, searches here would wait.
  const copy = index.residentCopy?.();
  checks.search = engine.ok && (copy?.loaded ?? true);
  if (!engine.ok) reasons.push(`the search index (${index.engine}) does not answer`);
  else if (copy && !copy.loaded) {
    reasons.push("the search copy is still loading");
    void index.warmUp?.().catch(() => undefined);
  }
  checks.outbox = lag.oldestSeconds <= READY_OUTBOX_SECONDS;
  if (!checks.outbox) reasons.push(`the search index is ${Math.round(lag.oldestSeconds)} s behind the database (bound ${READY_OUTBOX_SECONDS} s)`);
  return { ready: reasons.length === 0, checks, reasons };
}
