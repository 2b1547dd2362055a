import { sql } from "drizzle-orm";
import { getDb, rowsOf, type Db, type DbOrTx } from "../../db/client.server";
import { SEARCHABLE_STATES } from "../../search/documents";
import { RateLimiter } from "../models/rate-limit.server";
import { CompletionIndex, didYouMean, Vocabulary, type Completion, type CompletionPhrase, type CompletionSource } from "../../search/suggest";

/**
 * What the search box suggests: completions of the whole query (from the phrasings of certified
 * answers, and whatever other sources are listed in `completionSources`) and "did you mean" (from
 * the words of what the person may find). Built in each process from the database and rebuilt
 * when a source's version changes; the version is asked at most once a second per database.
 */

const VERSION_TTL_MS = 1000;

const searchable = sql.join(
  SEARCHABLE_STATES.map((s) => sql`${s}`),
  sql`, `,
);

/** Certified questions and their alternatives ("also asked as"), weighted by uses. */
export function certifiedQuestionsSource(db: DbOrTx): CompletionSource {
  return {
    name: "certified",
    async version() {
      const [row] = rowsOf<{ v: string }>(
        await db.execute(sql`select (select count(*) || ':' || coalesce(max(updated_at)::text, '') from answers) || '/' ||
          (select count(*) || ':' || coalesce(max(updated_at)::text, '') from answer_versions) as v`),
      );
      return row?.v ?? "";
    },
    async phrases() {
      const rows = rowsOf<{ question: string; alternatives: string[]; uses: number | string }>(
        await db.execute(sql`
          select v.question, v.alternatives,
            (select count(*) from answer_uses u where u.answer_id = a.id and u.undone_at is null) as uses
          from answers a join answer_versions v on v.id = a.live_version_id
          where v.state in (${searchable})`),
      );
      return rows.flatMap((r) => {
        const weight = Math.log1p(Number(r.uses));
        return [r.question, ...(r.alternatives ?? [])].filter(Boolean).map((text): CompletionPhrase => ({ text, source: "certified", weight }));
      });
    },
  };
}

/**
 * Wordings agents taught (app/learning): only the active ones (enough distinct agents, not
 * rejected) of answers that are live, weighted by how many agents and conversations used them.
 */
export function learnedPhrasingsSource(db: DbOrTx): CompletionSource {
  return {
    name: "learned",
    async version() {
      const [row] = rowsOf<{ v: string }>(
        await db.execute(sql`select count(*) filter (where active) || ':' || coalesce(max(last_seen_at)::text, '') || ':' || coalesce(max(decided_at)::text, '') as v from learned_phrasings`),
      );
      return row?.v ?? "";
    },
    async phrases() {
      const rows = rowsOf<{ phrasing: string; n: number | string }>(
        await db.execute(sql`
          select p.phrasing, p.agents + p.conversations as n from learned_phrasings p
          join answers a on a.id = p.answer_id join answer_versions v on v.id = a.live_version_id
          where p.active and p.status <> 'rejected' and v.state in (${searchable})`),
      );
      return rows.map((r): CompletionPhrase => ({ text: r.phrasing, source: "learned", weight: Math.log1p(Number(r.n)) }));
    },
  };
}

/** Every source the completion draws from, in order of trust (ties go to the earlier source); the index dedupes a wording two sources share. */
export function completionSources(db: DbOrTx): CompletionSource[] {
  return [certifiedQuestionsSource(db), learnedPhrasingsSource(db)];
}

interface Cached<T> {
  version: string;
  checkedAt: number;
  value: T;
  building?: Promise<Cached<T>> | undefined;
}

/** One value per database, rebuilt when `version()` changes (asked at most once a second). */
function perDatabase<T>(version: (db: DbOrTx) => Promise<string>, build: (db: DbOrTx) => Promise<T>) {
  const cache = new WeakMap<object, Cached<T>>();
  return async (db: DbOrTx = getDb()): Promise<T> => {
    const key = db as Db;
    const held = cache.get(key);
    const now = Date.now();
    if (held && now - held.checkedAt < VERSION_TTL_MS) return held.value;
    const v = await version(db);
    if (held && held.version === v) {
      held.checkedAt = now;
      return held.value;
    }
    if (held?.building) return (await held.building).value;
    const building = build(db).then((value) => {
      const fresh: Cached<T> = { version: v, checkedAt: Date.now(), value };
      cache.set(key, fresh);
      return fresh;
    });
    if (held) held.building = building;
    try {
      return (await building).value;
    } finally {
      if (held) held.building = undefined;
    }
  };
}

const completionIndex = perDatabase(
  async (db) => (await Promise.all(completionSources(db).map(async (s) => `${s.name}=${await s.version()}`))).join(";"),
  async (db) => new CompletionIndex((await Promise.all(completionSources(db).map((s) => s.phrases()))).flat()),
);

/** Whole-query completions for what is typed, best first. */
export async function completeQuery(q: string, limit = 6, db: DbOrTx = getDb()): Promise<Completion[]> {
  return (await completionIndex(db)).complete(q, limit);
}

/** Words of certified answers: question, alternatives and short answer (what the answer index matches best). */
export const answerVocabulary = perDatabase(
  (db) => certifiedQuestionsSource(db).version(),
  async (db) => {
    const rows = rowsOf<{ t: string }>(
      await db.execute(sql`
        select concat_ws(' ', v.question, array_to_string(v.alternatives, ' '), v.short_answer) as t
        from answers a join answer_versions v on v.id = a.live_version_id where v.state in (${searchable})`),
    );
    return new Vocabulary(rows.map((r) => r.t));
  },
);

/** Words of the wiki, blog and forum anyone may read (no hidden items, no drafts). */
export const contentVocabulary = perDatabase(
  async (db) => {
    const [row] = rowsOf<{ v: string }>(
      await db.execute(sql`select concat_ws('/',
        (select count(*) || ':' || count(hidden_at) || ':' || coalesce(max(updated_at)::text, '') from wiki_pages),
        (select count(*) || ':' || count(hidden_at) || ':' || count(*) filter (where status = 'published') || ':' || coalesce(max(updated_at)::text, '') from blog_posts),
        (select count(*) || ':' || count(hidden_at) || ':' || coalesce(max(updated_at)::text, '') from forum_threads),
        (select count(*) || ':' || count(hidden_at) || ':' || coalesce(max(updated_at)::text, '') from forum_replies)) as v`),
    );
    return row?.v ?? "";
  },
  async (db) => {
    const rows = rowsOf<{ t: string }>(
      await db.execute(sql`
        select title || ' ' || body_text as t from wiki_pages where hidden_at is null
        union all select title || ' ' || body_text from blog_posts where status = 'published' and hidden_at is null
        union all select title || ' ' || body_text from forum_threads where hidden_at is null
        union all select r.body_text from forum_replies r join forum_threads t on t.id = r.thread_id where r.hidden_at is null and t.hidden_at is null`),
    );
    return new Vocabulary(rows.map((r) => r.t));
  },
);

/** "Did you mean" for a query that found little, from what this search covers. */
export async function suggestCorrection(q: string, scope: { content: boolean }, db: DbOrTx = getDb()): Promise<string | null> {
  const vocabularies = [await answerVocabulary(db), ...(scope.content ? [await contentVocabulary(db)] : [])];
  return didYouMean(q, vocabularies);
}

/** Completion requests one person may make in a burst, then per second (one per keystroke pause). */
export const COMPLETIONS_BURST = Number(process.env.COMPLETE_RATE_BURST ?? 120);
export const COMPLETIONS_PER_SECOND = Number(process.env.COMPLETE_RATE_PER_SECOND ?? 10);
// A token bucket in PostgreSQL, shared by every instance like the API's and the uses' (ADR 014).
const completionLimiter = new RateLimiter(COMPLETIONS_BURST, COMPLETIONS_PER_SECOND);

export async function takeCompletionAllowance(userId: string, now = Date.now(), db: DbOrTx = getDb()): Promise<{ ok: true } | { ok: false; retryAfterSeconds: number }> {
  const taken = await completionLimiter.take(`complete:${userId}`, now, db);
  return taken.ok ? { ok: true } : { ok: false, retryAfterSeconds: taken.retryAfterSeconds };
}
