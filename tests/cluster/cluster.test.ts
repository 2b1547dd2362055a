import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { root } from "../../server/build-if-stale.mjs";
import { HttpClient } from "../attack/support";
import { DEFAULT_TEST_DATABASE_URL, withDatabase } from "../setup/global-database";
import { freePort, spawnApp, startApp, type RunningApp } from "../support/server";

/**
 * Vetted as a company runs it past one process: two instances on one PostgreSQL database behind
 * nginx, configured by the same deploy/nginx.conf that deploy/compose.yaml uses. Everything goes
 * over real HTTP; the database is read only to find ids and to check what was written.
 */
const NGINX = ["/usr/sbin/nginx", "/usr/bin/nginx"].find((p) => existsSync(p));
const SECRET = "cluster-secret-cluster-secret-cluster-0123456789";
const METRICS_TOKEN = "metrics-token-0123456789abcdef";
const serverUrl = () => process.env.TEST_DATABASE_URL || DEFAULT_TEST_DATABASE_URL;

/** deploy/nginx.conf with the two upstreams and the listen address of this run; fails if the file changed shape. */
function nginxConfig(dir: string, ports: { a: number; b: number; lb: number }): string {
  const original = readFileSync(path.join(root, "deploy/nginx.conf"), "utf8");
  const swaps: [string, string][] = [
    ["server app1:3000", `server 127.0.0.1:${ports.a}`],
    ["server app2:3000", `server 127.0.0.1:${ports.b}`],
    ["listen 80;", `listen 127.0.0.1:${ports.lb};`],
    ["worker_processes auto;", `worker_processes 1;\ndaemon off;\npid ${dir}/nginx.pid;\nerror_log ${dir}/error.log warn;`],
    [
      "http {",
      `http {\n  access_log off;\n  client_body_temp_path ${dir}/body;\n  proxy_temp_path ${dir}/proxy;\n  fastcgi_temp_path ${dir}/fastcgi;\n  uwsgi_temp_path ${dir}/uwsgi;\n  scgi_temp_path ${dir}/scgi;`,
    ],
  ];
  let conf = original;
  for (const [from, to] of swaps) {
    expect(conf, `deploy/nginx.conf should contain "${from}"`).toContain(from);
    conf = conf.replace(from, to);
  }
  return conf;
}

const DOC = JSON.stringify({ type: "doc", content: [{ type: "paragraph", content: [{ type: "text", text: "Written under load." }] }] });
/** expect.poll for hooks (which may not use it): waits until `check` holds or throws `what`. */
async function until(what: string, check: () => Promise<boolean>, timeout: number) {
  const deadline = Date.now() + timeout;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const rows = async <T>(sql: postgres.Sql, query: string, params: (string | number)[] = []) => (await sql.unsafe(query, params)) as unknown as T[];

describe.skipIf(!NGINX)("two instances behind nginx on one PostgreSQL database", () => {
  let sql: postgres.Sql;
  let dbName: string;
  let env: Record<string, string>;
  let ports: { a: number; b: number; lb: number };
  let a: RunningApp;
  let b: RunningApp;
  let nginx: ChildProcess;
  let lb: string;
  const ids = { billing: "", emma: "", xavier: "", kim: "" };

  const client = (base: string) => new HttpClient(base);
  const signedIn = async (base: string, email: string) => {
    const c = client(base);
    expect((await c.signIn(email)).status).toBe(302);
    await c.page("/");
    return c;
  };
  const waitReady = (base: string, timeout = 60_000) => until(`${base}/ready answers 200`, async () => (await fetch(`${base}/ready`)).status === 200, timeout);

  /** Write → submit → approve → certify, every step an HTTP form post to `base`. */
  async function certify(base: string, question: string, audience: "internal" | "public" = "internal") {
    const [emma, xavier, kim] = await Promise.all([signedIn(base, "emma@example.com"), signedIn(base, "xavier@example.com"), signedIn(base, "kim@example.com")]);
    const created = await emma.post("/answers/new", {
      question,
      alternatives: "",
      shortAnswer: `Short answer to: ${question}`,
      body: JSON.stringify({ type: "doc", content: [{ type: "paragraph", content: [{ type: "text", text: `The full answer to ${question}` }] }] }),
      topicIds: ids.billing,
      tags: "cluster",
      audience,
    });
    expect(created.status).toBe(302);
    const answerId = /\/answers\/([0-9a-f-]{36})\//.exec(created.headers.get("Location") ?? "")![1]!;
    const step = async (who: HttpClient, intent: string, extra: Record<string, string> = {}) => {
      const [v] = await rows<{ id: string; revision: number }>(sql, `select id, revision from answer_versions where answer_id = $1 order by created_at desc limit 1`, [answerId]);
      const res = await who.post(`/answers/${answerId}`, { intent, versionId: v!.id, revision: String(v!.revision), ...extra });
      expect(res.status, `${intent}: ${await res.clone().text().then((t) => t.slice(0, 300))}`).toBe(200);
    };
    await step(emma, "SUBMIT");
    await step(xavier, "APPROVE");
    await step(kim, "CERTIFY", { ownerId: ids.xavier, reverifyIntervalDays: "90" });
    return { answerId, step };
  }

  beforeAll(async () => {
    dbName = `vt_cluster_${randomBytes(5).toString("hex")}`;
    const admin = postgres(serverUrl(), { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database "${dbName}"`).finally(() => admin.end());
    const databaseUrl = withDatabase(serverUrl(), dbName);
    sql = postgres(databaseUrl, { max: 4, onnotice: () => {} });
    env = {
      DATABASE_URL: databaseUrl,
      DEMO_DATA: "true",
      SESSION_SECRET: SECRET,
      TRUST_PROXY: "loopback",
      METRICS_TOKEN,
      REVERIFY_EVERY_MS: "1000",
      LOG_LEVEL: "warn",
      API_RATE_BURST: "20",
      API_RATE_PER_SECOND: "1",
    };
    // Started together: they migrate and seed one at a time (an advisory lock), not both at once.
    [a, b] = await Promise.all([
      startApp({ ...env, INSTANCE_NAME: "a" }),
      startApp({ ...env, INSTANCE_NAME: "b" }),
    ]);
    ports = { a: Number(new URL(a.url).port), b: Number(new URL(b.url).port), lb: await freePort() };
    const dir = mkdtempSync(path.join(tmpdir(), "vetted-nginx-"));
    for (const d of ["body", "proxy", "fastcgi", "uwsgi", "scgi"]) mkdirSync(path.join(dir, d));
    writeFileSync(path.join(dir, "nginx.conf"), nginxConfig(dir, ports));
    nginx = spawn(NGINX!, ["-p", dir, "-e", path.join(dir, "error.log"), "-c", path.join(dir, "nginx.conf")], { stdio: ["ignore", "pipe", "pipe"] });
    let nginxOut = "";
    nginx.stderr!.on("data", (d) => (nginxOut += String(d)));
    lb = `http://127.0.0.1:${ports.lb}`;
    await until(`nginx answers (${nginxOut})`, async () => (await fetch(`${lb}/health`)).status === 200, 15_000);
    await Promise.all([waitReady(a.url), waitReady(b.url)]);
    const topic = await rows<{ id: string }>(sql, `select id from topics where slug = 'billing'`);
    const people = await rows<{ id: string; email: string }>(sql, `select id, email from users`);
    ids.billing = topic[0]!.id;
    for (const p of people) if (p.email.startsWith("emma@") || p.email.startsWith("xavier@") || p.email.startsWith("kim@")) ids[p.email.split("@")[0] as "emma"] = p.id;
  }, 240_000);

  afterAll(async () => {
    nginx?.kill("SIGTERM");
    await Promise.all([a?.stop(), b?.stop()]);
    await sql?.end();
    const admin = postgres(serverUrl(), { max: 1, onnotice: () => {} });
    await admin.unsafe(`drop database if exists "${dbName}" with (force)`).finally(() => admin.end());
  });

  it("migrated and seeded once although both instances started together", async () => {
    const [m] = await rows<{ n: number }>(sql, `select count(*)::int as n from drizzle.__drizzle_migrations`);
    const journal = JSON.parse(readFileSync(path.join(root, "db/migrations/meta/_journal.json"), "utf8")) as { entries: unknown[] };
    expect(m!.n).toBe(journal.entries.length);
    const [u] = await rows<{ n: number; distinct: number }>(sql, `select count(*)::int as n, count(distinct email)::int as distinct from users`);
    expect(u!.n).toBe(u!.distinct);
  });

  it("spreads requests over both instances, which trust nginx's X-Forwarded-* headers, and a session works on either", async () => {
    const seen = new Set<string>();
    for (let i = 0; i < 6; i++) seen.add((await fetch(`${lb}/health`)).headers.get("X-Instance") ?? "");
    expect([...seen].sort()).toEqual(["a", "b"]);
    const alex = await signedIn(lb, "alex@example.com");
    const served = new Set<string>();
    for (let i = 0; i < 6; i++) {
      const { response, html } = await alex.page("/search?q=refund");
      expect(response.status).toBe(200);
      expect(html).toContain("Sign out");
      served.add(response.headers.get("X-Instance") ?? "");
    }
    expect([...served].sort()).toEqual(["a", "b"]);
  });

  it("finds an answer on one instance within 1 s of its certification on the other", async () => {
    const question = `Can I split one invoice across two cards ${randomBytes(3).toString("hex")}?`;
    const alexOnB = await signedIn(b.url, "alex@example.com");
    await certify(a.url, question);
    const certifiedAt = Date.now();
    await expect
      .poll(async () => (await alexOnB.page(`/search?q=${encodeURIComponent("split invoice two cards")}`)).html.includes(question.replace("?", "")), {
        timeout: 1000,
        interval: 25,
      })
      .toBe(true);
    expect(Date.now() - certifiedAt).toBeLessThan(1000);
  });

  it("takes an archived public answer out of both instances' FAQ page caches within 1 s", async () => {
    const question = `Do you accept bank transfers from abroad ${randomBytes(3).toString("hex")}?`;
    const { answerId, step } = await certify(a.url, question, "public");
    await expect.poll(async () => (await rows(sql, `select 1 from faq_slugs where answer_id = $1 and current`, [answerId])).length, { timeout: 5000 }).toBe(1);
    const [s] = await rows<{ topic: string; slug: string }>(sql, `select t.slug as topic, s.slug from faq_slugs s join topics t on t.id = s.topic_id where s.answer_id = $1 and s.current`, [answerId]);
    const page = `/faq/${s!.topic}/${s!.slug}`;
    for (const base of [a.url, b.url]) {
      expect((await fetch(`${base}${page}`)).status).toBe(200);
      const again = await fetch(`${base}${page}`);
      expect(again.status).toBe(200);
      expect(again.headers.get("X-Faq-Cache")).toBe("hit");
    }
    await step(await signedIn(b.url, "kim@example.com"), "ARCHIVE", { reason: "Replaced by the new payment page." });
    const archivedAt = Date.now();
    for (const base of [a.url, b.url]) {
      await expect.poll(async () => (await fetch(`${base}${page}`)).status, { timeout: 1000 - (Date.now() - archivedAt), interval: 25 }).not.toBe(200);
    }
    expect(Date.now() - archivedAt).toBeLessThan(1000);
  });

  it("moves each overdue answer to re-verification exactly once, and drains each outbox row exactly once, with both instances' jobs running", async () => {
    const due = await rows<{ id: string }>(sql, `update answer_versions set reverify_at = now() - interval '1 day' where state = 'certified' returning id`);
    expect(due.length).toBeGreaterThanOrEqual(8);
    await expect
      .poll(async () => (await rows<{ n: number }>(sql, `select count(*)::int as n from answer_versions where state = 'certified' and reverify_at < now()`))[0]!.n, { timeout: 15_000, interval: 200 })
      .toBe(0);
    const events = await rows<{ version_id: string; n: number }>(
      sql,
      `select version_id, count(*)::int as n from answer_events where event = 'REVERIFICATION_DUE' and version_id = any($1::uuid[]) group by version_id`,
      [`{${due.map((d) => d.id).join(",")}}`],
    );
    expect(events).toHaveLength(due.length);
    expect(events.every((e) => e.n === 1)).toBe(true);
    await expect.poll(async () => (await rows<{ n: number }>(sql, `select count(*)::int as n from search_outbox where processed_at is null`))[0]!.n, { timeout: 10_000 }).toBe(0);
    const [twice] = await rows<{ n: number; all: number }>(sql, `select count(*) filter (where attempts <> 1)::int as n, count(*)::int as "all" from search_outbox`);
    expect(twice!.all).toBeGreaterThan(due.length);
    expect(twice!.n).toBe(0);
  });

  it("holds the API rate limit and the sign-in throttle across instances", async () => {
    const admin = await signedIn(lb, "ada@example.com");
    const { html } = await admin.page("/admin/tokens");
    expect(html).toContain("API tokens");
    const tokenPage = await admin.post("/admin/tokens", { intent: "create", name: "cluster", scopes: "search:read" });
    expect(tokenPage.status).toBe(201);
    const token = /\b(vt_[A-Za-z0-9_-]{20,})\b/.exec(await tokenPage.text())?.[1];
    expect(token, "the new token is shown once on the tokens page").toBeTruthy();
    // Links the API hands out carry the address the client used (nginx passes Host and X-Forwarded-*).
    const first = await fetch(`${lb}/api/v1/search?q=refund`, { headers: { Authorization: `Bearer ${token}` } });
    const body = (await first.json()) as { results?: { url?: string }[] };
    expect(body.results?.[0]?.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${ports.lb}/answers/`));
    const statuses: number[] = [first.status];
    const instances = new Set<string>([first.headers.get("X-Instance") ?? ""]);
    for (let i = 1; i < 30; i++) {
      const res = await fetch(`${lb}/api/v1/search?q=refund`, { headers: { Authorization: `Bearer ${token}` } });
      statuses.push(res.status);
      instances.add(res.headers.get("X-Instance") ?? "");
      await res.arrayBuffer();
    }
    expect([...instances].sort()).toEqual(["a", "b"]);
    // A burst of 20, refilled at 1 a second: one bucket, whichever instance answers (two would grant 40).
    const granted = statuses.filter((s) => s === 200).length;
    expect(granted).toBeGreaterThanOrEqual(20);
    expect(granted).toBeLessThanOrEqual(24);
    expect(statuses.filter((s) => s === 429).length).toBe(30 - granted);

    const guesser = client(lb);
    await guesser.page("/login");
    const codes: number[] = [];
    for (let i = 0; i < 12; i++) codes.push((await guesser.post("/login", { email: "priya@example.com", password: `wrong-${i}` })).status);
    expect(codes.slice(0, 10).every((c) => c === 401)).toBe(true);
    expect(codes.slice(10)).toEqual([429, 429]);
  });

  it("serves Prometheus metrics to the holder of the token only", async () => {
    expect((await fetch(`${a.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${a.url}/metrics`, { headers: { Authorization: "Bearer not-the-token-at-all" } })).status).toBe(401);
    const res = await fetch(`${b.url}/metrics`, { headers: { Authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toMatch(/vetted_http_requests_total\{method="GET",route="\/search",status="200"\} \d+/);
    expect(text).toMatch(/vetted_http_request_duration_seconds_bucket\{le="0\.05",method="GET",route="\/search"\} \d+/);
    expect(text).toMatch(/vetted_search_duration_seconds_count\{engine="postgres"\} [1-9]/);
    expect(text).toMatch(/vetted_search_resident_documents [1-9]/);
    // A small copy has no list long enough to sort: it is prepared as soon as it is loaded.
    expect(text).toMatch(/vetted_search_resident_prepared 1/);
    expect(text).toMatch(/vetted_search_outbox_lag_seconds \d/);
    expect(text).toMatch(/vetted_mail_queue_pending \d/);
    expect(text).toMatch(/vetted_job_runs_total\{job="reverification",outcome="ok"\} [1-9]/);
    expect(text).toMatch(/vetted_process_resident_memory_bytes \d/);
    // Ids never become labels: one series for every answer page.
    expect(text).not.toMatch(/route="\/answers\/[0-9a-f]{8}-/);
  });

  it("survives kill -9 of one instance under load: no acknowledged write lost, errors only in flight, and it catches up on restart", async () => {
    const writers = await Promise.all([0, 1, 2].map(() => signedIn(lb, "emma@example.com")));
    const readers = await Promise.all([0, 1].map(() => signedIn(lb, "alex@example.com")));
    const acknowledged: string[] = [];
    let failures = 0;
    let requests = 0;
    let stop = false;
    const save = async (w: HttpClient, n: number) => {
      const question = `Load test question ${n} ${randomBytes(4).toString("hex")}?`;
      requests++;
      const res = await w
        .post("/answers/new", { question, alternatives: "", shortAnswer: "A short answer.", body: DOC, topicIds: ids.billing, tags: "", audience: "internal" })
        .catch(() => null);
      if (res?.status === 302) acknowledged.push(/\/answers\/([0-9a-f-]{36})\//.exec(res.headers.get("Location") ?? "")![1]!);
      else failures++;
    };
    const search = async (r: HttpClient) => {
      requests++;
      const res = await r.request("/search?q=invoice").catch(() => null);
      // A page cut off mid-body by the kill is a failure in flight too, not a crash of the loop.
      const read = res ? await res.arrayBuffer().then(() => true, () => false) : false;
      if (res?.status !== 200 || !read) failures++;
    };
    let n = 0;
    const loops = [...writers.map((w) => async () => { while (!stop) await save(w, n++); }), ...readers.map((r) => async () => { while (!stop) await search(r); })];
    const running = Promise.all(loops.map((l) => l()));
    await new Promise((r) => setTimeout(r, 1500));
    const beforeKill = acknowledged.length;
    a.proc.kill("SIGKILL");
    await new Promise((r) => setTimeout(r, 2500));
    // While a is down, b takes everything: certify there and check a finds it after its restart.
    const question = `Is there a fee for paying in instalments ${randomBytes(3).toString("hex")}?`;
    await certify(b.url, question);
    stop = true;
    await running;
    expect(beforeKill).toBeGreaterThan(0);
    expect(acknowledged.length).toBeGreaterThan(beforeKill);
    // One request per loop could have been in flight on the killed instance.
    console.info(`kill -9 under load: ${requests} requests, ${failures} failed, ${acknowledged.length} saves acknowledged (${beforeKill} before the kill), all found`);
    expect(failures, `${failures} of ${requests} requests failed`).toBeLessThanOrEqual(loops.length);
    const found = await rows<{ id: string }>(sql, `select id from answers where id = any($1::uuid[])`, [`{${acknowledged.join(",")}}`]);
    expect(found).toHaveLength(acknowledged.length);

    const restarted = spawnApp({ ...env, PORT: String(ports.a), INSTANCE_NAME: "a" });
    a = { ...a, proc: restarted.proc, output: restarted.output, stop: async () => { restarted.proc.kill("SIGTERM"); return { code: await restarted.exited, ms: 0 }; } };
    await waitReady(a.url, 120_000);
    const alexOnA = await signedIn(a.url, "alex@example.com");
    expect((await alexOnA.page(`/search?q=${encodeURIComponent("fee paying instalments")}`)).html).toContain(question.replace("?", ""));
    // And nginx sends it traffic again.
    await expect.poll(async () => {
      const seen = new Set<string>();
      for (let i = 0; i < 4; i++) seen.add((await fetch(`${lb}/health`)).headers.get("X-Instance") ?? "");
      return [...seen].sort().join(",");
    }, { timeout: 10_000, interval: 500 }).toBe("a,b");
  });
});
