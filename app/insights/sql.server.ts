import { sql, type SQL } from "drizzle-orm";
import { rowsOf, type DbOrTx } from "../../db/client.server";
import type { Period } from "./range";

/**
 * Which topics a reader of the dashboard may see: null = every topic (knowledge managers,
 * admins); a list = only those (an expert's own topics, or the topic filter). An empty list sees
 * nothing, which is the safe answer for an expert of no topic.
 */
export type Scope = readonly string[] | null;

export const uuidArray = (ids: readonly string[]): SQL => sql`ARRAY[${sql.join(ids.map((id) => sql`${id}`), sql`, `)}]::uuid[]`;

/** `col && scope` for uuid[] columns. */
export function overlapsScope(col: SQL, scope: Scope): SQL {
  if (scope === null) return sql`true`;
  if (scope.length === 0) return sql`false`;
  return sql`${col} && ${uuidArray(scope)}`;
}

/** `col = any(scope)` for one uuid column (null never matches a limited scope). */
export function inScope(col: SQL, scope: Scope): SQL {
  if (scope === null) return sql`true`;
  if (scope.length === 0) return sql`false`;
  return sql`${col} = any(${uuidArray(scope)})`;
}

export const within = (col: SQL, p: Pick<Period, "from" | "to">): SQL => sql`${col} >= ${p.from.toISOString()}::timestamptz and ${col} < ${p.to.toISOString()}::timestamptz`;

/** The chart bucket of a timestamp, as a local YYYY-MM-DD (the day, or the Monday of the week). */
export const bucketOf = (col: SQL, bucket: "day" | "week", timeZone: string): SQL =>
  sql`to_char(date_trunc(${bucket}, ${col} at time zone ${timeZone}), 'YYYY-MM-DD')`;

/**
 * Runs an aggregate and normalises what the two drivers hand back (postgres.js gives bigint and
 * numeric as strings, PGlite as numbers): every query casts counts to int and measures to float8.
 */
export async function query<T>(db: DbOrTx, q: SQL): Promise<T[]> {
  return rowsOf<T>(await db.execute(q));
}

export const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
export const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Math.round(Number(v) * 10) / 10);
export const share = (part: number, whole: number): number | null => (whole > 0 ? Math.round((part / whole) * 1000) / 10 : null);
