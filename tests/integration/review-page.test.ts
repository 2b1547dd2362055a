import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { answerVersions } from "../../db/schema";
import { answerEvents } from "../../db/schema";
import { createDraft, reviseAnswer, saveDraft, sendEvent } from "../../workflows/approval.service";
import { actor, certifiedAnswer, doc, draftInput, workflowCast } from "../support/answers";
import { TestClient } from "../support/app";
import { useFreshDatabase } from "../support/db";
import { TEST_PASSWORD } from "../support/factories";

const database = useFreshDatabase();
const db = () => database.current.db;
const text = (html: string) => html.replaceAll("<!-- -->", "").replaceAll("&#x27;", "'");

// Issue 11, defect 6: reviewers decided blind.
describe("the review page shows what a reviewer needs to decide", () => {
  let cast: Awaited<ReturnType<typeof workflowCast>>;
  let answerId: string;
  const second = new TestClient();
  const first = new TestClient();
  beforeAll(async () => {
    cast = await workflowCast(db(), { requiredApprovals: 2, experts: 2 });
    const draft = await createDraft(db(), {
      actor: actor(cast.author),
      draft: draftInput({ topicIds: [cast.topic.id], audience: "public", tags: ["gift-cards"], shortAnswer: "Gift cards are sold in shops." }),
    });
    answerId = draft.answerId;
    await sendEvent(db(), { actor: actor(cast.author), versionId: draft.versionId, revision: 1, event: { type: "SUBMIT" } });
    await sendEvent(db(), { actor: actor(cast.expert), versionId: draft.versionId, revision: 1, event: { type: "APPROVE", comment: "Checked with the shop team." } });
    await sendEvent(db(), { actor: actor(cast.experts[1]!), versionId: draft.versionId, revision: 1, event: { type: "REQUEST_CHANGES", comment: "Mention online gift cards." } });
    const [current] = await db().select().from(answerVersions).where(eq(answerVersions.id, draft.versionId));
    const saved = await saveDraft(db(), {
      actor: actor(cast.author),
      versionId: draft.versionId,
      lockVersion: current!.lockVersion,
      draft: draftInput({ topicIds: [cast.topic.id], audience: "public", tags: ["gift-cards"], shortAnswer: "Gift cards are sold in shops and online.", body: doc("Buy them in shops or online.") }),
    });
    await sendEvent(db(), { actor: actor(cast.author), versionId: draft.versionId, revision: saved.revision, event: { type: "RESUBMIT" } });
    await first.signIn(cast.expert.email, TEST_PASSWORD);
    await second.signIn(cast.experts[1]!.email, TEST_PASSWORD);
  });

  it("shows audience, topics, tags and the decisions so far with their comments", async () => {
    const html = text((await second.page(`/answers/${answerId}/review`)).html);
    expect(html).toContain("once certified it is published on the public FAQ website");
    expect(html).toContain(cast.topic.name);
    expect(html).toContain("gift-cards");
    expect(html).toContain("Checked with the shop team.");
    expect(html).toContain("Mention online gift cards.");
    expect(html).toContain('id="comments-heading"');
  });

  it("offers the changes since this reviewer's last decision, rendered", async () => {
    const html = text((await second.page(`/answers/${answerId}/review`)).html);
    expect(html).toContain("Changes since your last review");
    expect(html).toMatch(/<ins>[^<]*online[^<]*<\/ins>/);
    // The full answer as it now reads, paragraph by paragraph: the two old ones gave way to a new one.
    const since = section(html, "since-mine-heading");
    expect(since).toContain(
      "<p><del>Refunds go back to the card you paid with.</del></p><p><del>They take up to 5 working days after the return arrives.</del></p><p><ins>Buy them in shops or online.</ins></p>",
    );
    // The short answer is a word diff too, in a paragraph of its own.
    expect(since).toContain("<p>Gift cards are sold in shops<ins> and online</ins>.</p>");
  });

  it("sends no snapshot of what reviewers saw to the browser", async () => {
    // The whole text each decision saw stays on the server (lastReviewSeen), not in the page's data.
    const [decision] = await db().select().from(answerEvents).where(eq(answerEvents.actorId, cast.experts[1]!.id));
    expect(decision!.data).toHaveProperty("seen.body");
    for (const path of [`/answers/${answerId}/review`, `/answers/${answerId}`]) {
      const html = (await second.page(path)).html;
      expect(html).not.toMatch(/\\?"seen\\?"/);
    }
  });

  it("falls back to the words, paragraph by paragraph, for a decision that kept only the text", async () => {
    const [decision] = await db().select().from(answerEvents).where(eq(answerEvents.actorId, cast.experts[1]!.id));
    const { body: _body, ...textOnly } = (decision!.data as { seen: Record<string, unknown> }).seen;
    await db().update(answerEvents).set({ data: { ...decision!.data, seen: textOnly } }).where(eq(answerEvents.id, decision!.id));
    const since = section(text((await second.page(`/answers/${answerId}/review`)).html), "since-mine-heading");
    expect(since).toContain(
      "<p><del>Refunds go back to the card you paid with.</del></p><p><del>They take up to 5 working days after the return arrives.</del></p><p><ins>Buy them in shops or online.</ins></p>",
    );
  });
});

/** The HTML of the page's section headed by the heading with this id. */
function section(html: string, headingId: string): string {
  const start = html.indexOf(`id="${headingId}"`);
  expect(start, `no #${headingId}`).toBeGreaterThan(0);
  return html.slice(start, html.indexOf("</section>", start));
}

// Issue 11, defect 11: the word diff dropped paragraph breaks and hid formatting changes.
describe("a revision of a certified answer is reviewed as a rendered diff", () => {
  it("shows the new version rendered, with paragraphs, insertions, deletions and formatting changes marked", async () => {
    const cast = await workflowCast(db(), { requiredApprovals: 1, experts: 1 });
    const body = (...content: object[]) => ({ type: "doc", content });
    const p = (...content: object[]) => ({ type: "paragraph", content });
    const t = (value: string, marks?: object[]) => ({ type: "text", text: value, ...(marks ? { marks } : {}) });
    const link = (href: string) => [{ type: "link", attrs: { href } }];
    const { answerId } = await certifiedAnswer(db(), cast, {
      question: "Do you sell gift cards?",
      shortAnswer: "Yes, in shops.",
      body: body(
        p(t("Gift cards are sold in shops. They work online too.")),
        p(t("They never expire.")),
        p(t("See "), t("the terms", link("https://shop.example/terms")), t(" for details.")),
      ),
    });
    const { versionId } = await reviseAnswer(db(), { actor: actor(cast.author), answerId });
    const [open] = await db().select().from(answerVersions).where(eq(answerVersions.id, versionId));
    const saved = await saveDraft(db(), {
      actor: actor(cast.author),
      versionId,
      lockVersion: open!.lockVersion,
      draft: draftInput({
        topicIds: [cast.topic.id],
        question: "Do you sell gift cards?",
        shortAnswer: "Yes, in shops.",
        body: body(
          p(t("Gift cards are sold in shops.")),
          p(t("They work online too.")),
          p(t("They "), t("never", [{ type: "bold" }]), t(" expire.")),
          p(t("See "), t("the terms", link("https://shop.example/gift-card-terms")), t(" for details.")),
          p(t('Never share a card number with <script>anyone</script>.')),
        ),
      }),
    });
    await sendEvent(db(), { actor: actor(cast.author), versionId, revision: saved.revision, event: { type: "SUBMIT" } });
    const expert = new TestClient();
    await expert.signIn(cast.expert.email, TEST_PASSWORD);
    const html = text((await expert.page(`/answers/${answerId}/review`)).html);
    const diff = section(html, "diff-heading");
    expect(diff).toContain("Changes against the certified version 1");
    // Unchanged parts say so and read as they are.
    expect(diff).toMatch(/Question <span class="muted">\(unchanged\)<\/span>/);
    expect(diff).toContain("<p>Do you sell gift cards?</p>");
    // The split paragraph is two paragraphs: the sentence moved out is struck in the first, added in the second.
    expect(diff).toContain("<p>Gift cards are sold in shops.<del> They work online too.</del></p><p><ins>They work online too.</ins></p>");
    // A word made bold: shown old and new, saying what changed.
    expect(diff).toContain('<del title="Formatting changed: now bold" class="diff-format">never</del><strong><ins title="Formatting changed: now bold" class="diff-format">never</ins></strong>');
    // A link's new address: the old link struck, the new one inserted, both safe links.
    expect(diff).toContain(
      '<a rel="noopener noreferrer nofollow" href="https://shop.example/terms"><del title="Formatting changed: link https://shop.example/terms → https://shop.example/gift-card-terms" class="diff-format">the terms</del></a>',
    );
    expect(diff).toContain('href="https://shop.example/gift-card-terms"><ins');
    // Typed markup stays text.
    expect(diff).toContain("<p><ins>Never share a card number with &lt;script&gt;anyone&lt;/script&gt;.</ins></p>");
    expect(diff).not.toContain("<script>");
    // The old side-by-side columns are gone: one rendered version, usable without JavaScript.
    expect(diff).not.toContain("diff-side");
  });
});
