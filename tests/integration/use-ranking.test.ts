import { count, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { recordUse, takeUseAllowance, USES_PER_MINUTE } from "../../app/models/agent.server";
import { pruneRateLimits, RateLimiter } from "../../app/models/rate-limit.server";
import { popularFaqAnswers } from "../../app/models/faq.server";
import { answerUses, rateLimits, type User } from "../../db/schema";
import { certifiedAnswer, workflowCast } from "../support/answers";
import { TestClient } from "../support/app";
import { useFreshDatabase } from "../support/db";
import { createUser, TEST_PASSWORD } from "../support/factories";

const database = useFreshDatabase();
const db = () => database.current.db;

let cast: Awaited<ReturnType<typeof workflowCast>>;
let rigged: string;
let useful: string;
beforeAll(async () => {
  cast = await workflowCast(db());
  rigged = (await certifiedAnswer(db(), cast, { question: "Which answer is rigged to the top?" })).answerId;
  useful = (await certifiedAnswer(db(), cast, { question: "Which answer do many agents use?" })).answerId;
});

const day = (d: number, minute = 0) => new Date(Date.UTC(2026, 10, d, 9, minute));

describe("the public FAQ's most used ranking", () => {
  it("counts at most one use per person, answer and day, while every use is still recorded", async () => {
    const insider = await createUser(db(), { roles: ["agent"] });
    const agents: User[] = await Promise.all([1, 2, 3].map(() => createUser(db(), { roles: ["agent"] })));
    // One person: 200 copies in a burst on one day, plus one use on a second day → counts 2.
    for (let i = 0; i < 200; i++) await recordUse({ answerId: rigged, kind: "copy_short", userId: insider.id, at: new Date(day(1).getTime() + i * 100) });
    await recordUse({ answerId: rigged, kind: "used", channel: "chat", userId: insider.id, at: day(2) });
    // Three agents, one use each on one day (and two of them twice that day) → counts 3.
    for (const [i, a] of agents.entries()) {
      await recordUse({ answerId: useful, kind: "used", channel: "email", userId: a.id, at: day(1, i) });
      if (i < 2) await recordUse({ answerId: useful, kind: "copy_full", userId: a.id, at: day(1, 30 + i) });
    }
    const [{ n }] = (await db().select({ n: count() }).from(answerUses).where(eq(answerUses.answerId, rigged))) as [{ n: number }];
    expect(n).toBe(201);
    const top = await popularFaqAnswers(10);
    expect(top.map((a) => a.question).slice(0, 2)).toEqual(["Which answer do many agents use?", "Which answer is rigged to the top?"]);
    // And on the live FAQ home page.
    const home = await new TestClient().page("/faq");
    expect(home.html.indexOf("Which answer do many agents use?")).toBeLessThan(home.html.indexOf("Which answer is rigged to the top?"));
  });
});

describe("rate limit on recording uses", () => {
  it(`allows ${USES_PER_MINUTE} a minute per person, then refuses until the bucket refills`, async () => {
    const t0 = 1_000_000;
    for (let i = 0; i < USES_PER_MINUTE; i++) expect((await takeUseAllowance("person-a", t0)).ok).toBe(true);
    const refused = await takeUseAllowance("person-a", t0);
    expect(refused).toMatchObject({ ok: false, retryAfterSeconds: 2 });
    expect((await takeUseAllowance("person-b", t0)).ok).toBe(true); // per person
    expect((await takeUseAllowance("person-a", t0 + 2000)).ok).toBe(true); // 30 a minute: one every 2 s
    expect((await takeUseAllowance("person-a", t0 + 2000)).ok).toBe(false);
  });

  it("is one bucket however many callers race for it: exactly the capacity is granted", async () => {
    const t0 = 5_000_000;
    const limiter = new RateLimiter(10, 0.001);
    const results = await Promise.all(Array.from({ length: 40 }, () => limiter.take("race", t0)));
    expect(results.filter((r) => r.ok)).toHaveLength(10);
    // Forgotten after an hour untouched, which changes nothing: the bucket would be full again.
    expect(await pruneRateLimits(new Date(t0 + 3_600_001))).toBeGreaterThanOrEqual(1);
    expect((await limiter.take("race", t0 + 3_600_001)).ok).toBe(true);
  });

  it("leases tokens in batches per process for large buckets, never granting more than the bucket holds", async () => {
    const t0 = 9_000_000;
    // Two processes' limiters on one bucket of 200 (leases of 10), 300 callers each, all at once.
    const [a, b] = [new RateLimiter(200, 0.001), new RateLimiter(200, 0.001)];
    expect(a.lease).toBe(10);
    const results = await Promise.all([a, b].flatMap((l) => Array.from({ length: 300 }, () => l.take("leased", t0))));
    const granted = results.filter((r) => r.ok).length;
    expect(granted).toBeLessThanOrEqual(200);
    // Unspent leases are the only loss: at most one lease per process.
    expect(granted).toBeGreaterThanOrEqual(200 - 2 * 9);
    const [row] = await database.current.db.select().from(rateLimits).where(eq(rateLimits.key, "leased"));
    expect(row!.tokens).toBeLessThan(10);
  });

  it("the search page's use button answers 429 with a clear message after the limit, and records nothing more", async () => {
    const agent = new TestClient();
    await agent.signIn(cast.agent.email, TEST_PASSWORD);
    await agent.page("/");
    const before = await db().select({ n: count() }).from(answerUses).where(eq(answerUses.userId, cast.agent.id));
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < USES_PER_MINUTE + 3; i++) {
      last = await agent.post("/search/use", { answerId: useful, kind: "copy_short" });
      statuses.push(last.status);
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(USES_PER_MINUTE);
    expect(statuses.slice(-3)).toEqual([429, 429, 429]);
    expect(last!.headers.get("Retry-After")).toMatch(/^\d+$/);
    expect(((await last!.json()) as { message: string }).message).toMatch(new RegExp(`more than ${USES_PER_MINUTE} uses in a minute; wait \\d+ s`));
    const after = await db().select({ n: count() }).from(answerUses).where(eq(answerUses.userId, cast.agent.id));
    expect(after[0]!.n - before[0]!.n).toBe(USES_PER_MINUTE);
  });
});
