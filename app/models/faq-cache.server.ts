import { createHash } from "node:crypto";
import { gzipSync } from "node:zlib";
import { sql } from "drizzle-orm";
import { getDb, rowsOf } from "../../db/client.server";

/**
 * The live public FAQ's page cache (docs/decisions/007-public-faq.md, "Live performance"):
 * rendered home, topic and answer pages (and their 301s) by origin + path, so a hit costs no
 * query and no render. Every page in it is the same for every visitor (no session, no token,
 * no cookie), which is what makes it safe to share — and to hand to a CDN.
 *
 * Freshness: the cache belongs to a **generation** of public content, read from the database at
 * most once per `checkEveryMs` (one small query, shared by the requests that wait for it):
 *  - the newest rows of `search_outbox` (every certification, re-verification, archive and
 *    restore writes one in its transaction; a window of counts, not only max(seq), because
 *    sequence numbers are handed out before commit and a slower transaction can commit later);
 *  - topics (count, newest updated_at) and the branding row's updated_at.
 * A different generation empties the cache. In this process a change is seen at once:
 * `saveBranding` calls `invalidate()`, and the HTTP server calls `recheckSoon()` after every
 * successful write request, so the next page re-reads the generation before it is served.
 * Another process (the re-verification job, an import CLI, a second server) is seen within
 * `checkEveryMs`. Entries also expire after `maxAgeMs` (the home page ranks by votes, which
 * are not part of the generation), and the whole cache holds at most `maxBytes`.
 */

export interface CachedPage {
  status: 200 | 301;
  /** UTF-8 body (empty for a redirect). */
  body: Buffer;
  /** The same body gzipped once at render (served when the client accepts gzip). */
  gzip: Buffer | null;
  etag: string;
  location?: string;
  storedAt: number;
}

export interface FaqCacheOptions {
  checkEveryMs: number;
  maxAgeMs: number;
  maxBytes: number;
  now: () => number;
  /** Reads the generation of public content (a string that changes when any of it does). */
  readGeneration: () => Promise<string>;
}

const OUTBOX_WINDOW = 1000;

/** One round trip; all parts are index or tiny-table reads. */
export async function readFaqGeneration(): Promise<string> {
  const [row] = rowsOf<Record<string, unknown>>(
    await getDb().execute(sql`
      select
        (select max(seq) from search_outbox) as seq,
        (select count(*) from search_outbox where seq > coalesce((select max(seq) from search_outbox), 0) - ${OUTBOX_WINDOW}) as recent,
        (select count(*) from topics) as topics,
        (select max(updated_at) from topics) as topics_at,
        (select updated_at from app_settings where key = 'branding') as branding_at`),
  );
  return JSON.stringify(row ?? {});
}

/** Browsers and CDNs may keep a page this long; the process itself re-checks every second. */
export const FAQ_CACHE_CONTROL = "public, max-age=60";

/** The cache key: the origin is part of the page (canonical links), so it is part of the key. */
export function faqCacheKey(origin: string, pathname: string, thanks: boolean): string {
  return `${origin}${pathname.replace(/\/+$/, "") || "/"}${thanks ? "?feedback=thanks" : ""}`;
}

/**
 * Status, headers and body for a cached page, whoever sends it (the Remix route, or the HTTP
 * server's fast path in server/http.ts): ETag with 304 on a match, gzip when accepted.
 */
export function cachedPageReply(
  page: CachedPage,
  request: { ifNoneMatch: string | null | undefined; acceptEncoding: string | null | undefined },
  cache: "hit" | "miss",
): { status: 200 | 301 | 304; headers: Record<string, string>; body: Buffer | null } {
  const headers: Record<string, string> = { "Cache-Control": FAQ_CACHE_CONTROL, ETag: page.etag, Vary: "Accept-Encoding", "X-Faq-Cache": cache };
  if (page.status === 301) return { status: 301, headers: { ...headers, Location: page.location! }, body: null };
  headers["Content-Type"] = "text/html; charset=utf-8";
  const inm = request.ifNoneMatch;
  if (inm && inm.split(/\s*,\s*/).some((t) => t === page.etag || t === `W/${page.etag}`)) return { status: 304, headers, body: null };
  if (page.gzip && /\bgzip\b/.test(request.acceptEncoding ?? "")) {
    headers["Content-Encoding"] = "gzip";
    return { status: 200, headers, body: page.gzip };
  }
  return { status: 200, headers, body: page.body };
}

export function etagOf(body: Buffer): string {
  return `"${createHash("sha1").update(body).digest("base64url").slice(0, 22)}"`;
}

export class FaqPageCache {
  private readonly entries = new Map<string, CachedPage>();
  private bytes = 0;
  /** Bumped on every clear: a page rendered under an older epoch is not stored. */
  private epoch = 0;
  private generation: string | null = null;
  private checkedAt = Number.NEGATIVE_INFINITY;
  private inflight: { promise: Promise<void>; force: number } | null = null;
  /** Bumped by recheckSoon(). */
  private force = 0;
  hits = 0;
  misses = 0;

  constructor(private options: FaqCacheOptions) {}

  configure(options: Partial<FaqCacheOptions>): void {
    this.options = { ...this.options, ...options };
    this.recheckSoon();
  }

  get size(): number {
    return this.entries.size;
  }

  get sizeBytes(): number {
    return this.bytes;
  }

  /**
   * Makes sure the cache belongs to the current generation (re-reading it when the last read is
   * older than `checkEveryMs`) and returns the epoch to store pages under. Concurrent callers
   * share one query, but after a `recheckSoon()` never one that started before it.
   */
  /** True when the generation was read within `checkEveryMs` (no query needed before a hit). */
  fresh(): boolean {
    return this.options.now() - this.checkedAt < this.options.checkEveryMs;
  }

  async ready(): Promise<number> {
    if (this.options.now() - this.checkedAt >= this.options.checkEveryMs) {
      const running = this.inflight;
      await (running && running.force === this.force ? running.promise : this.check());
    }
    return this.epoch;
  }

  private check(): Promise<void> {
    const force = this.force;
    const startedAt = this.options.now();
    const promise: Promise<void> = (async () => {
      const generation = await this.options.readGeneration();
      if (generation !== this.generation) {
        this.clear();
        this.generation = generation;
      }
      // A recheckSoon() while this read was on its way asks for a newer read than this one.
      if (force === this.force) this.checkedAt = startedAt;
    })().finally(() => {
      if (this.inflight?.promise === promise) this.inflight = null;
    });
    this.inflight = { promise, force };
    return promise;
  }

  /**
   * Stale-if-error: the page as last rendered, whatever its age or generation, for when the
   * database cannot say whether it is current. A reader gets yesterday's answer, not a 500.
   */
  getStale(key: string): CachedPage | undefined {
    return this.entries.get(key);
  }

  get(key: string): CachedPage | undefined {
    const page = this.entries.get(key);
    if (!page) {
      this.misses++;
      return undefined;
    }
    // Too old to serve normally, but kept (memory stays bounded by maxBytes) for getStale().
    if (this.options.now() - page.storedAt >= this.options.maxAgeMs) {
      this.misses++;
      return undefined;
    }
    // Least recently used goes first: re-insert to move it to the end.
    this.entries.delete(key);
    this.entries.set(key, page);
    this.hits++;
    return page;
  }

  /** Stores a rendered page, unless the cache was cleared since `epoch` (the page may be stale). */
  set(key: string, page: Omit<CachedPage, "storedAt" | "gzip" | "etag">, epoch: number): CachedPage {
    const full: CachedPage = {
      ...page,
      gzip: page.body.length > 1024 ? gzipSync(page.body, { level: 6 }) : null,
      etag: etagOf(page.body),
      storedAt: this.options.now(),
    };
    const size = full.body.length + (full.gzip?.length ?? 0) + key.length;
    if (epoch !== this.epoch || size > this.options.maxBytes) return full;
    this.delete(key);
    this.entries.set(key, full);
    this.bytes += size;
    for (const [oldest] of this.entries) {
      if (this.bytes <= this.options.maxBytes) break;
      this.delete(oldest);
    }
    return full;
  }

  private delete(key: string): void {
    const page = this.entries.get(key);
    if (!page) return;
    this.bytes -= page.body.length + (page.gzip?.length ?? 0) + key.length;
    this.entries.delete(key);
  }

  private clear(): void {
    this.entries.clear();
    this.bytes = 0;
    this.epoch++;
  }

  /** Public content or branding changed in this process: drop everything now. */
  invalidate(): void {
    this.clear();
    this.recheckSoon();
  }

  /** Something may have changed (a write request finished): re-read the generation before the next page. */
  recheckSoon(): void {
    this.force++;
    this.checkedAt = Number.NEGATIVE_INFINITY;
  }
}

// One cache per process, shared by the server's modules and the Remix build's copy of this one.
const key = Symbol.for("vetted.faq-page-cache");
type G = typeof globalThis & { [key]?: FaqPageCache };

export function faqPageCache(): FaqPageCache {
  const g = globalThis as G;
  g[key] ??= new FaqPageCache({
    checkEveryMs: Number(process.env.FAQ_CACHE_CHECK_MS ?? 1000),
    maxAgeMs: Number(process.env.FAQ_CACHE_MAX_AGE_MS ?? 300_000),
    maxBytes: Number(process.env.FAQ_CACHE_MAX_MB ?? 128) * 2 ** 20,
    now: () => performance.timeOrigin + performance.now(),
    readGeneration: readFaqGeneration,
  });
  return g[key];
}
