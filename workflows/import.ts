import { randomUUID } from "node:crypto";
import { eq, inArray, sql } from "drizzle-orm";
import { marked } from "marked";
import { z } from "zod";
import { documentFromHtml, documentFromPlainText, renderDocument, renderPlainText, validateDocument } from "../app/editor/document.server";
import { faqPageCache } from "../app/models/faq-cache.server";
import { refreshFaqSlug, syncFaqSlugs } from "../app/models/faq-slugs.server";
import type { Db } from "../db/client.server";
import { answerEvents, answers, answerVersions, searchOutbox, topics, users, type AnswerOrigin } from "../db/schema";
import { approvalMachine, MACHINE_VERSION, persistSnapshot } from "./approval.machine";

/** One line of an import file. Only id, question and answer are required. */
export const ImportLineSchema = z.object({
  id: z.union([z.string(), z.number()]).transform(String).pipe(z.string().trim().min(1, "id is required").max(200, "id is at most 200 characters")),
  question: z.string({ message: "question is required" }).trim().min(3, "question is required").max(300, "question is at most 300 characters"),
  alternatives: z.array(z.string().trim().max(300)).max(20).default([]),
  short_answer: z.string().trim().max(280, "short_answer is at most 280 characters").default(""),
  answer: z.string({ message: "answer is required" }).min(1, "answer is required").max(500_000, "answer is too long"),
  topic: z.string().trim().max(80).optional(),
  tags: z.array(z.string().trim().toLowerCase().max(40)).max(20).default([]),
  audience: z.enum(["public", "internal"], { message: "audience is public or internal" }).default("internal"),
});
export type ImportLine = z.output<typeof ImportLineSchema>;

export interface ImportOptions {
  as: "drafts" | "certified";
  /** Slug or name of the topic for lines that name none. */
  topic?: string;
  skipInvalid: boolean;
  /** The importing user (a knowledge manager or admin for certified imports). */
  userEmail?: string;
  reverifyIntervalDays?: number;
  onProgress?: (phase: "checking" | "importing", done: number, total: number) => void;
  now?: Date;
}

export interface ImportReport {
  created: number;
  updated: number;
  unchanged: number;
  skipped: { line: number; message: string }[];
  topicsCreated: string[];
}

export class ImportError extends Error {
  override name = "ImportError";
  constructor(
    message: string,
    readonly problems: { line: number; message: string }[] = [],
  ) {
    super(message);
  }
}

const slugify = (s: string) =>
  s
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "")
    .slice(0, 60) || "general";

const HTML = /<\/?[a-z][a-z0-9]*[\s>/]/i;
const MARKDOWN = /(^|\n)\s{0,3}(#{1,6}\s|[-*+]\s|\d+\.\s|>\s|```)|\*\*|\[[^\]]+\]\([^)]+\)/;
const isPlainText = (text: string) => !HTML.test(text) && !MARKDOWN.test(text);

/**
 * Plain text, Markdown or HTML → a validated editor document (docs/decisions/009-import-formats.md).
 * Markdown is checked first: Markdown with inline HTML ("1. Open <b>Settings</b>") goes through
 * marked, which passes the HTML on, and then, like any HTML, through the editor's schema parser,
 * which keeps what the editor has (bold, italic, links, code, line breaks, tables) and drops the
 * rest (scripts, styles, handlers), keeping its text. Taking such text as HTML lost its lists,
 * headings and paragraphs.
 */
export function answerDocument(text: string) {
  if (MARKDOWN.test(text)) return documentFromHtml(marked.parse(text, { async: false, gfm: true }));
  if (HTML.test(text)) return documentFromHtml(text);
  return validateDocument(documentFromPlainText(text));
}

const BOM = "\uFEFF";
// eslint-disable-next-line no-control-regex
const NUL = /\u0000/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Text PostgreSQL cannot store: a NUL character (not in text, not in jsonb) or half of a UTF-16
 * surrogate pair (not valid Unicode). Found per line, so the line is reported (or skipped)
 * instead of the whole import failing in the database.
 */
function unstorable(value: unknown, field = ""): string | null {
  if (typeof value === "string") {
    if (NUL.test(value)) return `${field || "a field"} contains a NUL character (\\u0000), which cannot be stored; remove it`;
    if (LONE_SURROGATE.test(value)) return `${field || "a field"} contains an unpaired surrogate (half an emoji?), which is not valid text`;
    return null;
  }
  if (Array.isArray(value)) {
    for (const item of value) {
      const problem = unstorable(item, field);
      if (problem) return problem;
    }
    return null;
  }
  if (value && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      const problem = unstorable(key, "a field name") ?? unstorable(item, key);
      if (problem) return problem;
    }
  }
  return null;
}

/** The database's own words, without the SQL drizzle puts in front (it may be megabytes long). */
function databaseMessage(error: unknown): string {
  const e = error as { cause?: { message?: unknown }; message?: unknown };
  const message = String(e?.cause?.message ?? e?.message ?? error);
  return message.replace(/^Failed query:[\s\S]*$/, "unknown database error").split("\n")[0]!.slice(0, 300);
}

interface Prepared {
  line: number;
  data: ImportLine;
  topicKey: string | null;
  body: object;
  html: string;
  text: string;
}

/**
 * Imports an existing FAQ (JSON lines). Every line is checked first; a bad line stops the
 * import with its line number and nothing is written, unless skipInvalid. Then everything is
 * written in one transaction. Lines are keyed by `id`: importing the same id again updates the
 * answer instead of duplicating it. Certified imports record their origin and the importing user
 * in the answer's history; they skip expert review by design (the source was already vetted).
 */
export async function importAnswers(db: Db, lines: string[], options: ImportOptions): Promise<ImportReport> {
  const now = options.now ?? new Date();
  const [importer] = options.userEmail
    ? await db.select().from(users).where(eq(users.email, options.userEmail.toLowerCase()))
    : await db.select().from(users).where(sql`${users.active} and ${users.roles} && array['knowledge_manager','admin']::role[]`).orderBy(users.createdAt).limit(1);
  if (!importer) throw new ImportError(options.userEmail ? `No user ${options.userEmail}.` : "No knowledge manager or admin exists to import as; pass --as-user.");
  if (options.as === "certified" && !importer.roles.some((r) => r === "knowledge_manager" || r === "admin")) {
    throw new ImportError(`${importer.email} may not certify answers: import as a knowledge manager or admin.`);
  }

  const problems: { line: number; message: string }[] = [];
  const prepared: Prepared[] = [];
  const seen = new Set<string>();
  for (const [i, original] of lines.entries()) {
    const line = i + 1;
    // Files saved by Windows tools often start with a byte-order mark: not part of the JSON.
    const raw = i === 0 && original.startsWith(BOM) ? original.slice(1) : original;
    if (!raw.trim()) continue;
    if (line % 1000 === 0) options.onProgress?.("checking", line, lines.length);
    if (raw.includes("\u0000")) {
      problems.push({ line, message: "contains a NUL byte, which cannot be stored; remove it" });
      continue;
    }
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      problems.push({ line, message: "not valid JSON" });
      continue;
    }
    const bad = unstorable(json);
    if (bad) {
      problems.push({ line, message: bad });
      continue;
    }
    const parsed = ImportLineSchema.safeParse(json);
    if (!parsed.success) {
      problems.push({ line, message: parsed.error.issues.map((x) => x.message).join("; ") });
      continue;
    }
    if (seen.has(parsed.data.id)) {
      problems.push({ line, message: `id ${parsed.data.id} appears twice in this file` });
      continue;
    }
    const topicKey = parsed.data.topic ?? options.topic ?? null;
    if (isPlainText(parsed.data.answer) && parsed.data.answer.length < 100_000) {
      const plain = renderPlainText(parsed.data.answer);
      seen.add(parsed.data.id);
      prepared.push({ line, data: parsed.data, topicKey, body: plain.doc, html: plain.html, text: plain.text });
      continue;
    }
    const doc = answerDocument(parsed.data.answer);
    if (!doc.ok) {
      problems.push({ line, message: `answer: ${doc.message}` });
      continue;
    }
    seen.add(parsed.data.id);
    const { html, text } = renderDocument(doc.doc);
    prepared.push({ line, data: parsed.data, topicKey, body: doc.doc, html, text });
  }
  if (problems.length > 0 && !options.skipInvalid) {
    throw new ImportError(`${problems.length} invalid line${problems.length === 1 ? "" : "s"}; nothing was imported (use --skip-invalid to import the rest).`, problems);
  }

  const report: ImportReport = { created: 0, updated: 0, unchanged: 0, skipped: problems, topicsCreated: [] };
  const certify = options.as === "certified";
  try {
    await db.transaction(async (tx) => {
      // Topics by slug or name; missing ones are created so an import never needs setup first.
      const allTopics = await tx.select().from(topics);
      const topicFor = new Map<string, string>();
      for (const key of new Set(prepared.map((p) => p.topicKey).filter((k): k is string => !!k))) {
        const found = allTopics.find((t) => t.slug === key || t.slug === slugify(key) || t.name.toLowerCase() === key.toLowerCase());
        if (found) topicFor.set(key, found.id);
        else {
          const [created] = await tx.insert(topics).values({ slug: slugify(key), name: key }).onConflictDoNothing().returning();
          const id = created?.id ?? (await tx.select().from(topics).where(eq(topics.slug, slugify(key))))[0]!.id;
          topicFor.set(key, id);
          report.topicsCreated.push(key);
        }
      }
      const intervalFor = new Map(allTopics.map((t) => [t.id, t.reverifyIntervalDays]));
      const externalIds = prepared.map((p) => `import:${p.data.id}`);
      const existing = new Map<string, { answerId: string; versionId: string | null; question: string; bodyText: string; shortAnswer: string }>();
      for (let i = 0; i < externalIds.length; i += 5000) {
        const chunk = externalIds.slice(i, i + 5000);
        const rows = await tx
          .select({ externalId: answers.externalId, answerId: answers.id, versionId: answerVersions.id, question: answerVersions.question, bodyText: answerVersions.bodyText, shortAnswer: answerVersions.shortAnswer })
          .from(answers)
          .leftJoin(answerVersions, eq(answerVersions.id, sql`coalesce(${answers.liveVersionId}, ${answers.openVersionId})`))
          .where(inArray(answers.externalId, chunk));
        for (const r of rows) existing.set(r.externalId!, { ...r, question: r.question ?? "", bodyText: r.bodyText ?? "", shortAnswer: r.shortAnswer ?? "" });
      }

      const origin = (p: Prepared): AnswerOrigin => ({ type: "import", id: p.data.id, label: `imported FAQ entry ${p.data.id}`, importedBy: importer.id });
      const BATCH = 1000;
      for (let start = 0; start < prepared.length; start += BATCH) {
        const batch = prepared.slice(start, start + BATCH);
        const fresh = batch.filter((p) => !existing.has(`import:${p.data.id}`));
        const again = batch.filter((p) => existing.has(`import:${p.data.id}`));
        if (fresh.length > 0) {
          // Ids are made here so the answers, their versions, history and outbox rows go in as one
          // statement a batch: the query builder and a round trip per table cost more than the rows.
          const rows = fresh.map((p) => {
            const answerId = randomUUID();
            const versionId = randomUUID();
            const topicIds = p.topicKey ? [topicFor.get(p.topicKey)!] : [];
            const interval = options.reverifyIntervalDays ?? (topicIds[0] ? intervalFor.get(topicIds[0]) : undefined) ?? 180;
            const reverifyAt = new Date(now.getTime() + interval * 86_400_000).toISOString();
            const context = {
              authorId: importer.id,
              topicIds,
              requiredApprovals: 1,
              approvals: [],
              ...(certify ? { certifiedBy: importer.id, certifiedAt: now.toISOString(), ownerId: importer.id, reverifyIntervalDays: interval, reverifyAt } : {}),
            };
            const snapshot = approvalMachine.resolveState({ value: certify ? "certified" : "draft", context });
            return {
              answer_id: answerId,
              version_id: versionId,
              external_id: `import:${p.data.id}`,
              origin: origin(p),
              question: p.data.question,
              alternatives: p.data.alternatives,
              short_answer: p.data.short_answer,
              body: p.body,
              body_html: p.html,
              body_text: p.text,
              topic_ids: topicIds,
              tags: p.data.tags,
              audience: p.data.audience,
              snapshot: persistSnapshot(snapshot).snapshot,
              reverify_at: certify ? reverifyAt : null,
            };
          });
          const state = certify ? "certified" : "draft";
          const at = now.toISOString();
          await tx.execute(sql`
            with x as (
              select * from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(
                answer_id uuid, version_id uuid, external_id text, origin jsonb, question text, alternatives text[], short_answer text,
                body jsonb, body_html text, body_text text, topic_ids uuid[], tags text[], audience audience, snapshot jsonb, reverify_at timestamptz)),
            a as (
              insert into answers (id, created_by, origin, external_id, live_version_id, open_version_id, created_at, updated_at)
              select answer_id, ${importer.id}::uuid, origin, external_id,
                ${certify ? sql`version_id` : sql`null::uuid`}, ${certify ? sql`null::uuid` : sql`version_id`}, ${at}::timestamptz, ${at}::timestamptz
              from x returning id),
            v as (
              insert into answer_versions (id, answer_id, number, author_id, question, alternatives, short_answer, body, body_html, body_text,
                topic_ids, tags, audience, state, snapshot, machine_version, certified_by, certified_at, owner_id, reverify_at, created_at, updated_at)
              select version_id, answer_id, 1, ${importer.id}::uuid, question, alternatives, short_answer, body, body_html, body_text,
                topic_ids, tags, audience, ${state}, snapshot, ${MACHINE_VERSION},
                ${certify ? sql`${importer.id}::uuid` : sql`null::uuid`}, ${certify ? sql`${at}::timestamptz` : sql`null::timestamptz`},
                ${certify ? sql`${importer.id}::uuid` : sql`null::uuid`}, reverify_at, ${at}::timestamptz, ${at}::timestamptz
              from x returning id),
            e as (
              insert into answer_events (answer_id, version_id, at, actor_id, event, from_state, to_state, data)
              select answer_id, version_id, ${at}::timestamptz, ${importer.id}::uuid, 'IMPORT', null, ${state}, jsonb_build_object('origin', origin)
              from x returning id)
            ${certify ? sql`insert into search_outbox (answer_id, op, created_at, next_attempt_at) select answer_id, 'upsert', ${at}::timestamptz, ${at}::timestamptz from x` : sql`select count(*) from x`}`);
          report.created += fresh.length;
        }
        for (const p of again) {
          const prior = existing.get(`import:${p.data.id}`)!;
          if (prior.question === p.data.question && prior.bodyText === p.text && prior.shortAnswer === p.data.short_answer) {
            report.unchanged++;
            continue;
          }
          if (!prior.versionId) continue;
          // The source changed: the imported version takes the new text (it was vetted at the source).
          await tx
            .update(answerVersions)
            .set({
              question: p.data.question,
              alternatives: p.data.alternatives,
              shortAnswer: p.data.short_answer,
              body: p.body,
              bodyHtml: p.html,
              bodyText: p.text,
              tags: p.data.tags,
              audience: p.data.audience,
              revision: sql`${answerVersions.revision} + 1`,
              lockVersion: sql`${answerVersions.lockVersion} + 1`,
              updatedAt: now,
            })
            .where(eq(answerVersions.id, prior.versionId));
          const [v] = await tx.select({ state: answerVersions.state }).from(answerVersions).where(eq(answerVersions.id, prior.versionId));
          await tx.insert(answerEvents).values({ answerId: prior.answerId, versionId: prior.versionId, at: now, actorId: importer.id, event: "REIMPORT", fromState: v!.state, toState: v!.state, data: { origin: origin(p) } });
          await tx.insert(searchOutbox).values({ answerId: prior.answerId, op: "upsert", createdAt: now, nextAttemptAt: now });
          // A changed question moves the public address (the old one redirects).
          await refreshFaqSlug(tx, prior.answerId);
          report.updated++;
        }
        options.onProgress?.("importing", Math.min(start + BATCH, prepared.length), prepared.length);
      }
      // Public answers get their FAQ addresses in the same transaction as the answers: a server
      // that sees the new generation sees them whole (before, only a restart gave them addresses).
      if (certify) await syncFaqSlugs(tx);
    });
  } catch (error) {
    // Every line passed the checks, so this is unexpected: say so in one line, without the SQL.
    throw new ImportError(`the database refused the import (${databaseMessage(error)}); nothing was imported.`);
  }
  // This process's public FAQ pages (an import run inside the server); another process's server
  // sees the new outbox rows in its next generation check (within a second).
  if (certify) faqPageCache().invalidate();
  return report;
}
