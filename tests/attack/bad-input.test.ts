import { request as httpRequest } from "node:http";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DRIVERS, HttpClient, startTarget, type Target } from "./support";

/** Every page, with ids replaced by a fuzzed segment: none may answer 5xx to anything. */
const ROUTES = [
  "/",
  "/search",
  "/answers/new",
  "/answers/{id}",
  "/answers/{id}/edit",
  "/answers/{id}/review",
  "/answers/similar",
  "/wiki",
  "/wiki/new",
  "/wiki/{id}",
  "/wiki/{id}/edit",
  "/wiki/{id}/history",
  "/blog",
  "/blog/new",
  "/blog/{id}",
  "/blog/{id}/edit",
  "/forum",
  "/forum/new",
  "/forum/{id}",
  "/forum/{id}/edit",
  "/inbox",
  "/requests",
  "/review",
  "/write",
  "/admin/users",
  "/admin/users/{id}",
  "/admin/topics",
  "/admin/topics/{id}",
  "/admin/tokens",
  "/admin/settings",
  "/admin/synonyms",
  "/admin/sso",
  "/admin/audit",
  "/admin/audit.csv",
  "/auth/sso/start",
  "/auth/sso/callback",
  "/faq",
  "/faq/{id}",
  "/faq/{id}/{id}",
  "/faq/search",
  "/invite/{id}",
  "/login",
  "/forgot-password",
  "/reset-password/{id}",
  "/settings/notifications",
  "/unsubscribe",
  "/admin/mail",
  "/phrasings",
];
const FIELDS = ["q", "intent", "title", "question", "comment", "body", "topicId", "version", "page", "redirectTo", "email", "password", "helpful", "channel", "actor", "kind", "from", "to", "state", "code", "rules", "breakGlass", "issuer", "u", "k", "s", "confirm", "digestHour", "timeZone", "modes.certified"];

/** Strings an attacker sends: NUL and control characters, bad escapes, huge numbers, lone surrogates… */
const nasty = fc.oneof(
  fc.string(),
  fc.constantFrom("\0", "a\0b", "%00", "%", "%zz", "%E0%A4%A", "\uD800", "-1", "1e309", "99999999999999999999", "NaN", "../../etc/passwd", "' or 1=1 --", "<script>alert(1)</script>", "{}", "[]", "\n\r\t", "not-a-uuid", "00000000-0000-0000-0000-000000000000"),
  fc.string({ unit: "binary", maxLength: 40 }),
);

/** A lone surrogate cannot be percent-encoded as UTF-8: send the invalid bytes a client could send. */
function encodeSegment(segment: string): string {
  try {
    return encodeURIComponent(segment);
  } catch {
    return "%ED%A0%80";
  }
}

describe.each(DRIVERS)("bad input never answers 5xx (%s)", (driver) => {
  let target: Target;
  /** An admin reaches every admin page; a knowledge manager writes answers and pages. */
  let client: HttpClient;
  let writer: HttpClient;
  beforeAll(async () => {
    target = await startTarget(driver);
    client = new HttpClient(target.url);
    expect((await client.signIn("ada@example.com")).status).toBe(302);
    await client.page("/");
    writer = new HttpClient(target.url);
    expect((await writer.signIn("kim@example.com")).status).toBe(302);
    await writer.page("/");
  });
  afterAll(async () => {
    await target?.stopAndClean();
  });

  const status = async (path: string, init: Parameters<HttpClient["request"]>[1] = {}) => (await client.request(path, init)).status;

  it("answers the probes of the attack run with 4xx and a message", async () => {
    for (const path of ["/search?q=a%00", "/faq/search?q=a%00", "/api/v1/search?q=a%00", "/answers/not-a-uuid", "/wiki/not-a-uuid", "/blog/not-a-uuid", "/forum/not-a-uuid", "/api/v1/answers/%E0%A4%A/uses", "/answers/%"]) {
      const s = await status(path);
      expect(s, path).toBeGreaterThanOrEqual(400);
      expect(s, path).toBeLessThan(500);
    }
    for (const path of ["/wiki/not-a-uuid", "/blog/not-a-uuid", "/forum/not-a-uuid", "/answers/not-a-uuid", "/answers/not-a-uuid/review"]) {
      const s = (await writer.post(path, { intent: "comment", body: "hello" })).status;
      expect(s, `POST ${path}`).toBeGreaterThanOrEqual(400);
      expect(s, `POST ${path}`).toBeLessThan(500);
    }
    // NUL in form fields: a title, a question, a comment, FAQ feedback.
    const nul = await writer.post("/answers/new", { intent: "save", question: "Do you sell\0 gift cards?" });
    expect(nul.status).toBe(400);
    expect(await nul.text()).toMatch(/NUL character/);
    expect((await writer.post("/wiki/new", { title: "A\0title", body: "" })).status).toBe(400);
    // A JSON body, or a body that does not parse, sent to a form route.
    const json = await writer.request("/answers/new", { method: "POST", body: JSON.stringify({ question: "x" }), headers: { "Content-Type": "application/json" } });
    expect(json.status).toBe(415);
    // JSON nested 100,000 deep to the API.
    const deep = "[".repeat(100_000) + "]".repeat(100_000);
    const api = await client.request("/api/v1/answers/00000000-0000-0000-0000-000000000000/uses", { method: "POST", body: deep, headers: { "Content-Type": "application/json" } });
    expect(api.status).toBeGreaterThanOrEqual(400);
    expect(api.status).toBeLessThan(500);
    // A redirectTo with a newline.
    const fresh = new HttpClient(target.url);
    await fresh.page("/login");
    const nl = await fresh.post("/login", { email: "emma@example.com", password: "vetted-demo", redirectTo: "/\nLocation: http://evil.example" });
    expect(nl.status).toBe(302);
    expect(nl.headers.get("location")).toBe("/");
  });

  it("creates one user when four admins create the same one at once", async () => {
    await client.page("/admin/users");
    const statuses = await Promise.all(
      Array.from({ length: 4 }, () => client.post("/admin/users", { intent: "create", email: "twin@example.com", displayName: "Twin", roles: "agent" }).then((r) => r.status)),
    );
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    expect(statuses.filter((s) => s < 400).length).toBe(1);
  });

  it("refuses oversized and open-ended bodies from their headers", async () => {
    const big = (path: string, length: number, chunked = false) =>
      new Promise<number>((resolve, reject) => {
        const url = new URL(path, target.url);
        const req = httpRequest(
          { host: url.hostname, port: url.port, path: url.pathname, method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded", ...(chunked ? { "Transfer-Encoding": "chunked" } : { "Content-Length": String(length) }) } },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        req.on("error", reject);
        // Send a little of the body only: a server that waited for all of it would never answer.
        req.write("a=".padEnd(1024, "x"));
      });
    expect(await big("/faq/billing/how-long-does-a-refund-take", 50 * 1024 * 1024)).toBe(413);
    expect(await big("/login", 1024 * 1024)).toBe(413);
    expect(await big("/inbox", 10 * 1024 * 1024)).toBe(413);
    expect(await big("/faq/billing/how-long-does-a-refund-take", 0, true)).toBe(411);
    const health = await fetch(`${target.url}/health`);
    expect(health.status).toBe(200);
  });

  // The fuzzing below is random; numbers past every integer type once slipped through it on one
  // route only (a page number that overflowed the SQL offset), so every route gets them each run.
  it("answers huge, negative and non-finite numbers in any query field without 5xx, on every route", async () => {
    const failures: string[] = [];
    for (const route of ROUTES.filter((r) => !r.includes("{id}"))) {
      for (const value of ["99999999999999999999", "1e309", "-1", "NaN", "1.5"]) {
        const single = new URLSearchParams({ page: value }).toString();
        const every = new URLSearchParams(FIELDS.map((f) => [f, value])).toString();
        for (const query of [single, every]) {
          const s = await status(`${route}?${query}`);
          if (s >= 500) failures.push(`${s} GET ${route}?${query}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it("refuses revision and lock numbers past a 4-byte integer with 400 on real pages", async () => {
    const huge = String(2 ** 40);
    const idIn = async (list: string, kind: string) => {
      const { html } = await writer.page(list);
      const id = new RegExp(`/${kind}/([0-9a-f-]{36})`).exec(html)?.[1];
      expect(id, `an id on ${list}`).toBeTruthy();
      return id!;
    };
    const wiki = await idIn("/wiki", "wiki");
    const blog = await idIn("/blog", "blog");
    const thread = await idIn("/forum", "forum");
    const created = await writer.post("/answers/new", { intent: "save", question: "Do refunds reach a gift card?", body: JSON.stringify({ type: "doc", content: [{ type: "paragraph", content: [{ type: "text", text: "Yes, within five days." }] }] }) });
    const answer = /\/answers\/([0-9a-f-]{36})\/edit/.exec(created.headers.get("location") ?? "")?.[1];
    expect(answer, "a new draft").toBeTruthy();
    const posts: [string, Record<string, string>][] = [
      [`/wiki/${wiki}/history`, { number: huge, baseRevision: "1" }],
      [`/wiki/${wiki}/history`, { number: "1", baseRevision: huge }],
      [`/wiki/${wiki}/edit`, { title: "A title", body: "", baseRevision: huge }],
      [`/blog/${blog}/edit`, { title: "A title", body: "", baseVersion: huge }],
      [`/forum/${thread}/edit`, { title: "A title", body: "", baseVersion: huge }],
      [`/answers/${answer}/edit`, { intent: "save", question: "How do refunds work?", body: "", lockVersion: huge }],
      [`/answers/${answer}`, { intent: "SUBMIT", revision: huge }],
    ];
    for (const [path, form] of posts) {
      const response = await writer.post(path, form);
      expect(response.status, `POST ${path} ${JSON.stringify(form)}`).toBe(400);
    }
  });

  // Random ids stop at the 404 before any form is read; this sends the fuzz past it, with each
  // action's real intents, to pages that exist.
  it("fuzzed forms posted to real pages with their real intents never answer 5xx", async () => {
    const { html: wikiList } = await writer.page("/wiki");
    const { html: blogList } = await writer.page("/blog");
    const { html: forumList } = await writer.page("/forum");
    const { html: usersList } = await client.page("/admin/users");
    const { html: topicsList } = await client.page("/admin/topics");
    const first = (html: string, kind: string) => new RegExp(`/${kind}/([0-9a-f-]{36})`).exec(html)?.[1] ?? "x";
    const created = await writer.post("/answers/new", { intent: "save", question: "Can a refund go to another card?", body: "" });
    const answer = /\/answers\/([0-9a-f-]{36})\/edit/.exec(created.headers.get("location") ?? "")?.[1] ?? "x";
    const wiki = first(wikiList, "wiki");
    const pages = [
      `/wiki/${wiki}`,
      `/wiki/${wiki}/edit`,
      `/wiki/${wiki}/history`,
      `/blog/${first(blogList, "blog")}`,
      `/blog/${first(blogList, "blog")}/edit`,
      `/forum/${first(forumList, "forum")}`,
      `/forum/${first(forumList, "forum")}/edit`,
      `/answers/${answer}`,
      `/answers/${answer}/edit`,
      `/answers/${answer}/review`,
      `/admin/users/${first(usersList, "admin/users")}`,
      `/admin/topics/${first(topicsList, "admin/topics")}`,
      "/admin/users",
      "/admin/topics",
      "/admin/tokens",
      "/admin/synonyms",
      "/admin/settings",
      "/phrasings",
      "/inbox",
      "/settings/notifications",
    ];
    const intents = ["accept", "unaccept", "rate", "hide", "flag", "comment", "comment-edit", "comment-delete", "reply", "edit-reply", "roles", "details", "create", "revoke", "reactivate", "deactivate", "dismiss", "join", "save", "autosave", "revise", "REVISE", "SUBMIT", "RESUBMIT", "WITHDRAW", "RESTORE", "APPROVE", "REVERIFY", "REQUEST_CHANGES", "REJECT", "ARCHIVE", "CERTIFY"];
    const fields = [...FIELDS, "revision", "lockVersion", "baseRevision", "baseVersion", "number", "ownerId", "reverifyIntervalDays", "commentId", "replyId", "duplicateOf", "reason", "text", "rating", "value", "tags", "topicIds", "roles", "name", "slug", "description", "displayName", "shortAnswer", "alternatives", "audience", "hidden"];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...pages),
        fc.constantFrom(...intents),
        fc.dictionary(fc.constantFrom(...fields.filter((f) => f !== "intent")), nasty, { maxKeys: 6 }),
        fc.boolean(),
        async (path, intent, form, asAdmin) => {
          const s = (await (asAdmin ? client : writer).post(path, { intent, ...form })).status;
          expect(s, `POST ${path} ${JSON.stringify({ intent, ...form })}`).toBeLessThan(500);
        },
      ),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 300) },
    );
  });

  it("fuzzed paths, queries and form fields on every route never answer 5xx", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ROUTES),
        fc.array(nasty, { minLength: 3, maxLength: 3 }),
        fc.dictionary(fc.constantFrom(...FIELDS), nasty, { maxKeys: 4 }),
        fc.boolean(),
        async (route, segments, fields, post) => {
          let i = 0;
          const path = route.replace(/\{id\}/g, () => encodeSegment(segments[i++] ?? "x") || "x");
          const query = new URLSearchParams(fields).toString();
          const s = post ? (await client.post(path, fields)).status : await status(`${path}?${query}`);
          expect(s, `${post ? "POST" : "GET"} ${path} ${JSON.stringify(fields)}`).toBeLessThan(500);
        },
      ),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 300) },
    );
  });
});
