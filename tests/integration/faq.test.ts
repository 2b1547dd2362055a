import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { HtmlValidate } from "html-validate";
import type { AddressInfo } from "node:net";
import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exportFaq } from "../../app/models/faq-export.server";
import { faqPageCache } from "../../app/models/faq-cache.server";
import { recordUse } from "../../app/models/agent.server";
import { feedbackSummary, findFaqAnswer, popularFaqAnswers, recordFaqFeedback, saveBranding } from "../../app/models/faq.server";
import { DEFAULT_BRANDING } from "../../app/models/faq.schema";
import { drainSearchOutbox } from "../../app/models/search.server";
import { refreshFaqSlug, slugify, syncFaqSlugs } from "../../app/models/faq-slugs.server";
import { faqSlugs } from "../../db/schema";
import { root } from "../../server/build-if-stale.mjs";
import { createHttpApp } from "../../server/http";
import { createLogger } from "../../server/logger";
import { createDraft, reviseAnswer, runReverification, saveDraft, sendEvent } from "../../workflows/approval.service";
import { actor, certifiedAnswer, draftInput, workflowCast } from "../support/answers";
import { TestClient } from "../support/app";
import { useFreshDatabase } from "../support/db";
import { createUser, TEST_PASSWORD } from "../support/factories";

const database = useFreshDatabase();
const db = () => database.current.db;

type Cast = Awaited<ReturnType<typeof workflowCast>>;
let cast: Cast;
let topicSlug: string;
let archivedAnswerId: string;
const DAY = 86_400_000;

// Questions that must never reach the public FAQ, each in a different state.
const HIDDEN = {
  internal: "Which internal override code unlocks refunds",
  draft: "Draft about secret shipping tiers",
  archived: "Archived question about old loyalty points",
  due: "Re-verification due question about warranty",
  review: "Question still in expert review about vouchers",
};

/** Every file of an exported site, path → bytes. */
function readTree(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = path.join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(path.relative(dir, p), readFileSync(p));
    }
  };
  walk(dir);
  return out;
}

const treeHash = (tree: Map<string, Buffer>) => {
  const h = createHash("sha256");
  for (const [k, v] of tree) h.update(k).update(v);
  return h.digest("hex");
};

beforeAll(async () => {
  cast = await workflowCast(db());
  topicSlug = cast.topic.slug;
  const long = new Date(Date.now() - 60 * DAY);
  // Certified long ago, so the re-verification run below makes it due (and only it).
  await certifiedAnswer(db(), cast, { question: HIDDEN.due }, long);
  await runReverification(db(), new Date());
  await certifiedAnswer(db(), cast, { question: "How do I get a refund?" });
  await certifiedAnswer(db(), cast, { question: "How long does shipping take?", shortAnswer: "Two to three working days in the country." });
  await certifiedAnswer(db(), cast, { question: HIDDEN.internal, audience: "internal" });
  const archived = await certifiedAnswer(db(), cast, { question: HIDDEN.archived });
  archivedAnswerId = archived.answerId;
  await sendEvent(db(), { actor: actor(cast.km), versionId: archived.versionId, revision: 1, event: { type: "ARCHIVE", reason: "obsolete" } });
  await createDraft(db(), { actor: actor(cast.author), draft: draftInput({ topicIds: [cast.topic.id], question: HIDDEN.draft }) });
  const review = await createDraft(db(), { actor: actor(cast.author), draft: draftInput({ topicIds: [cast.topic.id], question: HIDDEN.review }) });
  await sendEvent(db(), { actor: actor(cast.author), versionId: review.versionId, revision: 1, event: { type: "SUBMIT" } });
  // The live search reads the search index, which the outbox feeds (the server drains it every 500 ms).
  await drainSearchOutbox();
  // These tests change answers through the service directly, as another process would: let the
  // page cache re-read the content generation on every request (its interval is tested below).
  faqPageCache().configure({ checkEveryMs: 0 });
});

function expectOnlyPublic(html: string) {
  for (const q of Object.values(HIDDEN)) expect(html).not.toContain(q);
  // Nobody's name reaches the public pages: not the author, reviewers or certifier.
  for (const person of [cast.author, cast.km, ...cast.experts]) expect(html).not.toContain(person.displayName);
}

describe("slugs", () => {
  it("derive readable ASCII slugs from questions", () => {
    expect(slugify("How do I get a refund?")).toBe("how-do-i-get-a-refund");
    expect(slugify("Où est ma commande ? Ça n’arrive pas")).toBe("ou-est-ma-commande-ca-narrive-pas");
    expect(slugify("???")).toBe("answer");
    expect(slugify("a ".repeat(100)).length).toBeLessThanOrEqual(80);
  });

  it("keep slugs unique per topic: a second answer with the same question gets a suffix", async () => {
    const twin = await certifiedAnswer(db(), cast, { question: "How do I get a refund?" });
    const [row] = await db().select().from(faqSlugs).where(eqAnswer(twin.answerId));
    expect(row?.slug).toBe("how-do-i-get-a-refund-2");
    // Certifying again (no change of question) keeps the address.
    expect(await db().transaction((tx) => refreshFaqSlug(tx, twin.answerId))).toBe("how-do-i-get-a-refund-2");
    await sendEvent(db(), { actor: actor(cast.km), versionId: twin.versionId, revision: 1, event: { type: "ARCHIVE", reason: "duplicate" } });
  });

  it("give answers certified before the table existed their slug on sync", async () => {
    const { answerId } = await certifiedAnswer(db(), cast, { question: "Can I pay by invoice?" });
    await db().delete(faqSlugs).where(eqAnswer(answerId));
    expect(await syncFaqSlugs(db())).toBe(1);
    expect(await syncFaqSlugs(db())).toBe(0);
    expect((await findFaqAnswer(topicSlug, "can-i-pay-by-invoice"))?.kind).toBe("answer");
  });

  it("give answers that never had a slug theirs in bulk, twins and taken slugs getting suffixes", async () => {
    const first = await certifiedAnswer(db(), cast, { question: "Can I pay in instalments?" });
    const second = await certifiedAnswer(db(), cast, { question: "Can I pay in instalments?" });
    const third = await certifiedAnswer(db(), cast, { question: "Can I pay with vouchers?" });
    const ids = [first.answerId, second.answerId, third.answerId];
    for (const id of ids) await db().delete(faqSlugs).where(eqAnswer(id));
    // Someone else's answer already holds one of the slugs.
    await db().insert(faqSlugs).values({ topicId: cast.topic.id, slug: "can-i-pay-with-vouchers", answerId: archivedAnswerId, current: false });
    expect(await syncFaqSlugs(db())).toBe(3);
    const slugs = await Promise.all(ids.map(async (id) => (await db().select().from(faqSlugs).where(eqAnswer(id)))[0]?.slug));
    expect(slugs.slice(0, 2).sort()).toEqual(["can-i-pay-in-instalments", "can-i-pay-in-instalments-2"]);
    expect(slugs[2]).toBe("can-i-pay-with-vouchers-2");
    expect(await syncFaqSlugs(db())).toBe(0);
  });
});

const eqAnswer = (id: string) => eq(faqSlugs.answerId, id);

describe("the home page's most used answers", () => {
  it("put first what agents used most in replies, then what readers found helpful", async () => {
    const used = await certifiedAnswer(db(), cast, { question: "Can I change my delivery address after ordering?" });
    const liked = await certifiedAnswer(db(), cast, { question: "Can I gift-wrap my order?" });
    for (const channel of ["email", "chat"] as const) await recordUse({ answerId: used.answerId, kind: "used", channel }, db());
    await recordFaqFeedback({ topicSlug, slug: "can-i-gift-wrap-my-order", helpful: true, ip: "198.51.100.9" }, db());
    const top = (await popularFaqAnswers(10, db())).map((a) => a.answerId);
    expect(top.slice(0, 2)).toEqual([used.answerId, liked.answerId]);
  });
});

describe("the live public FAQ", () => {
  it("shows only public certified answers on home, topic, search and answer pages, without sign-in or app chrome", async () => {
    const client = new TestClient();
    const home = await client.page("/faq");
    expect(home.response.status).toBe(200);
    expect(home.html).toContain("How do I get a refund?");
    expect(home.html).not.toContain("Sign out");
    expect(home.html).not.toContain("/build/"); // no Remix client bundle
    expect(home.html).not.toContain('class="site-header"');
    expectOnlyPublic(home.html);

    const topic = await client.page(`/faq/${topicSlug}`);
    expect(topic.response.status).toBe(200);
    expect(topic.html).toContain("How long does shipping take?");
    expectOnlyPublic(topic.html);

    for (const q of ["refund", "override code", "secret shipping", "loyalty", "warranty", "vouchers"]) {
      const search = await client.page(`/faq/search?q=${encodeURIComponent(q)}`);
      expect(search.response.status).toBe(200);
      expectOnlyPublic(search.html);
    }
    expect((await client.page("/faq/search?q=refund")).html).toContain("How do I get a refund?");

    const answer = await client.page(`/faq/${topicSlug}/how-do-i-get-a-refund`);
    expect(answer.response.status).toBe(200);
    expect(answer.html).toContain("Refunds go back to the card you paid with.");
    expect(answer.html).toContain('<link rel="canonical" href="http://localhost/faq/');
    expect(answer.html).toContain('"@type":"FAQPage"');
    expectOnlyPublic(answer.html);

    for (const q of Object.values(HIDDEN)) {
      expect((await client.request(`/faq/${topicSlug}/${slugify(q)}`)).status).toBe(404);
    }
    expect((await client.request("/faq/no-such-topic")).status).toBe(404);
    expect((await client.request(`/faq/${topicSlug}/no-such-answer`)).status).toBe(404);
  });

  it("redirects a renamed question's old address to the new one (301)", async () => {
    const { answerId } = await certifiedAnswer(db(), cast, { question: "How do I reset my password?" });
    const { versionId } = await reviseAnswer(db(), { actor: actor(cast.author), answerId });
    await saveDraft(db(), { actor: actor(cast.author), versionId, lockVersion: 1, draft: draftInput({ topicIds: [cast.topic.id], question: "I forgot my password" }) });
    await sendEvent(db(), { actor: actor(cast.author), versionId, revision: 2, event: { type: "SUBMIT" } });
    await sendEvent(db(), { actor: actor(cast.expert), versionId, revision: 2, event: { type: "APPROVE" } });
    // Until the revision is certified, the old question stays live at its address.
    expect((await new TestClient().request(`/faq/${topicSlug}/how-do-i-reset-my-password`)).status).toBe(200);
    await sendEvent(db(), { actor: actor(cast.km), versionId, revision: 2, event: { type: "CERTIFY", ownerId: cast.author.id, reverifyIntervalDays: 30 } });

    const old = await new TestClient().request(`/faq/${topicSlug}/how-do-i-reset-my-password`);
    expect(old.status).toBe(301);
    expect(old.headers.get("Location")).toBe(`/faq/${topicSlug}/i-forgot-my-password`);
    const renamed = await new TestClient().page(`/faq/${topicSlug}/i-forgot-my-password`);
    expect(renamed.response.status).toBe(200);
    expect(renamed.html).toContain("I forgot my password");
  });

  it("records a helpful vote without sign-in, limits it per address and answer, and shows it to the owner", async () => {
    const url = `/faq/${topicSlug}/how-long-does-shipping-take`;
    const reader = new TestClient("198.51.100.1");
    const page = await reader.page(url);
    // The page is the same for everyone (it is cached and shared): no token, no cookie.
    expect(page.html).not.toContain('name="csrf"');
    expect(page.response.headers.get("Set-Cookie")).toBeNull();
    const vote = await reader.post(url, { helpful: "no", comment: "Does not say what abroad costs." });
    expect(vote.status).toBe(303);
    expect(vote.headers.get("Location")).toBe(`${url}?feedback=thanks#feedback`);
    expect((await reader.page(`${url}?feedback=thanks`)).html).toContain("Thank you for your feedback.");

    const again = await reader.post(url, { helpful: "yes" });
    expect(again.status).toBe(429);
    expect(await again.text()).toContain("You already told us about this answer today");

    // Another address may vote; bad input and cross-site posts write nothing.
    const other = new TestClient("198.51.100.2");
    await other.page(url);
    expect((await other.post(url, { helpful: "maybe" })).status).toBe(400);
    expect((await other.post(url, { helpful: "yes", comment: "x".repeat(1001) })).status).toBe(400);
    const crossSite: Record<string, string>[] = [{ "Sec-Fetch-Site": "cross-site" }, { "Sec-Fetch-Site": "same-site" }, { Origin: "https://evil.example" }, { Origin: "null" }];
    for (const headers of crossSite) {
      expect((await other.request(url, { form: { helpful: "yes" }, headers })).status, JSON.stringify(headers)).toBe(403);
    }
    expect((await other.request(url, { form: { helpful: "yes" }, headers: { "Sec-Fetch-Site": "same-origin", Origin: "http://localhost" } })).status).toBe(303);

    const found = await findFaqAnswer(topicSlug, "how-long-does-shipping-take");
    if (found?.kind !== "answer") throw new Error("answer expected");
    const summary = await feedbackSummary(found.answer.answerId, { withComments: true });
    expect(summary).toMatchObject({ helpful: 1, notHelpful: 1 });
    expect(summary.recentComments.map((c) => c.comment)).toEqual(["Does not say what abroad costs."]);

    // The owner (the author here) sees the counts on the internal answer page.
    const owner = new TestClient();
    expect((await owner.signIn(cast.author.email, TEST_PASSWORD)).status).toBe(302);
    const internal = await owner.page(`/answers/${found.answer.answerId}`);
    expect(internal.html).toContain(">Feedback</h2>");
    expect(internal.html).toContain("Does not say what abroad costs.");

    // A vote for an answer that is not public is refused as not found.
    const hidden = new TestClient("198.51.100.3");
    await hidden.page("/faq");
    expect((await hidden.post(`/faq/${topicSlug}/${slugify(HIDDEN.internal)}`, { helpful: "yes" })).status).toBe(404);
  });
});

describe("the live page cache", () => {
  let clock = 1_000_000;
  beforeAll(() => faqPageCache().configure({ now: () => clock, checkEveryMs: 1000 }));
  afterAll(() => faqPageCache().configure({ now: () => Date.now(), checkEveryMs: 0 }));
  const tick = () => (clock += 1000);

  it("serves one shared page to every reader, with an ETag (304) and gzip, and re-reads the content generation once a second", async () => {
    const url = `/faq/${topicSlug}/how-do-i-get-a-refund`;
    tick();
    const first = await new TestClient("192.0.2.1").request(url);
    const second = await new TestClient("192.0.2.2").request(url, { headers: { Cookie: "vetted_session=whatever" } });
    expect(second.headers.get("X-Faq-Cache")).toBe("hit");
    expect(await second.text()).toBe(await first.text());
    expect(second.headers.get("Set-Cookie")).toBeNull();
    expect(second.headers.get("Cache-Control")).toBe("public, max-age=60");
    const etag = second.headers.get("ETag")!;
    expect((await new TestClient().request(url, { headers: { "If-None-Match": etag } })).status).toBe(304);
    const gz = await new TestClient().request(url, { headers: { "Accept-Encoding": "gzip, br" } });
    expect(gz.headers.get("Content-Encoding")).toBe("gzip");

    // A public answer archived by another process (here: the service, directly): still served
    // from the cache within the second, gone once the generation is read again.
    const { answerId, versionId } = await certifiedAnswer(db(), cast, { question: "Do you ship to islands?" });
    tick();
    const islands = `/faq/${topicSlug}/do-you-ship-to-islands`;
    expect((await new TestClient().request(islands)).status).toBe(200);
    expect((await new TestClient().page(`/faq/${topicSlug}`)).html).toContain("Do you ship to islands?");
    await sendEvent(db(), { actor: actor(cast.km), versionId, revision: 1, event: { type: "ARCHIVE", reason: "no longer true" } });
    expect((await new TestClient().request(islands)).headers.get("X-Faq-Cache")).toBe("hit");
    tick();
    expect((await new TestClient().request(islands)).status).toBe(404);
    const topic = await new TestClient().page(`/faq/${topicSlug}`);
    expect(topic.html).not.toContain("Do you ship to islands?");
    expect((await new TestClient().page("/faq")).html).not.toContain("Do you ship to islands?");
    // The search index has not heard of the archive yet (no drain): the address mapping drops it.
    expect((await new TestClient().page("/faq/search?q=islands")).html).not.toContain("Do you ship to islands?");
    void answerId;
  });

  it("shows a new certified revision, and never a draft, internal or re-verification-due answer, whatever is cached", async () => {
    const url = `/faq/${topicSlug}/how-long-does-shipping-take`;
    tick();
    // Warm every page kind.
    for (const p of ["/faq", `/faq/${topicSlug}`, url]) expect((await new TestClient().request(p)).status).toBe(200);
    const found = await findFaqAnswer(topicSlug, "how-long-does-shipping-take");
    if (found?.kind !== "answer") throw new Error("answer expected");
    const { versionId } = await reviseAnswer(db(), { actor: actor(cast.author), answerId: found.answer.answerId });
    await saveDraft(db(), {
      actor: actor(cast.author),
      versionId,
      lockVersion: 1,
      draft: draftInput({ topicIds: [cast.topic.id], question: "How long does shipping take?", shortAnswer: "One to two working days now." }),
    });
    // A draft revision (and new internal answers) change nothing public.
    await certifiedAnswer(db(), cast, { question: "Internal only: carrier contract rates", audience: "internal" });
    tick();
    for (const p of ["/faq", `/faq/${topicSlug}`, url]) {
      const html = (await new TestClient().page(p)).html;
      expect(html).not.toContain("One to two working days now.");
      expect(html).not.toContain("carrier contract rates");
      expectOnlyPublic(html);
    }
    await sendEvent(db(), { actor: actor(cast.author), versionId, revision: 2, event: { type: "SUBMIT" } });
    await sendEvent(db(), { actor: actor(cast.expert), versionId, revision: 2, event: { type: "APPROVE" } });
    await sendEvent(db(), { actor: actor(cast.km), versionId, revision: 2, event: { type: "CERTIFY", ownerId: cast.author.id, reverifyIntervalDays: 30 } });
    tick();
    expect((await new TestClient().page(url)).html).toContain("One to two working days now.");
    expect((await new TestClient().page(`/faq/${topicSlug}`)).html).toContain("One to two working days now.");
  });

  it("drops every page at once when branding is saved in this process (no wait for the interval)", async () => {
    tick();
    const before = await new TestClient().page("/faq");
    expect(before.html).not.toContain("Cachebusters Inc Help");
    const admin = new TestClient();
    const ada = await createUser(db(), { roles: ["admin"] });
    await admin.signIn(ada.email, TEST_PASSWORD);
    const saved = await admin.post("/admin/settings", { companyName: "Cachebusters Inc", primaryColour: "#123456", accentColour: "#0b5cad", footerLinks: "" });
    expect(saved.status).toBe(200);
    // Same clock: only the in-process invalidation can explain the new name.
    expect((await new TestClient().page("/faq")).html).toContain("Cachebusters Inc Help");
    expect((await new TestClient().page(`/faq/${topicSlug}/how-do-i-get-a-refund`)).html).toContain("Cachebusters Inc Help");
  });

  it("through the HTTP server: hits skip Remix, a write request in this process makes the next page re-read the generation, internal pages are never cached", async () => {
    const build = (await import(pathToFileURL(path.join(root, "build/index.js")).href)) as ServerBuild;
    const server = createHttpApp(build, createLogger("silent")).listen(0, "127.0.0.1");
    await new Promise((r) => server.once("listening", r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const { versionId } = await certifiedAnswer(db(), cast, { question: "Can I change my delivery address?" });
      tick();
      const url = `${base}/faq/${topicSlug}/can-i-change-my-delivery-address`;
      expect((await fetch(url)).headers.get("X-Faq-Cache")).toBe("miss");
      const hit = await fetch(url);
      expect(hit.headers.get("X-Faq-Cache")).toBe("hit");
      expect(hit.headers.get("X-Request-Id")).toBeTruthy();
      expect(await hit.text()).toContain("Can I change my delivery address?");

      await sendEvent(db(), { actor: actor(cast.km), versionId, revision: 1, event: { type: "ARCHIVE", reason: "wrong" } });
      // Any successful write through this server (here a sign-in; in real life the archive
      // itself) makes the very next page check, on the same clock.
      const user = await createUser(db(), { roles: ["employee"] });
      const login = await fetch(`${base}/login`);
      const cookie = login.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
      const token = /name="csrf" value="([^"]+)"/.exec(await login.text())![1]!;
      const signedIn = await fetch(`${base}/login`, {
        method: "POST",
        redirect: "manual",
        headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ csrf: token, email: user.email, password: TEST_PASSWORD }),
      });
      expect(signedIn.status).toBe(302);
      expect((await fetch(url)).status).toBe(404);

      // Signed-in, internal pages: never from the FAQ cache.
      const session = [cookie, ...signedIn.headers.getSetCookie().map((c) => c.split(";")[0])].join("; ");
      const sizeBefore = faqPageCache().size;
      for (const p of ["/", "/inbox", "/search?q=refund"]) {
        const r = await fetch(`${base}${p}`, { headers: { Cookie: session } });
        expect(r.headers.get("X-Faq-Cache")).toBeNull();
        expect(r.headers.get("Cache-Control") ?? "").not.toContain("public");
      }
      expect(faqPageCache().size).toBe(sizeBefore);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});

describe("branding settings", () => {
  it("are for admins only, validated, and used by the FAQ", async () => {
    const employee = new TestClient();
    const emp = await createUser(db(), { roles: ["employee"] });
    await employee.signIn(emp.email, TEST_PASSWORD);
    expect((await employee.request("/admin/settings")).status).toBe(403);
    expect((await employee.post("/admin/settings", { companyName: "Evil", primaryColour: "#000000", accentColour: "#000000" })).status).toBe(403);

    const admin = new TestClient();
    const ada = await createUser(db(), { roles: ["admin"] });
    await admin.signIn(ada.email, TEST_PASSWORD);
    expect((await admin.page("/admin/settings")).response.status).toBe(200);
    const tooLight = await admin.post("/admin/settings", { companyName: "Acme", primaryColour: "#ffff00", accentColour: "#0b5cad", footerLinks: "" });
    expect(tooLight.status).toBe(400);
    expect(await tooLight.text()).toContain("Too light");
    const badLink = await admin.post("/admin/settings", { companyName: "Acme", primaryColour: "#123456", accentColour: "#0b5cad", footerLinks: "Privacy | javascript:alert(1)" });
    expect(badLink.status).toBe(400);
    const ok = await admin.post("/admin/settings", {
      companyName: "Acme",
      logoUrl: "/favicon.svg",
      primaryColour: "#123456",
      accentColour: "#0b5cad",
      footerLinks: "Privacy | https://acme.example/privacy\nContact | /contact",
    });
    expect(ok.status).toBe(200);
    const home = await new TestClient().page("/faq");
    expect(home.html).toContain("Acme Help");
    expect(home.html).toContain("--brand:#123456");
    expect(home.html).toContain('href="https://acme.example/privacy"');
  });
});

describe("the static export", () => {
  let outDir: string;
  beforeAll(() => {
    outDir = path.join(mkdtempSync(path.join(tmpdir(), "vetted-faq-")), "site");
  });

  it("writes only public certified answers, with sitemap, robots, canonical links and FAQPage JSON-LD", async () => {
    // Site paths in the branding: the logo is a file the app serves, a footer link a page of the site.
    await saveBranding(
      { ...DEFAULT_BRANDING, companyName: "Acme", logoUrl: "/favicon.svg", footerLinks: [{ label: "Contact", url: "/contact" }, { label: "Privacy", url: "https://acme.example/privacy" }] },
      cast.km.id,
      db(),
    );
    const summary = await exportFaq(db(), { outDir, baseUrl: "https://help.example.com" });
    expect(summary.pages).toBeGreaterThan(3);
    const tree = readTree(outDir);
    const all = [...tree.values()].map((b) => b.toString("utf8")).join("\n");
    expectOnlyPublic(all);
    expect(tree.has("index.html")).toBe(true);
    expect(tree.has(`${topicSlug}/index.html`)).toBe(true);
    const answer = tree.get(`${topicSlug}/how-do-i-get-a-refund/index.html`)!.toString();
    expect(answer).toContain('<link rel="canonical" href="https://help.example.com/' + topicSlug + '/how-do-i-get-a-refund/"/>');
    expect(answer).toContain('property="og:title"');
    expect(Buffer.byteLength(answer)).toBeLessThan(50 * 1024);
    expect(answer).not.toContain("<form method=\"post\""); // no server to post to
    const sitemap = tree.get("sitemap.xml")!.toString();
    expect(sitemap).toContain(`<loc>https://help.example.com/${topicSlug}/how-do-i-get-a-refund/</loc>`);
    expect(sitemap).not.toContain("/search/");
    expect(tree.get("robots.txt")!.toString()).toContain("Sitemap: https://help.example.com/sitemap.xml");
    const index = JSON.parse(tree.get("search-index.json")!.toString()) as { q: string; u: string }[];
    expect(index.map((e) => e.q)).toContain("How do I get a refund?");
    expect(index.find((e) => e.q === "How do I get a refund?")!.u).toBe(`${topicSlug}/how-do-i-get-a-refund/index.html`);
    // The same index as a script, for the search page opened from disk (no fetch() of file://).
    const script = tree.get("search-index.js")!.toString();
    expect(script.startsWith("window.__FAQ_INDEX__=[")).toBe(true);
    expect(JSON.parse(script.slice("window.__FAQ_INDEX__=".length).replace(/;\n$/, ""))).toEqual(index);

    // Links between pages are relative to each page and name its index.html, so the folder
    // works from disk and under any base path; only canonical addresses are absolute.
    const rootRelative = (html: string) => [...html.matchAll(/\s(?:href|src|action)="(\/[^"]*)"/g)].map((m) => m[1]);
    for (const file of ["index.html", `${topicSlug}/index.html`, `${topicSlug}/how-do-i-get-a-refund/index.html`, "search/index.html"]) {
      expect(rootRelative(tree.get(file)!.toString()), file).toEqual([]);
    }
    expect(answer).toContain('href="../../index.html"');
    expect(answer).toContain(`href="../../${topicSlug}/index.html"`);
    expect(answer).toContain('action="../../search/index.html"');
    expect(answer).toContain('href="../../favicon.svg"');
    const search = tree.get("search/index.html")!.toString();
    expect(search).toContain('<script src="../search-index.js" defer=""></script><script src="../assets/search.js" defer=""></script>');
    expect(search).toContain('data-root="../"');
    expect(tree.get("index.html")!.toString()).toContain(`href="${topicSlug}/index.html"`);
    // The logo is copied in; a footer link to a page of the site leads there, also from disk.
    expect(tree.get("assets/branding/favicon.svg")).toEqual(readFileSync(path.join(root, "public/favicon.svg")));
    expect(answer).toContain('<img src="../../assets/branding/favicon.svg"');
    expect(answer).toContain('href="https://help.example.com/contact"');
    expect(answer).toContain('href="https://acme.example/privacy"');
    // 404.html is served at whatever address was missing: its links start from the base path.
    expect(tree.get("404.html")!.toString()).toContain('href="/index.html"');

    // JSON-LD: FAQPage with a Question (name) and an acceptedAnswer (text) per entry.
    for (const file of [`${topicSlug}/index.html`, `${topicSlug}/how-do-i-get-a-refund/index.html`]) {
      const m = /<script type="application\/ld\+json">(.*?)<\/script>/s.exec(tree.get(file)!.toString());
      const ld = JSON.parse(m![1]!) as { "@context": string; "@type": string; mainEntity: { "@type": string; name: string; acceptedAnswer: { "@type": string; text: string } }[] };
      expect(ld["@context"]).toBe("https://schema.org");
      expect(ld["@type"]).toBe("FAQPage");
      expect(ld.mainEntity.length).toBeGreaterThan(0);
      for (const q of ld.mainEntity) {
        expect(q["@type"]).toBe("Question");
        expect(q.name.length).toBeGreaterThan(0);
        expect(q.acceptedAnswer["@type"]).toBe("Answer");
        expect(q.acceptedAnswer.text.length).toBeGreaterThan(0);
      }
    }
  });

  it("is valid HTML (html-validate)", async () => {
    const validator = new HtmlValidate({
      // "standard" leaves out the purely stylistic rules (React writes <meta/> and charSet).
      extends: ["html-validate:standard", "html-validate:document", "html-validate:a11y"],
      // The export's scripts are its own files, linked relatively: Chromium refuses an
      // `integrity` check on a script read from disk (file://), so only other sites' need one.
      rules: { "require-sri": ["error", { target: "crossorigin" }] },
    });
    const tree = readTree(outDir);
    const pages = [...tree.keys()].filter((f) => f.endsWith(".html"));
    expect(pages.length).toBeGreaterThan(4);
    for (const file of pages) {
      const report = await validator.validateString(tree.get(file)!.toString(), file);
      const messages = report.results.flatMap((r) => r.messages.map((m) => `${file}:${m.line}:${m.column} ${m.ruleId} ${m.message}`));
      expect(messages).toEqual([]);
    }
  });

  it("is deterministic: the same content gives byte-identical files", async () => {
    const before = treeHash(readTree(outDir));
    await exportFaq(db(), { outDir, baseUrl: "https://help.example.com" });
    expect(treeHash(readTree(outDir))).toBe(before);
    // Nothing is left beside the output.
    expect(readdirSync(path.dirname(outDir))).toEqual(["site"]);
  });
});
