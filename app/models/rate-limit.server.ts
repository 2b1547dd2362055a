import { lt, sql } from "drizzle-orm";
import { getDb, type DbOrTx } from "../../db/client.server";
import { rateLimits } from "../../db/schema";

export type Taken = { ok: true; remaining: number } | { ok: false; retryAfterSeconds: number };

/**
 * A token bucket per key, kept in PostgreSQL so that every app instance behind the load balancer
 * draws from the same bucket (ADR 014). One statement refills, decides and takes, atomically under
 * the row's lock, so two instances racing for the last token cannot both get it.
 */
export class RateLimiter {
  constructor(
    readonly capacity: number,
    readonly refillPerSecond: number,
  ) {}

  async take(key: string, now = Date.now(), db: DbOrTx = getDb()): Promise<Taken> {
    const at = new Date(now).toISOString();
    // The refill is measured from the bucket's last update; a clock that steps back refills nothing.
    const refilled = sql`least(${this.capacity}::float8, r.tokens + greatest(0, extract(epoch from (${at}::timestamptz - r.at))) * ${this.refillPerSecond}::float8)`;
    const result = await db.execute(sql`
      insert into rate_limits as r (key, tokens, at, granted)
      values (${key}, ${this.capacity - 1}::float8, ${at}::timestamptz, true)
      on conflict (key) do update set
        tokens = case when ${refilled} >= 1 then ${refilled} - 1 else ${refilled} end,
        at = greatest(r.at, excluded.at),
        granted = ${refilled} >= 1
      returning tokens, granted`);
    const rows = (Array.isArray(result) ? result : ((result as { rows?: unknown[] }).rows ?? [])) as { tokens: number; granted: boolean }[];
    const row = rows[0]!;
    if (row.granted) return { ok: true, remaining: Math.floor(Number(row.tokens)) };
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - Number(row.tokens)) / this.refillPerSecond)) };
  }
}

/** Buckets untouched for an hour are full again: forgetting them changes nothing. Run by the jobs loop. */
export async function pruneRateLimits(now = new Date(), db: DbOrTx = getDb()): Promise<number> {
  const gone = await db
    .delete(rateLimits)
    .where(lt(rateLimits.at, new Date(now.getTime() - 3_600_000)))
    .returning({ key: rateLimits.key });
  return gone.length;
}
