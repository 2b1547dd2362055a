import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createDb, preparedRows, rowsOf, type Db } from "../../db/client.server";
import { testDriver, useFreshDatabase } from "../support/db";
import { createUser } from "../support/factories";

/**
 * The search path's reads (db/client.server.ts, `preparedRows`; ADR 025) give exactly what
 * `db.execute()` gives, and on a PostgreSQL server they are prepared statements: planned once per
 * connection, not on every call.
 */
const db = useFreshDatabase();

const read = (ids: string[]) =>
  sql`select u.id, u.email, u.roles, u.created_at, jsonb_build_object('n', 1, 'name', u.display_name) as doc
      from users u where u.id in (select value::uuid from jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb)) order by u.email`;

describe("prepared search reads", () => {
  it("return the rows db.execute() returns, outside and inside a transaction", async () => {
    const d = db.current.db as Db;
    const a = await createUser(d, { email: "prep-a@example.test", displayName: "Ada" });
    const b = await createUser(d, { email: "prep-b@example.test", displayName: "Bo" });
    const expected = rowsOf(await d.execute(read([a.id, b.id])));
    expect(expected).toHaveLength(2);
    expect(await preparedRows(d, read([a.id, b.id]))).toEqual(expected);
    // Another number of ids is the same statement text: still the same answer.
    expect(await preparedRows(d, read([b.id]))).toEqual(expected.slice(1));
    expect(await preparedRows(d, read([]))).toEqual([]);
    await d.transaction(async (tx) => expect(await preparedRows(tx, read([a.id, b.id]))).toEqual(expected));
  });

  it.runIf(testDriver === "postgres")("are planned once per connection on a PostgreSQL server", async () => {
    // One connection, so the session that prepared is the one asked about.
    const single = await createDb({ url: db.current.url!, max: 1 });
    try {
      const user = await createUser(single.db, { email: "prep-c@example.test" });
      const marker = sql`select ${user.id}::uuid as id, 'prepared-reads-marker' as marker`;
      for (let i = 0; i < 3; i++) expect(await preparedRows(single.db, marker)).toEqual([{ id: user.id, marker: "prepared-reads-marker" }]);
      const prepared = rowsOf<{ n: number }>(
        await single.db.execute(sql`select count(*)::int as n from pg_prepared_statements where statement like '%prepared-reads-marker%' and statement not like '%pg_prepared_statements%'`),
      );
      expect(prepared[0]!.n).toBe(1);
    } finally {
      await single.close();
    }
  });
});
