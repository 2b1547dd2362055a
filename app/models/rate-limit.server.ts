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
  /**
   * Tokens this process took from the shared bucket ahead of need, spent locally for up to a second:
   * one statement per `lease` calls instead of one per call. A lease's unspent tokens are lost when
   * it expires, so the limit is never exceeded, only slightly tightened. Small buckets (the tests',
   * a person's uses) lease one token: exact.
   */
  private leases = new Map<string, { left: number; until: number }>();
  /** One lease fetch per key at a time; callers arriving meanwhile wait for it and share it. */
  private fetching = new Map<string, Promise<void>>();
  readonly lease: number;

  constructor(
    readonly capacity: number,
    readonly refillPerSecond: number,
  ) {
    this.lease = Math.max(1, Math.min(10, Math.floor(capacity / 20)));
  }

  async take(key: string, now = Date.now(), db: DbOrTx = getDb()): Promise<Taken> {
    for (;;) {
      const held = this.leases.get(key);
      if (held && held.left > 0 && now < held.until) {
        held.left--;
        return { ok: true, remaining: held.left };
      }
      const inflight = this.fetching.get(key);
      if (!inflight) break;
      await inflight;
    }
    this.leases.delete(key);
    if (this.lease > 1) {
      let done = () => {};
      this.fetching.set(key, new Promise<void>((resolve) => (done = resolve)));
      try {
        const batch = await this.takeShared(key, this.lease, now, db);
        if (batch.granted) {
          this.leases.set(key, { left: this.lease - 1, until: now + 1000 });
          return { ok: true, remaining: Math.floor(batch.tokens) + this.lease - 1 };
        }
      } finally {
        this.fetching.delete(key);
        done();
      }
    }
    const one = await this.takeShared(key, 1, now, db);
    if (one.granted) return { ok: true, remaining: Math.floor(one.tokens) };
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - one.tokens) / this.refillPerSecond)) };
  }

  /** Takes `n` tokens from the shared bucket, all or none, refilling it first. */
  private async takeShared(key: string, n: number, now: number, db: DbOrTx): Promise<{ granted: boolean; tokens: number }> {
    const at = new Date(now).toISOString();
    // The refill is measured from the bucket's last update; a clock that steps back refills nothing.
    const refilled = sql`least(${this.capacity}::float8, r.tokens + greatest(0, extract(epoch from (${at}::timestamptz - r.at))) * ${this.refillPerSecond}::float8)`;
    const result = await db.execute(sql`
      insert into rate_limits as r (key, tokens, at, granted)
      values (${key}, ${this.capacity - n}::float8, ${at}::timestamptz, true)
      on conflict (key) do update set
        tokens = case when ${refilled} >= ${n} then ${refilled} - ${n} else ${refilled} end,
        at = greatest(r.at, excluded.at),
        granted = ${refilled} >= ${n}
      returning tokens, granted`);
    const rows = (Array.isArray(result) ? result : ((result as { rows?: unknown[] }).rows ?? [])) as { tokens: number; granted: boolean }[];
    return { granted: rows[0]!.granted, tokens: Number(rows[0]!.tokens) };
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
