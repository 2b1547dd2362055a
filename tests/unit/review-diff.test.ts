import type { JSONContent } from "@tiptap/core";
import { describe, expect, it } from "vitest";
import { renderDocument } from "../../app/editor/document.server";
import { documentDiff, textDiff } from "../../app/models/diff.server";

// The review page's rendered diff (issue 11, defect 11: the word diff dropped paragraph breaks
// and hid formatting changes).

type Inline = JSONContent;
const t = (text: string, ...marks: JSONContent["marks"][]): Inline => ({ type: "text", text, ...(marks[0] ? { marks: marks[0] } : {}) });
const bold = [{ type: "bold" }];
const link = (href: string) => [{ type: "link", attrs: { href, rel: "noopener noreferrer nofollow", target: null, class: null, title: null } }];
const p = (...content: Inline[]): JSONContent => ({ type: "paragraph", content });
const doc = (...content: JSONContent[]): JSONContent => ({ type: "doc", content });
const ul = (...items: string[]): JSONContent => ({ type: "bulletList", content: items.map((i) => ({ type: "listItem", content: [p(t(i))] })) });
const cell = (text: string): JSONContent => ({ type: "tableCell", attrs: { colspan: 1, rowspan: 1, colwidth: null }, content: [p(t(text))] });
const table = (...rows: string[][]): JSONContent => ({ type: "table", content: rows.map((r) => ({ type: "tableRow", content: r.map(cell) })) });

/** The text a reader sees in each kind of mark, in order. */
const inserted = (html: string) => [...html.matchAll(/<ins[^>]*>(.*?)<\/ins>/g)].map((m) => m[1]);
const deleted = (html: string) => [...html.matchAll(/<del[^>]*>(.*?)<\/del>/g)].map((m) => m[1]);

describe("documentDiff", () => {
  it("an unchanged document renders as it is, with nothing marked", () => {
    const d = doc(p(t("Refunds take "), t("five", bold), t(" days.")), ul("Card", "Cash"));
    const diff = documentDiff(d, d);
    expect(diff.changed).toBe(false);
    expect(diff.html).toBe(renderDocument(d).html);
  });

  it("a paragraph split in two shows as two paragraphs", () => {
    const diff = documentDiff(doc(p(t("Refunds go back to your card. They take five days."))), doc(p(t("Refunds go back to your card.")), p(t("They take five days."))));
    expect(diff.changed).toBe(true);
    const paragraphs = diff.html.match(/<p>.*?<\/p>/g) ?? [];
    expect(paragraphs).toHaveLength(2);
    expect(paragraphs[0]).toContain("Refunds go back to your card.");
    expect(paragraphs[1]).toContain("<ins>They take five days.</ins>");
    // What moved out of the first paragraph is shown struck there.
    expect(deleted(diff.html).join("")).toContain("They take five days.");
  });

  it("a word that became bold is marked as changed, saying so", () => {
    const diff = documentDiff(doc(p(t("Refunds take five days."))), doc(p(t("Refunds take "), t("five", bold), t(" days."))));
    expect(diff.changed).toBe(true);
    expect(diff.html).toContain('<del title="Formatting changed: now bold" class="diff-format">five</del>');
    expect(diff.html).toContain('<strong><ins title="Formatting changed: now bold" class="diff-format">five</ins></strong>');
    expect(diff.html.replace(/<[^>]+>/g, "")).toBe("Refunds take fivefive days.");
  });

  it("a link whose address changed shows the old and the new link", () => {
    const diff = documentDiff(doc(p(t("See "), t("our policy", link("https://old.example/policy")), t("."))), doc(p(t("See "), t("our policy", link("https://new.example/policy")), t("."))));
    expect(diff.changed).toBe(true);
    const title = "Formatting changed: link https://old.example/policy → https://new.example/policy";
    expect(diff.html).toContain(`<a rel="noopener noreferrer nofollow" href="https://old.example/policy"><del title="${title}" class="diff-format">our policy</del></a>`);
    expect(diff.html).toContain(`<a rel="noopener noreferrer nofollow" href="https://new.example/policy"><ins title="${title}" class="diff-format">our policy</ins></a>`);
  });

  it("an added list item is inserted inside the list", () => {
    const diff = documentDiff(doc(ul("Card", "Cash")), doc(ul("Card", "Voucher", "Cash")));
    expect(diff.html).toBe("<ul><li><p>Card</p></li><li><p><ins>Voucher</ins></p></li><li><p>Cash</p></li></ul>");
  });

  it("a removed list item stays in the list, struck", () => {
    const diff = documentDiff(doc(ul("Card", "Voucher", "Cash")), doc(ul("Card", "Cash")));
    expect(diff.html).toBe("<ul><li><p>Card</p></li><li><p><del>Voucher</del></p></li><li><p>Cash</p></li></ul>");
  });

  it("a changed table cell is marked inside its cell, the table kept whole", () => {
    const diff = documentDiff(
      doc(table(["Method", "Days"], ["Card", "5"], ["Cash", "1"])),
      doc(table(["Method", "Days"], ["Card", "3"], ["Cash", "1"])),
    );
    expect(diff.html.match(/<tr>/g)).toHaveLength(3);
    expect(diff.html).toContain("<td><p>Card</p></td><td><p><del>5</del><ins>3</ins></p></td>");
    expect(diff.html).toContain("<td><p>Cash</p></td><td><p>1</p></td>");
  });

  it("a heading whose level changed shows as replaced, saying so", () => {
    const h = (level: number) => ({ type: "heading", attrs: { level }, content: [t("Refunds")] });
    const diff = documentDiff(doc(h(2)), doc(h(3)));
    expect(diff.html).toBe('<h2><del title="Changed: heading level 2 → 3">Refunds</del></h2><h3><ins title="Changed: heading level 2 → 3">Refunds</ins></h3>');
  });

  it("a changed word inside a paragraph is a deletion and an insertion, the rest untouched", () => {
    const diff = documentDiff(doc(p(t("Refunds take five days.")), p(t("Ask us."))), doc(p(t("Refunds take three days.")), p(t("Ask us."))));
    expect(diff.html).toBe("<p>Refunds take <del>five</del><ins>three</ins> days.</p><p>Ask us.</p>");
  });

  it("text is escaped: a <script> typed into an answer stays text, inserted or deleted", () => {
    const script = '<script>alert("x")</script> & <b>more</b>';
    for (const diff of [documentDiff(doc(p(t("Old words"))), doc(p(t(script)))), documentDiff(doc(p(t(script))), doc(p(t("New words"))))]) {
      expect(diff.changed).toBe(true);
      expect(diff.html).not.toContain("<script");
      expect(diff.html).not.toContain("<b>");
      expect(diff.html).toContain("&lt;script&gt;alert(\"x\")&lt;/script&gt;");
      expect(diff.html).toContain("&amp;");
      for (const tag of diff.html.match(/<\/?([a-z]+)/g) ?? []) expect(["<p", "</p", "<ins", "</ins", "<del", "</del"]).toContain(tag);
    }
  });

  it("a link that was never safe is not written as one", () => {
    // Stored before validation refused it: the renderer still writes no javascript: address.
    const diff = documentDiff(doc(p(t("a"))), doc(p(t("click", link("javascript:alert(1)")))));
    expect(diff.html).not.toContain("javascript:");
  });
});

describe("textDiff (question, short answer, other phrasings)", () => {
  it("is a word diff that keeps paragraph and line breaks", () => {
    const diff = textDiff("Gift cards are sold in shops.\n\nAsk at the till.", "Gift cards are sold in shops and online.\n\nAsk at the till.\nOr online.");
    expect(diff.changed).toBe(true);
    expect(diff.html).toBe("<p>Gift cards are sold in shops<ins> and online</ins>.</p><p>Ask at the till.<br><ins>Or online.</ins></p>");
    expect(inserted(diff.html)).toEqual([" and online", "Or online."]);
  });

  it("unchanged text is not changed", () => {
    expect(textDiff("Same.", "Same.")).toEqual({ html: "<p>Same.</p>", changed: false });
  });
});

describe("documentDiff on the largest documents", () => {
  it("stays fast when a long answer is rewritten whole", () => {
    const many = (prefix: string) => doc(...Array.from({ length: 800 }, (_, i) => p(t(`${prefix} paragraph number ${i} about refunds and returns.`))));
    const started = performance.now();
    const diff = documentDiff(many("Old"), many("New"));
    expect(diff.changed).toBe(true);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
