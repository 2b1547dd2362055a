import { and, eq, inArray, sql } from "drizzle-orm";
import type { JSONContent } from "@tiptap/core";
import { getDb, type DbOrTx } from "../../db/client.server";
import { answers, answerVersions, appSettings, faqSlugs, topics, users } from "../../db/schema";
import { channelReply, escapeHtml, toMarkdown, toPlainText, toReplyHtml } from "../editor/reply-formats";
import { DeskSettingsSchema, type DeskSettings, type ReplyFormat } from "./agent.schema";
import { recordAudit } from "./audit.server";
import type { FieldErrors } from "../utils/forms.server";
import { getConfig } from "../../server/config";

/** Where links in a reply point: the configured public address, else the one this request came to. */
export function replyBaseUrl(request: Request): string {
  return getConfig().publicUrl ?? new URL(request.url).origin;
}

// The agent's desk: what an agent pastes into a reply, built from the certified document itself
// (never from the flattened search text), and the settings an admin gives the desk.

const SETTINGS_KEY = "agent-desk";

let cached: { at: number; value: DeskSettings } | undefined;
const SETTINGS_TTL_MS = 5_000;

export async function getDeskSettings(db: DbOrTx = getDb()): Promise<DeskSettings> {
  if (cached && Date.now() - cached.at < SETTINGS_TTL_MS) return cached.value;
  const [row] = await db.select().from(appSettings).where(eq(appSettings.key, SETTINGS_KEY));
  const parsed = DeskSettingsSchema.safeParse(row?.value ?? {});
  const value = parsed.success ? parsed.data : DeskSettingsSchema.parse({});
  cached = { at: Date.now(), value };
  return value;
}

/** From the admin form (origins one per line) to settings, or field errors naming the bad line. */
export function deskSettingsFromForm(form: { signOff: string; panelOrigins: string }): { ok: true; value: DeskSettings } | { ok: false; errors: FieldErrors } {
  const origins = form.panelOrigins
    .split(/[\r\n,]+/)
    .map((l) => l.trim())
    .filter(Boolean);
  const parsed = DeskSettingsSchema.safeParse({ signOff: form.signOff, panelOrigins: origins });
  if (parsed.success) return { ok: true, value: parsed.data };
  const errors: FieldErrors = {};
  for (const issue of parsed.error.issues) {
    const key = String(issue.path[0] ?? "form");
    (errors[key] ??= []).push(key === "panelOrigins" && issue.path.length > 1 ? `Line ${Number(issue.path[1]) + 1}: ${issue.message}` : issue.message);
  }
  return { ok: false, errors };
}

export async function saveDeskSettings(value: DeskSettings, actorId: string, db: DbOrTx = getDb()): Promise<void> {
  const clean = DeskSettingsSchema.parse(value);
  await db.transaction(async (tx) => {
    await tx
      .insert(appSettings)
      .values({ key: SETTINGS_KEY, value: clean, updatedAt: new Date() })
      .onConflictDoUpdate({ target: appSettings.key, set: { value: clean, updatedAt: new Date() } });
    await recordAudit(tx, { actorId, action: "settings.agent-desk", subjectType: "settings", subjectId: SETTINGS_KEY, data: { ...clean } });
  });
  cached = undefined;
}

/** A certified answer in every form an agent or a help-desk tool pastes it. */
export interface AnswerFormats {
  answerId: string;
  versionId: string;
  versionNumber: number;
  question: string;
  shortAnswer: string;
  audience: "internal" | "public";
  answerText: string;
  answerMarkdown: string;
  answerHtml: string;
  /** The public FAQ page, for public answers. */
  faqUrl: string | null;
  /** The certified document itself, for the channel replies; never sent as is. */
  body: JSONContent;
  certificate: { certifiedBy: string | null; certifiedAt: Date | null; version: number; reverifyAt: Date | null; reverificationDue: boolean };
}

// A certified version's text never changes, so its formats are kept a while per process: the
// search API returns them for every hit, and reading and converting ten bodies per call halved
// its throughput (bench:search). Entries live 30 s (the FAQ link can move) and the newest 2,000
// are kept; callers pass the version they expect, so a newer version is never served stale.
const FORMATS_TTL_MS = 30_000;
const FORMATS_MAX = 2_000;
const formatsCache = new Map<string, { at: number; formats: AnswerFormats }>();

function cachedFormats(answerId: string, versionId: string, baseUrl: string, now: number): AnswerFormats | null {
  const key = `${baseUrl}|${answerId}`;
  const hit = formatsCache.get(key);
  if (!hit || hit.formats.versionId !== versionId || now - hit.at > FORMATS_TTL_MS) return null;
  return hit.formats;
}

/**
 * Formats for search hits, whose versions the index names: from this process's cache when it
 * holds that version, else read (one statement for all the misses).
 */
export async function formatsForHits(hits: { id: string; versionId: string }[], baseUrl: string, db: DbOrTx = getDb()): Promise<Map<string, AnswerFormats>> {
  const now = Date.now();
  const out = new Map<string, AnswerFormats>();
  const misses: string[] = [];
  for (const h of hits) {
    const f = cachedFormats(h.id, h.versionId, baseUrl, now);
    if (f) out.set(h.id, f);
    else misses.push(h.id);
  }
  for (const [id, f] of await answerFormats(misses, baseUrl, db)) out.set(id, f);
  return out;
}

// Converting a body to text, Markdown and HTML is the costly part of a formats miss (most of the
// first round of bench:search's HTTP run), and a version's body never changes once certified: the
// conversions are kept per version for as long as they are among the newest 5,000, while the
// entries above expire after 30 s (only their FAQ link and certificate need re-reading).
const CONVERTED_MAX = 5_000;
const convertedCache = new Map<string, { text: string; markdown: string; html: string }>();

/** `revisionKey` is the version id and its revision: any edit of the row makes a new key. */
function convertedBody(revisionKey: string, body: JSONContent, baseUrl: string) {
  const key = `${baseUrl}|${revisionKey}`;
  let hit = convertedCache.get(key);
  if (hit) {
    convertedCache.delete(key);
  } else {
    const options = { baseUrl };
    hit = { text: toPlainText(body, options), markdown: toMarkdown(body, options), html: toReplyHtml(body, options) };
    if (convertedCache.size >= CONVERTED_MAX) convertedCache.delete(convertedCache.keys().next().value!);
  }
  convertedCache.set(key, hit);
  return hit;
}

// The formats of a search's hits are read on every new search: prepared once per database (a
// PostgreSQL server then plans it once per connection; docs/decisions/025-prepared-search-reads.md).
function formatsQuery(db: DbOrTx) {
  return db
    .select({
      answerId: answers.id,
      versionId: answerVersions.id,
      number: answerVersions.number,
      revision: answerVersions.revision,
      question: answerVersions.question,
      shortAnswer: answerVersions.shortAnswer,
      body: answerVersions.body,
      audience: answerVersions.audience,
      state: answerVersions.state,
      certifiedAt: answerVersions.certifiedAt,
      reverifyAt: answerVersions.reverifyAt,
      certifiedBy: users.displayName,
      faqTopic: topics.slug,
      faqSlug: faqSlugs.slug,
    })
    .from(answers)
    .innerJoin(answerVersions, eq(answerVersions.id, answers.liveVersionId))
    .leftJoin(users, eq(users.id, answerVersions.certifiedBy))
    .leftJoin(faqSlugs, and(eq(faqSlugs.answerId, answers.id), eq(faqSlugs.current, true), sql`${answerVersions.audience} = 'public' and ${answerVersions.state} = 'certified'`))
    .leftJoin(topics, eq(topics.id, faqSlugs.topicId))
    .where(
      and(
        sql`${answers.id} in (select value::uuid from jsonb_array_elements_text(${sql.placeholder("ids")}::jsonb))`,
        inArray(answerVersions.state, ["certified", "reverification_due"]),
      ),
    )
    .prepare("answer_formats");
}
const preparedFormats = new WeakMap<DbOrTx, ReturnType<typeof formatsQuery>>();

/** Live, agent-findable versions of these answers in every format; missing ids are left out. */
export async function answerFormats(answerIds: string[], baseUrl: string, db: DbOrTx = getDb()): Promise<Map<string, AnswerFormats>> {
  const out = new Map<string, AnswerFormats>();
  if (answerIds.length === 0) return out;
  let query = preparedFormats.get(db);
  if (!query) preparedFormats.set(db, (query = formatsQuery(db)));
  const rows = await query.execute({ ids: JSON.stringify(answerIds) });
  const now = Date.now();
  for (const r of rows) {
    const body = r.body as JSONContent;
    const converted = convertedBody(`${r.versionId}.${r.revision}`, body, baseUrl);
    const formats: AnswerFormats = {
      answerId: r.answerId,
      versionId: r.versionId,
      versionNumber: r.number,
      question: r.question,
      shortAnswer: r.shortAnswer,
      audience: r.audience,
      answerText: converted.text,
      answerMarkdown: converted.markdown,
      answerHtml: converted.html,
      faqUrl: r.faqTopic && r.faqSlug ? `${baseUrl}/faq/${r.faqTopic}/${r.faqSlug}` : null,
      body,
      certificate: {
        certifiedBy: r.certifiedBy,
        certifiedAt: r.certifiedAt,
        version: r.number,
        reverifyAt: r.reverifyAt,
        reverificationDue: r.state === "reverification_due",
      },
    };
    out.set(r.answerId, formats);
    formatsCache.delete(`${baseUrl}|${r.answerId}`);
    formatsCache.set(`${baseUrl}|${r.answerId}`, { at: now, formats });
  }
  // Oldest first in a Map's order: trim from the front.
  for (const key of formatsCache.keys()) {
    if (formatsCache.size <= FORMATS_MAX) break;
    formatsCache.delete(key);
  }
  return out;
}

/** One reply in one format, both flavours (plain text and sanitised HTML). */
export async function replyIn(format: ReplyFormat, answerId: string, baseUrl: string, db: DbOrTx = getDb()): Promise<({ text: string; html: string } & { versionId: string; versionNumber: number }) | null> {
  const [formats, settings] = await Promise.all([answerFormats([answerId], baseUrl, db), getDeskSettings(db)]);
  const f = formats.get(answerId);
  if (!f) return null;
  return { ...replyFromFormats(format, f, settings, baseUrl), versionId: f.versionId, versionNumber: f.versionNumber };
}

/**
 * Channel replies made from one formats object (kept per answer version), by channel, sign-off
 * and base URL: the API builds one for every hit of every search with `channel=`. Keeping them took
 * that call from 341 to 355–365 req/s under 20 clients; the rest of its cost is the size of what it
 * sends (docs/benchmarks.md, tenth session).
 */
const channelReplies = new WeakMap<AnswerFormats, Map<string, { text: string; html: string }>>();

/** The reply in a format from already loaded formats (the API does this for each hit). */
export function replyFromFormats(format: ReplyFormat, f: AnswerFormats, settings: DeskSettings, baseUrl: string): { text: string; html: string } {
  if (format === "short") return { text: f.shortAnswer, html: `<p>${escapeHtml(f.shortAnswer)}</p>` };
  if (format === "full") return { text: f.answerText, html: f.answerHtml };
  const signOff = settings.signOff || null;
  let made = channelReplies.get(f);
  if (!made) channelReplies.set(f, (made = new Map()));
  const key = JSON.stringify([format, signOff, baseUrl]);
  let reply = made.get(key);
  if (!reply) made.set(key, (reply = channelReply(format, { question: f.question, shortAnswer: f.shortAnswer, body: f.body, faqUrl: f.faqUrl, signOff, baseUrl })));
  return { ...reply };
}

/** The panel's CSP frame-ancestors: the app's own origin and the origins an admin allowed. */
export async function panelFrameAncestors(db: DbOrTx = getDb()): Promise<string> {
  const { panelOrigins } = await getDeskSettings(db);
  return ["'self'", ...panelOrigins].join(" ");
}
