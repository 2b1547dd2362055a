import { and, count, eq, isNull } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { documentFromHtml } from "../../app/editor/document.server";
import { agentSearch } from "../../app/models/agent-search.server";
import { createApiToken, recordUse, undoUse, USE_WINDOW_MS } from "../../app/models/agent.server";
import { browseCertified } from "../../app/models/search.server";
import { answerUses, failedSearches } from "../../db/schema";
import { drainAll } from "../../search/outbox";
import { createPostgresIndex } from "../../search/postgres";
import { certifiedAnswer, workflowCast } from "../support/answers";
import { callApi } from "../support/api";
import { TestClient } from "../support/app";
import { useFreshDatabase } from "../support/db";
import { createUser, TEST_PASSWORD } from "../support/factories";

const database = useFreshDatabase();
const db = () => database.current.db;

let cast: Awaited<ReturnType<typeof workflowCast>>;
let rich: string;
const browseIds: string[] = [];

const RICH_HTML =
  '<p>Start the return in the <a href="https://returns.example.com/start">returns portal</a>.</p>' +
  "<ol><li>Enter the order number.</li><li>Print the label.</li></ol>" +
  "<table><tbody><tr><th>Country</th><th>Days</th></tr><tr><td>Germany</td><td>1–2</td></tr></tbody></table>";

beforeAll(async () => {
  cast = await workflowCast(db());
  const parsed = documentFromHtml(RICH_HTML);
  if (!parsed.ok) throw new Error(parsed.message);
  rich = (await certifiedAnswer(db(), cast, { question: "How do I send a parcel back to you?", shortAnswer: "Use the returns portal within 30 days.", body: parsed.doc })).answerId;
  for (let i = 0; i < 7; i++) browseIds.push((await certifiedAnswer(db(), cast, { question: `Browsable answer number ${i + 1}?`, tags: ["browse-me"] })).answerId);
  await drainAll(db(), createPostgresIndex(() => db()));
});

const usesOf = async (answerId: string) =>
  (await db().select({ n: count() }).from(answerUses).where(and(eq(answerUses.answerId, answerId), eq(answerUses.kind, "used"), isNull(answerUses.undoneAt))))[0]!.n;

describe("uses that mean something", () => {
  it("counts one use per agent, answer and 10 minutes; another agent, or later, counts again", async () => {
    const t0 = new Date("2026-11-20T10:00:00Z");
    const first = await recordUse({ answerId: browseIds[0]!, kind: "used", channel: "chat", userId: cast.agent.id, at: t0 }, db());
    const again = await recordUse({ answerId: browseIds[0]!, kind: "used", channel: "chat", userId: cast.agent.id, at: new Date(t0.getTime() + 60_000) }, db());
    expect(again).toMatchObject({ repeated: true, useId: first.useId });
    const other = await createUser(db(), { roles: ["agent"] });
    expect((await recordUse({ answerId: browseIds[0]!, kind: "used", userId: other.id, at: t0 }, db())).repeated).toBe(false);
    expect((await recordUse({ answerId: browseIds[0]!, kind: "used", userId: cast.agent.id, at: new Date(t0.getTime() + USE_WINDOW_MS + 1000) }, db())).repeated).toBe(false);
    // Copies are recorded every time, apart from uses.
    await recordUse({ answerId: browseIds[0]!, kind: "copy_full", channel: "email", userId: cast.agent.id, at: t0 }, db());
    await recordUse({ answerId: browseIds[0]!, kind: "copy_full", channel: "email", userId: cast.agent.id, at: t0 }, db());
    expect(await usesOf(browseIds[0]!)).toBe(3);
  });

  it("counts one use per conversation, and two quick clicks at once count once", async () => {
    const at = new Date();
    await Promise.all([1, 2, 3].map(() => recordUse({ answerId: browseIds[1]!, kind: "used", userId: cast.agent.id, conversation: "T-1", at }, db())));
    expect(await usesOf(browseIds[1]!)).toBe(1);
    await recordUse({ answerId: browseIds[1]!, kind: "used", userId: cast.agent.id, conversation: "T-2", at }, db());
    expect(await usesOf(browseIds[1]!)).toBe(2);
  });

  it("undoes a use for whoever recorded it, and no one else", async () => {
    const { useId } = await recordUse({ answerId: browseIds[2]!, kind: "used", userId: cast.agent.id }, db());
    const stranger = await createUser(db(), { roles: ["agent"] });
    await expect(undoUse({ useId, userId: stranger.id }, db())).rejects.toThrow(/no use of yours/);
    await undoUse({ useId, userId: cast.agent.id }, db());
    expect(await usesOf(browseIds[2]!)).toBe(0);
    await expect(undoUse({ useId, userId: cast.agent.id }, db())).rejects.toThrow(/undone already/);
    // After an undo, the next click is a new use.
    expect((await recordUse({ answerId: browseIds[2]!, kind: "used", userId: cast.agent.id }, db())).repeated).toBe(false);
  });

  it("through the app: records, repeats, undoes, and refuses bad input and other people's uses", async () => {
    const agent = new TestClient();
    await agent.signIn(cast.agent.email, TEST_PASSWORD);
    await agent.page("/search");
    const used = await agent.post("/search/use", { answerId: browseIds[3]!, kind: "used", channel: "email", conversation: "", searchQuery: "parcel back" });
    const body = (await used.json()) as { ok: boolean; useId: string; message: string };
    expect(body).toMatchObject({ ok: true, message: "Recorded as used in an email reply." });
    const repeat = (await (await agent.post("/search/use", { answerId: browseIds[3]!, kind: "used", channel: "email" })).json()) as { message: string };
    expect(repeat.message).toMatch(/Already recorded/);
    const [row] = await db().select().from(answerUses).where(eq(answerUses.id, body.useId));
    expect(row!.searchQuery).toBe("parcel back");
    const bad = await agent.post("/search/use", { answerId: "nope", kind: "used", channel: "fax" });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toMatch(/Unknown answer/);
    const employee = new TestClient();
    await employee.signIn(cast.author.email, TEST_PASSWORD);
    await employee.page("/search");
    expect((await employee.post("/search/use", { intent: "undo", useId: body.useId })).status).toBe(403);
    const undone = await agent.post("/search/use", { intent: "undo", useId: body.useId });
    expect(((await undone.json()) as { message: string }).message).toMatch(/Undone/);
  });
});

describe("failed searches, once per search session", () => {
  it("keeps one row per session with the final words, and drops it when the session finds answers", async () => {
    const user = { id: cast.agent.id, email: cast.agent.email, displayName: "A", roles: ["agent" as const] };
    const session = "0b6c2f0e-8a2d-4f3e-9a51-3d8c2f1e7a10";
    for (const q of ["hamst", "hamster tramp", "hamster trampoline"]) {
      await agentSearch(new URL(`http://x/search?live=1&session=${session}&q=${encodeURIComponent(q)}`), user);
    }
    const rows = await db().select().from(failedSearches).where(eq(failedSearches.sessionId, session));
    expect(rows.map((r) => r.query)).toEqual(["hamster trampoline"]);
    await agentSearch(new URL(`http://x/search?live=1&session=${session}&q=${encodeURIComponent("parcel back")}`), user);
    expect(await db().select().from(failedSearches).where(eq(failedSearches.sessionId, session))).toEqual([]);
  });
});

describe("browsing without words", () => {
  it("lists a tag's certified answers, most used first, with a count that paging reaches", async () => {
    await recordUse({ answerId: browseIds[6]!, kind: "used", userId: cast.agent.id }, db());
    const first = await browseCertified({ tag: "browse-me" }, { limit: 5, offset: 0 }, db());
    const second = await browseCertified({ tag: "browse-me" }, { limit: 5, offset: 5 }, db());
    expect(first.total).toBe(7);
    expect(second.total).toBe(7);
    const seen = [...first.hits, ...second.hits].map((h) => h.document.id);
    expect(new Set(seen)).toEqual(new Set(browseIds));
    // Most used first: three uses of the first, two (two tickets) of the second.
    expect(first.hits.slice(0, 2).map((h) => h.document.id)).toEqual([browseIds[0], browseIds[1]]);
  });
});

describe("replies as certified, in every format", () => {
  it("serves the copy buttons both flavours per channel, with link addresses, lists and tables", async () => {
    const agent = new TestClient();
    await agent.signIn(cast.agent.email, TEST_PASSWORD);
    const full = await agent.request(`/answers/${rich}/reply?format=full`);
    expect(full.status).toBe(200);
    const body = (await full.json()) as { text: string; html: string };
    expect(body.text).toContain("returns portal (https://returns.example.com/start)");
    expect(body.text).toContain("1. Enter the order number.\n2. Print the label.");
    expect(body.text).toContain("Country | Days\nGermany | 1–2".replace("\n", "\n--------+-----\n"));
    expect(body.html).toContain('<a href="https://returns.example.com/start"');
    const phone = (await (await agent.request(`/answers/${rich}/reply?format=phone`)).json()) as { text: string };
    expect(phone.text).not.toMatch(/https?:/);
    expect((await agent.request(`/answers/${rich}/reply?format=fax`)).status).toBe(400);
    expect((await agent.request(`/answers/00000000-0000-4000-8000-000000000000/reply?format=chat`)).status).toBe(404);
    const anonymous = await new TestClient().request(`/answers/${rich}/reply?format=chat`);
    expect(anonymous.status).toBe(302);
  });

  it("the API returns every format, the certificate, and a channel's reply", async () => {
    const admin = await createUser(db(), { roles: ["admin"] });
    const { token } = await createApiToken({ name: "desk", scopes: ["search:read", "uses:write"], createdBy: admin.id }, db());
    const headers = { Authorization: `Bearer ${token}` };
    const one = await callApi(`/api/v1/answers/${rich}`, { headers });
    expect(one.status).toBe(200);
    const answer = (await one.json()) as Record<string, unknown> & { certificate: { version: number; certifiedBy: string }; replies: Record<string, { text: string }> };
    expect(answer.answer_text).toContain("(https://returns.example.com/start)");
    expect(answer.answer_markdown).toContain("[returns portal](https://returns.example.com/start)");
    expect(answer.answer_html).toContain("<ol><li>");
    expect(answer.certificate.version).toBe(1);
    expect(answer.replies.chat!.text.startsWith("Use the returns portal within 30 days.")).toBe(true);
    const search = (await (await callApi(`/api/v1/search?q=${encodeURIComponent("send a parcel back")}&format=markdown&channel=social`, { headers })).json()) as {
      results: { id: string; answer: string; reply: { channel: string; text: string } }[];
    };
    const hit = search.results.find((r) => r.id === rich)!;
    expect(hit.answer).toContain("[returns portal]");
    expect(hit.reply.channel).toBe("social");
    expect(hit.reply.text.length).toBeLessThanOrEqual(280);
    expect((await callApi(`/api/v1/search?q=x&format=pdf`, { headers })).status).toBe(400);
    expect((await callApi(`/api/v1/answers/not-an-id`, { headers })).status).toBe(404);
    // A help desk's repeated use of one ticket counts once.
    const post = (body: unknown) => callApi(`/api/v1/answers/${rich}/uses`, { method: "POST", headers: { ...headers, "Content-Type": "application/json" }, body: JSON.stringify(body) });
    expect((await post({ channel: "email", conversation: "Z-77" })).status).toBe(201);
    expect((await post({ channel: "email", conversation: "Z-77" })).status).toBe(200);
  });
});

describe("the agent desk settings and the panel", () => {
  it("lets only admins set the sign-off and the panel's origins, refusing what is not an origin", async () => {
    const agent = new TestClient();
    await agent.signIn(cast.agent.email, TEST_PASSWORD);
    await agent.page("/search");
    expect((await agent.post("/admin/settings", { intent: "desk", signOff: "x", panelOrigins: "https://a.example.com" })).status).toBe(403);
    const admin = await createUser(db(), { roles: ["admin"] });
    const client = new TestClient();
    await client.signIn(admin.email, TEST_PASSWORD);
    await client.page("/admin/settings");
    const bad = await client.post("/admin/settings", { intent: "desk", signOff: "Thanks", panelOrigins: "https://ok.example.com\nhttps://x.example.com/path" });
    expect(bad.status).toBe(400);
    const good = await client.post("/admin/settings", { intent: "desk", signOff: "Thanks, Support", panelOrigins: "https://help.example.zendesk.com" });
    expect(good.status).toBe(200);
    const email = (await (await agent.request(`/answers/${rich}/reply?format=email`)).json()) as { text: string };
    expect(email.text.endsWith("Thanks, Support")).toBe(true);
  });

  it("sends a panel visitor to the panel's own sign-in, and signs in into the panel's cookie", async () => {
    const visitor = new TestClient();
    const first = await visitor.request("/panel?q=refund");
    expect(first.headers.get("location")).toBe("/panel/search?q=refund");
    const search = await visitor.request("/panel/search?q=refund");
    expect(search.headers.get("location")).toBe(`/panel/login?redirectTo=${encodeURIComponent("/panel/search?q=refund")}`);
    const login = await visitor.page("/panel/login");
    expect(login.response.headers.get("set-cookie")).toMatch(/vetted_panel_csrf=.*Path=\/panel.*Secure.*SameSite=None/i);
    const signedIn = await visitor.request("/panel/login", { form: { csrf: visitor.csrfToken ?? "", email: cast.agent.email, password: TEST_PASSWORD, redirectTo: "/panel/search?q=refund" } });
    expect(signedIn.status).toBe(302);
    expect(signedIn.headers.get("set-cookie")).toMatch(/vetted_panel_session=.*Path=\/panel.*Partitioned/i);
    const panel = await visitor.page("/panel/search?q=parcel+back&conversation=T-9");
    expect(panel.response.status).toBe(200);
    expect(panel.html).toContain("How do I send a parcel back to you?");
    // The panel's cookie opens the panel only: the app itself still asks for a sign-in.
    expect((await visitor.request("/search")).status).toBe(302);
  });
});
