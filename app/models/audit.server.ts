import { and, count, desc, eq, gte, ilike, like, lt, or, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { getDb, type DbOrTx } from "../../db/client.server";
import { auditLog, users } from "../../db/schema";
import { csvRow, type AuditFilter, type AuditKind } from "./audit.schema";

export interface AuditEntry {
  actorId: string | null;
  action: string;
  subjectType: string;
  subjectId: string;
  data?: Record<string, unknown>;
  at?: Date;
}

/** Records an administrative action; call inside the transaction that performs it. */
export async function recordAudit(db: DbOrTx, entry: AuditEntry): Promise<void> {
  await db.insert(auditLog).values({ ...entry, data: entry.data ?? {}, at: entry.at ?? new Date() });
}

/** Which actions each kind of the viewer covers (LIKE patterns on `action`). */
const KIND_ACTIONS: Record<AuditKind, string[]> = {
  sign_in: ["auth.%"],
  roles: ["user.roles"],
  deactivation: ["user.deactivate", "user.reactivate"],
  users: ["user.create"],
  tokens: ["token.%"],
  settings: ["settings.%", "search.synonyms"],
  topics: ["topic.%"],
  moderation: ["content.%", "flag.%", "answer.%", "phrasing.%"],
};

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

const actor = alias(users, "actor");
const subjectUser = alias(users, "subject_user");

function whereOf(filter: Omit<AuditFilter, "page">): SQL | undefined {
  const parts: (SQL | undefined)[] = [];
  if (filter.kind) parts.push(or(...KIND_ACTIONS[filter.kind].map((p) => like(auditLog.action, p))));
  if (filter.actor) {
    const q = `%${escapeLike(filter.actor)}%`;
    parts.push(or(ilike(actor.email, q), ilike(actor.displayName, q)));
  }
  if (filter.from) parts.push(gte(auditLog.at, new Date(`${filter.from}T00:00:00Z`)));
  // "to" is a whole day, inclusive.
  if (filter.to) parts.push(lt(auditLog.at, new Date(Date.parse(`${filter.to}T00:00:00Z`) + 86_400_000)));
  return and(...parts);
}

function baseQuery(db: DbOrTx) {
  return db
    .select({
      id: auditLog.id,
      at: auditLog.at,
      action: auditLog.action,
      subjectType: auditLog.subjectType,
      subjectId: auditLog.subjectId,
      data: auditLog.data,
      actorEmail: actor.email,
      actorName: actor.displayName,
      subjectEmail: subjectUser.email,
    })
    .from(auditLog)
    .leftJoin(actor, eq(actor.id, auditLog.actorId))
    .leftJoin(subjectUser, and(eq(auditLog.subjectType, "user"), eq(sql`${subjectUser.id}::text`, auditLog.subjectId)));
}

export const AUDIT_PAGE_SIZE = 50;

/** One page of the log, newest first, with the total for the pager. */
export async function listAudit(filter: AuditFilter, db: DbOrTx = getDb()) {
  const where = whereOf(filter);
  const [rows, [total]] = await Promise.all([
    baseQuery(db)
      .where(where)
      .orderBy(desc(auditLog.at), desc(auditLog.id))
      .limit(AUDIT_PAGE_SIZE)
      .offset((filter.page - 1) * AUDIT_PAGE_SIZE),
    db.select({ n: count() }).from(auditLog).leftJoin(actor, eq(actor.id, auditLog.actorId)).where(where),
  ]);
  return { rows, total: total?.n ?? 0, pageSize: AUDIT_PAGE_SIZE };
}

/** The most rows one CSV export holds; narrow the filters for more. */
export const AUDIT_CSV_LIMIT = 100_000;

/** Every matching entry as CSV (formula-safe cells, see csvCell), newest first. */
export async function auditCsv(filter: Omit<AuditFilter, "page">, db: DbOrTx = getDb()): Promise<string> {
  const rows = await baseQuery(db).where(whereOf(filter)).orderBy(desc(auditLog.at), desc(auditLog.id)).limit(AUDIT_CSV_LIMIT);
  let out = csvRow(["at", "actor_email", "actor_name", "action", "subject_type", "subject_id", "subject_email", "data"]);
  for (const r of rows) out += csvRow([r.at, r.actorEmail, r.actorName, r.action, r.subjectType, r.subjectId, r.subjectEmail, r.data]);
  return out;
}
