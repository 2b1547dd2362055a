import type { JSONContent } from "@tiptap/core";
import { describe, expect, it } from "vitest";
import { documentFromHtml, documentFromPlainText, renderDocument, renderPlainText, validateDocument } from "../../app/editor/document.server";
import { isSafeHref } from "../../app/editor/extensions";

const p = (...content: JSONContent[]): JSONContent => ({ type: "paragraph", content });
const text = (t: string, marks?: JSONContent["marks"]): JSONContent => ({ type: "text", text: t, ...(marks ? { marks } : {}) });
const doc = (...content: JSONContent[]): JSONContent => ({ type: "doc", content });
const link = (href: string) => doc(p(text("click", [{ type: "link", attrs: { href } }])));

describe("validating rich text against the editor schema", () => {
  it("accepts every node and mark the editor offers and renders them", () => {
    const full = doc(
      { type: "heading", attrs: { level: 2 }, content: [text("Refunds")] },
      p(text("bold", [{ type: "bold" }]), text(" "), text("italic", [{ type: "italic" }]), text(" "), text("code", [{ type: "code" }])),
      { type: "bulletList", content: [{ type: "listItem", content: [p(text("one"))] }] },
      { type: "orderedList", content: [{ type: "listItem", content: [p(text("first"))] }] },
      { type: "blockquote", content: [p(text("quoted"))] },
      { type: "codeBlock", content: [text("npm start")] },
      p(text("site", [{ type: "link", attrs: { href: "https://example.com" } }])),
      {
        type: "table",
        content: [
          { type: "tableRow", content: [{ type: "tableHeader", content: [p(text("Plan"))] }] },
          { type: "tableRow", content: [{ type: "tableCell", content: [p(text("Basic"))] }] },
        ],
      },
    );
    const v = validateDocument(full);
    expect(v.ok).toBe(true);
    if (!v.ok) return;
    const { html, text: plain } = renderDocument(v.doc);
    for (const tag of ["<h2>", "<strong>bold</strong>", "<em>italic</em>", "<code>code</code>", "<ul>", "<ol>", "<blockquote>", "<pre>", "<table", "<th"]) {
      expect(html).toContain(tag);
    }
    expect(html).toContain('href="https://example.com"');
    expect(html).toContain('rel="noopener noreferrer nofollow"');
    expect(plain).toContain("Refunds\n\nbold italic code");
    expect(plain).not.toContain("<");
  });

  it("escapes markup typed as text", () => {
    const v = validateDocument(doc(p(text('<script>alert("x")</script><img src=x onerror=alert(1)>'))));
    expect(v.ok).toBe(true);
    if (!v.ok) return;
    const { html } = renderDocument(v.doc);
    expect(html).not.toContain("<script");
    expect(html).not.toContain("<img");
    expect(html).toContain("&lt;script&gt;");
  });

  it.each(["javascript:alert(1)", "JaVaScRiPt:alert(1)", "java\nscript:alert(1)", " javascript:alert(1)", "java\u0000script:x", "data:text/html,<b>x</b>", "vbscript:msgbox", "//evil.example/x", "/\\evil.example/x", "\\\\evil.example"])(
    "refuses the link %j",
    (href) => {
      const v = validateDocument(link(href));
      expect(v).toMatchObject({ ok: false });
      if (!v.ok) expect(v.message).toMatch(/link must be/);
    },
  );

  it.each(["https://example.com/a?b=c", "http://example.com", "mailto:help@example.com", "tel:+441234", "/answers/123", "#top"])("allows the link %j", (href) => {
    expect(validateDocument(link(href)).ok).toBe(true);
    expect(isSafeHref(href)).toBe(true);
  });

  it.each([
    [doc({ type: "script", content: [text("alert(1)")] }), /“script”, which the editor does not allow/],
    [doc(p(text("x", [{ type: "blink" }]))), /formatting “blink”/],
    [doc({ type: "paragraph", attrs: { onclick: "alert(1)" }, content: [text("x")] }), /attribute “onclick”/],
    [doc(p(text("x", [{ type: "link", attrs: { href: "https://a.example", onmouseover: "x" } }]))), /attribute “onmouseover”/],
    [{ type: "paragraph" }, /not a rich-text document/],
    ["<p>html</p>", /not a rich-text document/],
    [null, /not a rich-text document/],
    [doc({ type: "listItem", content: [p(text("loose"))] }), /structure is not valid/],
    [JSON.parse('{"type":"doc","content":[{"type":"paragraph","attrs":{"constructor":"x"}}]}'), /attribute “constructor”/],
    [JSON.parse('{"type":"doc","content":[{"type":"paragraph","attrs":{"__proto__":{"x":1}}}]}'), /attribute “__proto__”/],
    [doc(p(text("x", [{ type: "bold", attrs: 5 as never }]))), /malformed attributes/],
    [doc({ type: "heading", attrs: { level: 1 }, content: [text("h1 is the page title")] }), /invalid “level”/],
    [doc({ type: "heading", attrs: { level: "2 onclick=alert(1)" }, content: [text("x")] }), /invalid “level”/],
    [doc({ type: "codeBlock", attrs: { language: '"><script>' }, content: [text("x")] }), /invalid “language”/],
    [doc({ type: "table", content: [{ type: "tableRow", content: [{ type: "tableCell", attrs: { colspan: "1 onclick" }, content: [p(text("c"))] }] }] }), /invalid “colspan”/],
    [doc({ type: "table", content: [{ type: "tableRow", content: [{ type: "tableCell", attrs: { colwidth: ["9px;background:red"] }, content: [p(text("c"))] }] }] }), /invalid “colwidth”/],
    [doc({ type: "heading", attrs: { level: 2 }, content: [{ type: "heading", attrs: { level: 3 } }] }), /structure is not valid/],
  ])("refuses malformed documents (%#)", (input, message) => {
    const v = validateDocument(input);
    expect(v).toMatchObject({ ok: false });
    if (!v.ok) expect(v.message).toMatch(message);
  });

  it("gives every link our rel and no target, whatever the JSON or pasted HTML said", () => {
    const v = validateDocument(doc(p(text("x", [{ type: "link", attrs: { href: "https://a.example", rel: "opener", target: "_blank", class: "btn" } }]))));
    expect(v.ok).toBe(true);
    if (!v.ok) return;
    expect(v.doc.content?.[0]?.content?.[0]?.marks?.[0]?.attrs).toMatchObject({ rel: "noopener noreferrer nofollow", target: null, class: null });
    expect(renderDocument(v.doc).html).toBe('<p><a rel="noopener noreferrer nofollow" href="https://a.example">x</a></p>');
    // A document stored before that rule renders safely too.
    const old = doc(p(text("x", [{ type: "link", attrs: { href: "https://a.example", rel: "opener", target: "_blank" } }])));
    expect(renderDocument(old).html).toBe('<p><a rel="noopener noreferrer nofollow" href="https://a.example">x</a></p>');
    const pasted = documentFromHtml('<p><a href="https://a.example" rel="opener" target="_blank">x</a></p>');
    expect(pasted.ok && renderDocument(pasted.doc).html).toBe('<p><a rel="noopener noreferrer nofollow" href="https://a.example">x</a></p>');
  });

  it("keeps attribute values the editor produces", () => {
    const v = validateDocument(
      doc(
        { type: "heading", attrs: { level: 4 }, content: [text("Small")] },
        { type: "orderedList", attrs: { start: 3, type: "a" }, content: [{ type: "listItem", content: [p(text("c"))] }] },
        { type: "codeBlock", attrs: { language: "typescript" }, content: [text("let x")] },
        { type: "table", content: [{ type: "tableRow", content: [{ type: "tableHeader", attrs: { colspan: 2, rowspan: 1, colwidth: [120, null] }, content: [p(text("c"))] }] }] },
      ),
    );
    expect(v).toMatchObject({ ok: true });
  });

  it("refuses a 5 MB document by its size before anything else", () => {
    const v = validateDocument(doc(p(text("a".repeat(5 * 1024 * 1024)))));
    expect(v).toMatchObject({ ok: false });
    if (!v.ok) expect(v.message).toMatch(/too long \(5120 KB\); the limit is 200 KB/);
  });

  it("refuses nesting deeper than the limit", () => {
    let node: JSONContent = p(text("deep"));
    for (let i = 0; i < 60; i++) node = { type: "blockquote", content: [node] };
    const v = validateDocument(doc(node));
    expect(v).toMatchObject({ ok: false });
    if (!v.ok) expect(v.message).toMatch(/nested more than 50 levels/);
  });
});

describe("building documents from imported text", () => {
  it("turns plain text into paragraphs and line breaks", () => {
    const d = documentFromPlainText("First line\nsecond line\n\nNew paragraph");
    expect(validateDocument(d).ok).toBe(true);
    expect(renderDocument(d).html).toBe("<p>First line<br>second line</p><p>New paragraph</p>");
  });

  it("renders plain text without a DOM exactly as the schema renderer does", () => {
    for (const t of ["One line", "First line\nsecond <b>line</b> & more\n\nNew paragraph", "  spaced  \n\n\n\nlast"]) {
      const fast = renderPlainText(t);
      expect(fast.html).toBe(renderDocument(documentFromPlainText(t)).html);
      expect(fast.text).toBe(renderDocument(documentFromPlainText(t)).text);
    }
  });

  it("keeps what the schema knows from HTML and drops scripts and handlers", () => {
    const v = documentFromHtml('<h2>Title</h2><p onclick="x()">Hi <a href="javascript:alert(1)">bad</a> <a href="https://ok.example">good</a></p><script>alert(1)</script>');
    expect(v.ok).toBe(true);
    if (!v.ok) return;
    const { html } = renderDocument(v.doc);
    expect(html).toContain("<h2>Title</h2>");
    expect(html).not.toContain("onclick");
    expect(html).not.toContain("javascript:");
    expect(html).not.toContain("<script");
    expect(html).toContain('href="https://ok.example"');
  });
});
