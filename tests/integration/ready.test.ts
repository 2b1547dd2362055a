import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { searchOutbox } from "../../db/schema";
import { checkReady } from "../../app/models/health.server";
import { warmUpSearch } from "../../app/models/search.server";
import { useFreshDatabase } from "../support/db";

const database = useFreshDatabase();
const db = () => database.current.db;

describe("readiness (/ready) is stricter than liveness", () => {
  it("is ready on a migrated database with the search index answering, its copy loaded, and no backlog", async () => {
    await warmUpSearch();
    expect(await checkReady()).toEqual({ ready: true, checks: { database: true, migrations: true, search: true, outbox: true }, reasons: [] });
  });

  it("is not ready while the search outbox is more than its bound behind, and says so", async () => {
    const [row] = await db()
      .insert(searchOutbox)
      .values({ answerId: "00000000-0000-4000-8000-000000000001", op: "remove", createdAt: new Date(Date.now() - 10 * 60_000) })
      .returning({ seq: searchOutbox.seq });
    const ready = await checkReady();
    expect(ready.ready).toBe(false);
    expect(ready.checks.outbox).toBe(false);
    expect(ready.reasons.join(" ")).toMatch(/search index is \d+ s behind/);
    await db().delete(searchOutbox).where(sql`${searchOutbox.seq} = ${row!.seq}`);
  });

  it("is not ready when the database is behind the code's migrations", async () => {
    const result = await db().execute(sql`delete from drizzle.__drizzle_migrations where id = (select max(id) from drizzle.__drizzle_migrations) returning hash, created_at`);
    const deleted = (Array.isArray(result) ? result : ((result as { rows?: unknown[] }).rows ?? [])) as { hash: string; created_at: string }[];
    const ready = await checkReady();
    expect(ready).toMatchObject({ ready: false, checks: { migrations: false } });
    expect(ready.reasons).toContain("1 migration(s) not applied yet");
    await db().execute(sql`insert into drizzle.__drizzle_migrations (hash, created_at) values (${deleted[0]!.hash}, ${deleted[0]!.created_at})`);
    expect((await checkReady()).ready).toBe(true);
  });
});
