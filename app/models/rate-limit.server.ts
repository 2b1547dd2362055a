/**
 * A token bucket per key, in this process's memory: simple and fast; with several server
 * processes each enforces its own limit (documented in ADR 006).
 */
export class RateLimiter {
  private buckets = new Map<string, { tokens: number; at: number }>();
  constructor(
    readonly capacity: number,
    readonly refillPerSecond: number,
  ) {}

  take(key: string, now = Date.now()): { ok: true; remaining: number } | { ok: false; retryAfterSeconds: number } {
    const b = this.buckets.get(key) ?? { tokens: this.capacity, at: now };
    b.tokens = Math.min(this.capacity, b.tokens + ((now - b.at) / 1000) * this.refillPerSecond);
    b.at = now;
    this.buckets.set(key, b);
    if (b.tokens < 1) return { ok: false, retryAfterSeconds: Math.ceil((1 - b.tokens) / this.refillPerSecond) };
    b.tokens -= 1;
    return { ok: true, remaining: Math.floor(b.tokens) };
  }
}
