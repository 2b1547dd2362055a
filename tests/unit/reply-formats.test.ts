import { getSchema, type JSONContent } from "@tiptap/core";
import { Window } from "happy-dom";
import { marked } from "marked";
import { describe, expect, it } from "vitest";
import { hostileCorpus } from "../../bench/render-corpus";
import { DEMO_ANSWERS } from "../../db/demo/answers";
import { documentFromHtml, documentFromPlainText, validateDocument } from "../../app/editor/document.server";
import { extensions } from "../../app/editor/extensions";
import {
  channelReply,
  escapeHtml,
  SOCIAL_LIMIT,
  toMarkdown,
  toPhoneScript,
  toPlainText,
  toReplyHtml,
  type ReplyChannel,
  type ReplyInput,
} from "../../app/editor/reply-formats";
import { CHANNEL_OPTIONS } from "../../app/models/agent.schema";

// ─── Documents as plain JSON, as they are stored ──────────────────────────────────────────────

type Marks = JSONContent["marks"];
const text = (t: string, marks?: Marks): JSONContent => ({ type: "text", text: t, ...(marks ? { marks } : {}) });
const p = (...content: JSONContent[]): JSONContent => ({ type: "paragraph", ...(content.length ? { content } : {}) });
const doc = (...content: JSONContent[]): JSONContent => ({ type: "doc", content });
const li = (...content: JSONContent[]): JSONContent => ({ type: "listItem", content });
const ul = (...items: JSONContent[]): JSONContent => ({ type: "bulletList", content: items });
const ol = (start: number | null, ...items: JSONContent[]): JSONContent => ({ type: "orderedList", attrs: { start }, content: items });
const h = (level: number, t: string): JSONContent => ({ type: "heading", attrs: { level }, content: [text(t)] });
const row = (...cells: JSONContent[]): JSONContent => ({ type: "tableRow", content: cells });
const th = (t: string, attrs?: Record<string, unknown>): JSONContent => ({ type: "tableHeader", ...(attrs ? { attrs } : {}), content: [p(text(t))] });
const td = (t: string, attrs?: Record<string, unknown>): JSONContent => ({ type: "tableCell", ...(attrs ? { attrs } : {}), content: [p(text(t))] });
const table = (...rows: JSONContent[]): JSONContent => ({ type: "table", content: rows });
const link = (href: string) => ({ type: "link", attrs: { href } });
const BOLD = { type: "bold" };
const ITALIC = { type: "italic" };
const STRIKE = { type: "strike" };
const UNDERLINE = { type: "underline" };
const CODE = { type: "code" };
const BR: JSONContent = { type: "hardBreak" };

/** Every node and mark the editor's schema allows, once. */
const KITCHEN_SINK = doc(
  h(2, "Returns"),
  p(
    text("Open the "),
    text("returns portal", [link("https://returns.example.com/start")]),
    text(", then "),
    text("print", [BOLD]),
    text(" the "),
    text("label", [ITALIC]),
    text(", not the "),
    text("old form", [STRIKE]),
    text(". "),
    text("Keep", [UNDERLINE]),
    text(" code "),
    text("RMA-1", [CODE]),
    text("."),
    BR,
    text("Thank you."),
  ),
  ul(li(p(text("Pack the item"))), li(p(text("Seal it")), ul(li(p(text("use tape")))))),
  ol(3, li(p(text("Drop it off"))), li(p(text("Keep the receipt")))),
  { type: "blockquote", content: [p(text("We refund within 5 days."))] },
  h(3, "Fees"),
  { type: "codeBlock", attrs: { language: "text" }, content: [text("RMA-1\n  indented")] },
  { type: "horizontalRule" },
  table(row(th("Plan"), th("Window"), th("Fee")), row(td("Basic"), td("14 days"), td("€0")), row(td("Premium: 30 days, free", { colspan: 2 }), td("€0"))),
);

const KITCHEN_SINK_TEXT = `Returns

Open the returns portal (https://returns.example.com/start), then print the label, not the old form. Keep code RMA-1.
Thank you.

- Pack the item
- Seal it
  - use tape

3. Drop it off
4. Keep the receipt

> We refund within 5 days.

Fees

RMA-1
  indented

---

Plan     | Window      | Fee
---------+-------------+----
Basic    | 14 days     | €0
Premium: 30 days, free | €0`;

const KITCHEN_SINK_MARKDOWN = `## Returns

Open the [returns portal](https://returns.example.com/start), then **print** the *label*, not the ~~old form~~. Keep code \`RMA-1\`.\\
Thank you.

- Pack the item
- Seal it
  - use tape

3. Drop it off
4. Keep the receipt

> We refund within 5 days.

### Fees

\`\`\`text
RMA-1
  indented
\`\`\`

---

| Plan                   | Window  | Fee |
| ---------------------- | ------- | --- |
| Basic                  | 14 days | €0  |
| Premium: 30 days, free |         | €0  |`;

const KITCHEN_SINK_HTML = [
  "<h2>Returns</h2>",
  '<p>Open the <a href="https://returns.example.com/start" rel="noopener noreferrer">returns portal</a>, then <strong>print</strong> the <em>label</em>, not the <s>old form</s>. <u>Keep</u> code <code>RMA-1</code>.<br>Thank you.</p>',
  "<ul><li>Pack the item</li><li>Seal it<ul><li>use tape</li></ul></li></ul>",
  '<ol start="3"><li>Drop it off</li><li>Keep the receipt</li></ol>',
  "<blockquote><p>We refund within 5 days.</p></blockquote>",
  "<h3>Fees</h3>",
  "<pre><code>RMA-1\n  indented</code></pre>",
  "<hr>",
  "<table><thead><tr><th>Plan</th><th>Window</th><th>Fee</th></tr></thead>",
  '<tbody><tr><td>Basic</td><td>14 days</td><td>€0</td></tr><tr><td colspan="2">Premium: 30 days, free</td><td>€0</td></tr></tbody></table>',
].join("");

// ─── Checking outputs the way their readers will read them ────────────────────────────────────

const window = new Window({ settings: { disableJavaScriptEvaluation: true } });

/** HTML as a browser (or an email client) builds it. */
function parseHtml(html: string): HTMLElement {
  const wrap = window.document.createElement("div");
  wrap.innerHTML = html;
  return wrap as unknown as HTMLElement;
}

/** Markdown as a Markdown tool renders it: marked with GFM, as the importer uses it. */
const renderMarkdown = (markdown: string) => marked.parse(markdown, { async: false, gfm: true });

const ALLOWED: Record<string, string[]> = {
  p: [],
  br: [],
  strong: [],
  em: [],
  s: [],
  u: [],
  code: [],
  pre: [],
  a: ["href", "rel"],
  ul: [],
  ol: ["start"],
  li: [],
  blockquote: [],
  h1: [],
  h2: [],
  h3: [],
  h4: [],
  hr: [],
  table: [],
  thead: [],
  tbody: [],
  tr: [],
  th: ["colspan", "rowspan"],
  td: ["colspan", "rowspan"],
};

/** Every element and attribute of the reply HTML is on the allow-list; links are http(s), mailto or tel. */
function expectAllowListed(html: string) {
  for (const element of parseHtml(html).querySelectorAll("*")) {
    const tag = element.tagName.toLowerCase();
    expect(Object.keys(ALLOWED), `<${tag}>`).toContain(tag);
    for (const { name } of Array.from(element.attributes)) expect(ALLOWED[tag], `${tag}[${name}]`).toContain(name);
    if (tag === "a") {
      expect(element.getAttribute("href")).toMatch(/^(https?:\/\/|mailto:|tel:)/i);
      expect(element.getAttribute("rel")).toBe("noopener noreferrer");
    }
  }
}

function typesIn(node: JSONContent, nodes = new Set<string>(), marks = new Set<string>()) {
  if (node.type) nodes.add(node.type);
  for (const mark of node.marks ?? []) marks.add(mark.type);
  for (const child of node.content ?? []) typesIn(child, nodes, marks);
  return { nodes, marks };
}

const hrefsIn = (node: JSONContent): string[] => [
  ...(node.marks ?? []).flatMap((m) => (m.type === "link" && typeof m.attrs?.href === "string" ? [m.attrs.href as string] : [])),
  ...(node.content ?? []).flatMap(hrefsIn),
];

const plainOf = (node: JSONContent): string => (node.type === "text" ? (node.text ?? "") : (node.content ?? []).map(plainOf).join(""));
const unescapeMarkdown = (s: string) => s.replace(/\\([!-/:-@[-`{-~])/g, "$1");
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Each list item's first line of text, with the marker the plain text must give it. */
function listItemsIn(node: JSONContent): { marker: string; text: string }[] {
  const found: { marker: string; text: string }[] = [];
  if (node.type === "bulletList" || node.type === "orderedList") {
    const start = typeof node.attrs?.start === "number" ? (node.attrs.start as number) : 1;
    (node.content ?? []).forEach((item, i) => {
      const first = item.content?.[0];
      if (first?.type === "paragraph") found.push({ marker: node.type === "bulletList" ? "- " : `${start + i}. `, text: plainOf(first) });
    });
  }
  for (const child of node.content ?? []) found.push(...listItemsIn(child));
  return found;
}

/**
 * What "Copy full answer" lost and must not lose any more: every link address is in the plain
 * text, the Markdown and the HTML, and every list item appears with its bullet or number.
 * Returns how much it checked, so a test can tell a vacuous pass from a real one.
 */
function expectFaithful(answer: JSONContent): { links: number; items: number; paragraphs: number } {
  const plain = toPlainText(answer);
  const markdown = toMarkdown(answer);
  const html = toReplyHtml(answer);
  const hrefs = hrefsIn(answer);
  for (const href of hrefs) {
    expect(plain).toContain(href.replace(/^(mailto|tel):/, "").split("?")[0]);
    expect(markdown).toContain(href);
    expect(html).toContain(`href="${escapeHtml(href)}"`);
  }
  const items = listItemsIn(answer);
  for (const { marker, text: itemText } of items) {
    expect(plain).toMatch(new RegExp(`^ *${escapeRegExp(marker)}${escapeRegExp(itemText)}`, "m"));
    const mdLine = markdown.split("\n").find((l) => l.trimStart().startsWith(marker) && unescapeMarkdown(l.trimStart().slice(marker.length)).startsWith(itemText));
    expect(mdLine, `${marker}${itemText} in Markdown`).toBeDefined();
    expect(html).toContain(`<li>${escapeHtml(itemText)}`);
  }
  const paragraphs = (answer.content ?? []).filter((n) => n.type === "paragraph" && !hrefsIn(n).length).map(plainOf);
  for (const paragraph of paragraphs) {
    expect(plain).toContain(paragraph);
    expect(html).toContain(escapeHtml(paragraph));
    expect(parseHtml(renderMarkdown(markdown)).textContent).toContain(paragraph);
  }
  expectAllowListed(html);
  return { links: hrefs.length, items: items.length, paragraphs: paragraphs.length };
}

// ─── The tests ────────────────────────────────────────────────────────────────────────────────

describe("every node and mark of the editor", () => {
  const schema = getSchema(extensions);

  it("are all in the kitchen-sink answer, which the editor's validator accepts", () => {
    const { nodes, marks } = typesIn(KITCHEN_SINK);
    // A node or mark added to the editor fails here until this module renders it.
    expect([...nodes].sort()).toEqual(Object.keys(schema.nodes).sort());
    expect([...marks].sort()).toEqual(Object.keys(schema.marks).sort());
    expect(validateDocument(KITCHEN_SINK).ok).toBe(true);
  });

  it("become faithful plain text", () => {
    expect(toPlainText(KITCHEN_SINK)).toBe(KITCHEN_SINK_TEXT);
  });

  it("become Markdown that a GFM renderer reads back as the same structure", () => {
    const markdown = toMarkdown(KITCHEN_SINK);
    expect(markdown).toBe(KITCHEN_SINK_MARKDOWN);
    const rendered = parseHtml(renderMarkdown(markdown));
    expect(rendered.querySelector("h2")?.textContent).toBe("Returns");
    expect(rendered.querySelector("h3")?.textContent).toBe("Fees");
    expect(rendered.querySelector("a")?.getAttribute("href")).toBe("https://returns.example.com/start");
    expect(rendered.querySelector("strong")?.textContent).toBe("print");
    expect(rendered.querySelector("em")?.textContent).toBe("label");
    expect(rendered.querySelector("del")?.textContent).toBe("old form");
    expect(rendered.querySelector("p code")?.textContent).toBe("RMA-1");
    expect(rendered.querySelector("br")).not.toBeNull();
    expect(rendered.querySelector("ul ul li")?.textContent).toBe("use tape");
    expect(rendered.querySelector("ol")?.getAttribute("start")).toBe("3");
    expect(rendered.querySelector("blockquote")?.textContent?.trim()).toBe("We refund within 5 days.");
    expect(rendered.querySelector("pre code")?.textContent).toBe("RMA-1\n  indented\n");
    expect(rendered.querySelector("hr")).not.toBeNull();
    expect(Array.from(rendered.querySelectorAll("th")).map((c) => c.textContent)).toEqual(["Plan", "Window", "Fee"]);
    expect(Array.from(rendered.querySelectorAll("tbody td")).map((c) => c.textContent)).toEqual(["Basic", "14 days", "€0", "Premium: 30 days, free", "", "€0"]);
  });

  it("become allow-listed HTML", () => {
    const html = toReplyHtml(KITCHEN_SINK);
    expect(html).toBe(KITCHEN_SINK_HTML);
    expectAllowListed(html);
  });

  it("survive a trip through Markdown and the importer (marked, then the editor's schema)", () => {
    // The kitchen sink without what Markdown cannot say: underline and merged cells.
    const answer = doc(
      ...(KITCHEN_SINK.content ?? []).filter((n) => n.type !== "table"),
      table(row(th("Plan"), th("Fee")), row(td("Basic"), td("€0"))),
    );
    const underlineFree = JSON.parse(JSON.stringify(answer).replace(/\{"type":"underline"\}/g, "")) as JSONContent;
    const back = documentFromHtml(renderMarkdown(toMarkdown(underlineFree)));
    expect(back.ok).toBe(true);
    if (back.ok) expect(toPlainText(back.doc)).toBe(toPlainText(underlineFree));
  });

  it("headings of every level the schema offers, and the HTML keeps to h1–h4", () => {
    const headings = doc(h(1, "One"), h(2, "Two"), h(3, "Three"), h(4, "Four"), h(6, "Six"));
    expect(toPlainText(headings)).toBe("One\n\nTwo\n\nThree\n\nFour\n\nSix");
    expect(toMarkdown(headings)).toBe("# One\n\n## Two\n\n### Three\n\n#### Four\n\n#### Six");
    expect(toReplyHtml(headings)).toBe("<h1>One</h1><h2>Two</h2><h3>Three</h3><h4>Four</h4><h4>Six</h4>");
  });

  it("keep the text of what they do not know, without its formatting", () => {
    const odd = doc({ type: "callout", content: [p(text("Heads up", [{ type: "highlight" }]))] }, { type: "mention", content: [text("@kim")] });
    expect(toPlainText(odd)).toBe("Heads up\n\n@kim");
    expect(toMarkdown(odd)).toBe("Heads up\n\n@kim");
    expect(toReplyHtml(odd)).toBe("<p>Heads up</p><p>@kim</p>");
  });

  it("drop empty paragraphs and never leave two blank lines or trailing spaces", () => {
    const sparse = doc(p(), p(text("a   ")), p(), p(), p(text("b"), BR, BR), { type: "codeBlock", content: [text("x  \n\n\n\ny")] });
    expect(toPlainText(sparse)).toBe("a\n\nb\n\nx\n\ny");
    expect(toReplyHtml(sparse)).toBe("<p>a   </p><p>b</p><pre><code>x  \n\n\n\ny</code></pre>");
  });
});

describe("links", () => {
  const linked = (t: string, href: string) => doc(p(text(t, [link(href)])));

  it.each([
    ["returns portal", "https://returns.example.com/start", "returns portal (https://returns.example.com/start)"],
    ["https://example.com/returns", "https://example.com/returns", "https://example.com/returns"],
    ["example.com/returns", "https://example.com/returns", "example.com/returns"],
    ["www.example.com", "https://www.example.com/", "www.example.com"],
    ["example.com", "http://example.com", "example.com"],
    ["help@example.com", "mailto:help@example.com", "help@example.com"],
    ["Email us", "mailto:help@example.com?subject=Refund", "Email us (help@example.com)"],
    ["+44 20 7946 0000", "tel:+442079460000", "+44 20 7946 0000"],
    ["Call us", "tel:+442079460000", "Call us (+442079460000)"],
  ])("%s → %s keeps its address once in plain text, and in Markdown and HTML", (t, href, plain) => {
    const answer = linked(t, href);
    expect(validateDocument(answer).ok).toBe(true);
    expect(toPlainText(answer)).toBe(plain);
    expect(toMarkdown(answer)).toBe(`[${t}](${href})`);
    expect(toReplyHtml(answer)).toBe(`<p><a href="${escapeHtml(href)}" rel="noopener noreferrer">${t}</a></p>`);
  });

  it("one address for a link whose words carry several formats", () => {
    const answer = doc(p(text("the "), text("returns", [link("https://x.example/r"), BOLD]), text(" portal", [link("https://x.example/r")]), text(" today")));
    expect(toPlainText(answer)).toBe("the returns portal (https://x.example/r) today");
    expect(toMarkdown(answer)).toBe("the [**returns** portal](https://x.example/r) today");
    expect(toReplyHtml(answer)).toBe('<p>the <a href="https://x.example/r" rel="noopener noreferrer"><strong>returns</strong> portal</a> today</p>');
  });

  it.each(["javascript:alert(1)", "JavaScript:alert(1)", "java\nscript:alert(1)", "data:text/html,<script>alert(1)</script>", "vbscript:x", "//evil.example/x", "ftp://files.example"])(
    "drops the unsafe or unusable address %j and keeps the words",
    (href) => {
      const answer = linked("click here", href);
      expect(toPlainText(answer)).toBe("click here");
      expect(toMarkdown(answer)).toBe("click here");
      expect(toReplyHtml(answer)).toBe("<p>click here</p>");
    },
  );

  it("resolves relative links against baseUrl, and without one keeps only their words", () => {
    const answer = linked("the fees", "/answers/12#fees");
    expect(toPlainText(answer)).toBe("the fees");
    expect(toReplyHtml(answer)).toBe("<p>the fees</p>");
    const options = { baseUrl: "https://help.example.com/faq/" };
    expect(toPlainText(answer, options)).toBe("the fees (https://help.example.com/answers/12#fees)");
    expect(toMarkdown(answer, options)).toBe("[the fees](https://help.example.com/answers/12#fees)");
    expect(toReplyHtml(answer, options)).toBe('<p><a href="https://help.example.com/answers/12#fees" rel="noopener noreferrer">the fees</a></p>');
  });

  it("writes addresses with brackets or spaces so Markdown keeps them whole", () => {
    const answer = linked("Foo", "https://en.example.org/wiki/Foo_(bar)");
    expect(toMarkdown(answer)).toBe("[Foo](<https://en.example.org/wiki/Foo_(bar)>)");
    expect(parseHtml(renderMarkdown(toMarkdown(answer))).querySelector("a")?.getAttribute("href")).toBe("https://en.example.org/wiki/Foo_(bar)");
  });
});

describe("lists", () => {
  const nested = doc(
    ol(
      7,
      li(p(text("Pack the item")), ul(li(p(text("box"))), li(p(text("tape")), ol(null, li(p(text("strip one"))), li(p(text("strip two"))))))),
      li(p(text("Print the label")), p(text("Stick it on top."))),
      li(p(text("Line one"), BR, text("line two"))),
    ),
  );

  it("bullets as '- ', numbers from `start`, two spaces per nesting level in plain text", () => {
    expect(toPlainText(nested)).toBe(
      [
        "7. Pack the item",
        "  - box",
        "  - tape",
        "    1. strip one",
        "    2. strip two",
        "8. Print the label",
        "   Stick it on top.",
        "9. Line one",
        "   line two",
      ].join("\n"),
    );
  });

  it("Markdown that renders the same nesting and numbers", () => {
    const markdown = toMarkdown(nested);
    expect(markdown).toBe(
      [
        "7. Pack the item",
        "   - box",
        "   - tape",
        "     1. strip one",
        "     2. strip two",
        "8. Print the label",
        "",
        "   Stick it on top.",
        "9. Line one\\",
        "   line two",
      ].join("\n"),
    );
    const rendered = parseHtml(renderMarkdown(markdown));
    expect(rendered.querySelector("ol")?.getAttribute("start")).toBe("7");
    expect(rendered.querySelectorAll(":scope > ol > li")).toHaveLength(3);
    expect(Array.from(rendered.querySelectorAll("ol > li > ul > li > ol > li")).map((l) => l.textContent?.trim())).toEqual(["strip one", "strip two"]);
  });

  it("HTML with start only where it is not 1", () => {
    expect(toReplyHtml(nested)).toBe(
      '<ol start="7"><li>Pack the item<ul><li>box</li><li>tape<ol><li>strip one</li><li>strip two</li></ol></li></ul></li>' +
        "<li>Print the label<p>Stick it on top.</p></li><li>Line one<br>line two</li></ol>",
    );
  });

  it("two lists of one kind in a row stay two lists in Markdown", () => {
    const twice = doc(ul(li(p(text("a")))), ul(li(p(text("b")))), ol(1, li(p(text("c")))), ol(1, li(p(text("d")))));
    const markdown = toMarkdown(twice);
    expect(markdown).toBe("- a\n\n* b\n\n1. c\n\n1) d");
    const rendered = parseHtml(renderMarkdown(markdown));
    expect(rendered.querySelectorAll("ul")).toHaveLength(2);
    expect(rendered.querySelectorAll("ol")).toHaveLength(2);
  });

  it("empty items keep their marker", () => {
    const empty = doc(ul(li(p()), li(p(text("x")))));
    expect(toPlainText(empty)).toBe("-\n- x");
    expect(toReplyHtml(empty)).toBe("<ul><li></li><li>x</li></ul>");
  });
});

describe("tables", () => {
  const spans = doc(
    table(
      row(th("Plan"), th("Window"), th("Fee", { align: "right" })),
      row(td("Basic"), td("14 days"), td("€0", { align: "right" })),
      row(td("Premium and Business plans", { colspan: 2 }), td("€5", { rowspan: 2 })),
      row(td("Trial"), td("none")),
    ),
  );

  it("plain text: padded columns, a --- line under the header, merged cells spread over their columns", () => {
    expect(validateDocument(spans).ok).toBe(true);
    expect(toPlainText(spans)).toBe(
      [
        "Plan       | Window        | Fee",
        "-----------+---------------+----",
        "Basic      | 14 days       |  €0",
        "Premium and Business plans | €5",
        "Trial      | none          |",
      ].join("\n"),
    );
  });

  it("Markdown: a GFM table, merged cells in their first slot, alignment kept", () => {
    const markdown = toMarkdown(spans);
    expect(markdown).toBe(
      [
        "| Plan                       | Window  | Fee |",
        "| -------------------------- | ------- | --: |",
        "| Basic                      | 14 days | €0  |",
        "| Premium and Business plans |         | €5  |",
        "| Trial                      | none    |     |",
      ].join("\n"),
    );
    const rendered = parseHtml(renderMarkdown(markdown));
    expect(rendered.querySelectorAll("tbody tr")).toHaveLength(3);
  });

  it("HTML: thead for the header row, colspan and rowspan kept", () => {
    const html = toReplyHtml(spans);
    expect(html).toBe(
      "<table><thead><tr><th>Plan</th><th>Window</th><th>Fee</th></tr></thead><tbody>" +
        "<tr><td>Basic</td><td>14 days</td><td>€0</td></tr>" +
        '<tr><td colspan="2">Premium and Business plans</td><td rowspan="2">€5</td></tr>' +
        "<tr><td>Trial</td><td>none</td></tr></tbody></table>",
    );
    expectAllowListed(html);
  });

  it("no separator line without a header row", () => {
    const plain = doc(table(row(td("a"), td("b")), row(td("cc"), td("d"))));
    expect(toPlainText(plain)).toBe("a   | b\ncc  | d");
    expect(toReplyHtml(plain)).toBe("<table><tbody><tr><td>a</td><td>b</td></tr><tr><td>cc</td><td>d</td></tr></tbody></table>");
  });

  it("escapes | * _ in Markdown cells, inside code too, and a GFM renderer gives the text back", () => {
    const special = doc(table(row(th("Key"), th("Value")), row(td("a|b *c* _d_"), { type: "tableCell", content: [p(text("x|y", [CODE]))] })));
    const markdown = toMarkdown(special);
    expect(markdown).toContain("| a\\|b \\*c\\* \\_d\\_ | `x\\|y`");
    const cells = parseHtml(renderMarkdown(markdown)).querySelectorAll("tbody td");
    expect(Array.from(cells).map((c) => c.textContent)).toEqual(["a|b *c* _d_", "x|y"]);
  });

  it("renders the span bomb and the largest tables of the hostile corpus quickly", () => {
    const started = performance.now();
    for (const { doc: hostile } of hostileCorpus()) {
      toPlainText(hostile);
      toMarkdown(hostile);
      toReplyHtml(hostile);
      toPhoneScript(hostile);
    }
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});

describe("escaping", () => {
  it("HTML: <, &, \" and ' in text and in addresses", () => {
    const answer = doc(p(text(`<script>alert("x")</script> & 'y' `), text("go", [link('https://a.example/?q="><img src=x onerror=alert(1)>&b=1')])));
    const html = toReplyHtml(answer);
    expect(html).toBe(
      "<p>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39; " +
        '<a href="https://a.example/?q=&quot;&gt;&lt;img src=x onerror=alert(1)&gt;&amp;b=1" rel="noopener noreferrer">go</a></p>',
    );
    expectAllowListed(html);
    expect(parseHtml(html).querySelector("a")?.getAttribute("href")).toBe('https://a.example/?q="><img src=x onerror=alert(1)>&b=1');
  });

  it("Markdown: specials in text are escaped and render as the same text", () => {
    const tricky = [
      "*stars* and _underscores_ and snake_case",
      "[not a link](x) and ![no image](y)",
      "<b>not bold</b> & &amp; stays literal",
      "`ticks` ~~not struck~~ back\\slash | pipe",
      "# not a heading",
      "- not a list",
      "+ not a list",
      "1. not a list",
      "2) not a list",
      "> not a quote",
      "=== not an underline",
    ];
    const answer = doc(...tricky.map((t) => p(text(t))), p(text("line"), BR, text("---"), BR, text("# still text")));
    const markdown = toMarkdown(answer);
    const rendered = parseHtml(renderMarkdown(markdown));
    expect(rendered.querySelectorAll("h1, h2, ul, ol, blockquote, strong, em, del, a, img, b, code, hr")).toHaveLength(0);
    // textContent leaves the two <br> out.
    expect(Array.from(rendered.querySelectorAll("p")).map((e) => e.textContent)).toEqual([...tricky, "line---# still text"]);
    expect(rendered.querySelectorAll("p:last-child br")).toHaveLength(2);
  });

  it("Markdown: addresses typed as text are left unescaped, so GFM makes working links of them", () => {
    const answer = doc(p(text("See https://example.com/my_page_2 or www.example.com/a_b, not my_page.")));
    const markdown = toMarkdown(answer);
    expect(markdown).toBe("See https://example.com/my_page_2 or www.example.com/a_b, not my\\_page.");
    const links = Array.from(parseHtml(renderMarkdown(markdown)).querySelectorAll("a")).map((a) => a.getAttribute("href"));
    expect(links).toEqual(["https://example.com/my_page_2", "http://www.example.com/a_b"]);
  });

  it("Markdown: formatting around spaces and backticks in code", () => {
    const answer = doc(p(text("a"), text(" bold ", [BOLD]), text("b "), text("`x`", [CODE]), text(" "), text("", [CODE])));
    const markdown = toMarkdown(answer);
    expect(markdown).toBe("a **bold** b `` `x` ``");
    const rendered = parseHtml(renderMarkdown(markdown));
    expect(rendered.querySelector("strong")?.textContent).toBe("bold");
    expect(rendered.querySelector("code")?.textContent).toBe("`x`");
  });

  it("plain text is not escaped at all", () => {
    expect(toPlainText(doc(p(text(`<b> & "q" *x*`))))).toBe(`<b> & "q" *x*`);
  });
});

describe("channel replies", () => {
  const body = doc(
    p(text("Start the return in the "), text("returns portal", [link("https://returns.example.com/start")]), text(" or see https://www.example.com/help/returns.")),
    ol(1, li(p(text("Pack the item"))), li(p(text("Print the label at "), text("returns.example.com/label", [link("https://returns.example.com/label")])))),
    table(row(th("Plan"), th("Window")), row(td("Basic"), td("14 days")), row(td("Premium"), td("30 days"))),
  );
  const input = (over: Partial<ReplyInput> = {}): ReplyInput => ({
    question: "How do I return an item?",
    shortAnswer: "Start a return in the returns portal within 30 days.",
    body,
    faqUrl: "https://help.example.com/faq/returns",
    signOff: "Best regards,\nAnna <Support & Care>",
    ...over,
  });
  // 45 words, about 400 characters.
  const longAnswer = Array.from({ length: 45 }, (_, i) => `word${i}-abcd`).join(" ");

  it("covers every channel the search page offers", () => {
    const channels: readonly ReplyChannel[] = CHANNEL_OPTIONS;
    for (const channel of channels) {
      const reply = channelReply(channel, input());
      expect(reply.text.length).toBeGreaterThan(0);
      expectAllowListed(reply.html);
    }
  });

  it("social: the short answer and the FAQ link", () => {
    const reply = channelReply("social", input());
    expect(reply.text).toBe("Start a return in the returns portal within 30 days. https://help.example.com/faq/returns");
    expect(reply.html).toBe(
      '<p>Start a return in the returns portal within 30 days. <a href="https://help.example.com/faq/returns" rel="noopener noreferrer">https://help.example.com/faq/returns</a></p>',
    );
  });

  it("social: a long answer is cut at a word boundary with … so that it and the link fit in 280", () => {
    const faqUrl = "https://help.example.com/faq/returns";
    const reply = channelReply("social", input({ shortAnswer: longAnswer, faqUrl }));
    expect(reply.text.length).toBeLessThanOrEqual(SOCIAL_LIMIT);
    expect(reply.text.length).toBeGreaterThan(SOCIAL_LIMIT - 15);
    expect(reply.text.endsWith(`… ${faqUrl}`)).toBe(true);
    const words = reply.text.slice(0, reply.text.length - faqUrl.length - 2);
    expect(longAnswer.startsWith(words)).toBe(true);
    expect(longAnswer[words.length]).toBe(" ");
  });

  it("social: without a FAQ link (an internal answer) the answer alone gets the 280", () => {
    const reply = channelReply("social", input({ shortAnswer: longAnswer, faqUrl: null }));
    expect(reply.text.length).toBeLessThanOrEqual(SOCIAL_LIMIT);
    expect(reply.text.length).toBeGreaterThan(SOCIAL_LIMIT - 15);
    expect(reply.text).toMatch(/\d-abcd…$/);
    expect(reply.text).not.toContain("http");
    expect(reply.html).not.toContain("<a");
  });

  it("social: exactly 280 characters with the link is left whole; one more is cut", () => {
    const faqUrl = "https://help.example.com/f";
    const fits = `${"a".repeat(100)} ${"b".repeat(SOCIAL_LIMIT - faqUrl.length - 1 - 101)}`;
    expect(channelReply("social", input({ shortAnswer: fits, faqUrl })).text).toBe(`${fits} ${faqUrl}`);
    expect(channelReply("social", input({ shortAnswer: `${fits}b`, faqUrl })).text).toBe(`${"a".repeat(100)}… ${faqUrl}`);
  });

  it("social: one endless word is cut mid-word, never inside an emoji", () => {
    const reply = channelReply("social", input({ shortAnswer: "😀".repeat(300), faqUrl: null }));
    expect(reply.text.length).toBeLessThanOrEqual(SOCIAL_LIMIT);
    expect(reply.text).toMatch(/^(😀)+…$/u);
  });

  it("social: a FAQ link that is not a web address is left out", () => {
    expect(channelReply("social", input({ faqUrl: "javascript:alert(1)" })).text).toBe("Start a return in the returns portal within 30 days.");
  });

  it("chat: the short answer, a blank line, the full answer", () => {
    const reply = channelReply("chat", input());
    expect(reply.text).toBe(`Start a return in the returns portal within 30 days.\n\n${toPlainText(body)}`);
    expect(reply.html).toBe(`<p>Start a return in the returns portal within 30 days.</p>${toReplyHtml(body)}`);
  });

  it("email: the full answer, a blank line, the sign-off (escaped in HTML)", () => {
    const reply = channelReply("email", input());
    expect(reply.text).toBe(`${toPlainText(body)}\n\nBest regards,\nAnna <Support & Care>`);
    expect(reply.html).toBe(`${toReplyHtml(body)}<p>Best regards,<br>Anna &lt;Support &amp; Care&gt;</p>`);
    expect(channelReply("email", input({ signOff: null }))).toEqual({ text: toPlainText(body), html: toReplyHtml(body) });
  });

  it("phone: a script to read aloud, with no address spelled out", () => {
    const reply = channelReply("phone", input({ shortAnswer: "Use the returns portal at https://returns.example.com/start." }));
    expect(reply.text).toBe(
      [
        "Use the returns portal at returns.example.com.",
        "",
        "Start the return in the returns portal or see example.com.",
        "",
        "First, Pack the item",
        "Second, Print the label at returns.example.com",
        "",
        "Plan: Basic, Window: 14 days.",
        "Plan: Premium, Window: 30 days.",
      ].join("\n"),
    );
    expect(reply.text).not.toMatch(/https?:|www\.|\/label/);
    expect(reply.html).toBe(
      "<p>Use the returns portal at returns.example.com.</p><p>Start the return in the returns portal or see example.com.</p>" +
        "<p>First, Pack the item<br>Second, Print the label at returns.example.com</p><p>Plan: Basic, Window: 14 days.<br>Plan: Premium, Window: 30 days.</p>",
    );
  });

  it("phone: the kitchen sink reads without markup or addresses", () => {
    const script = toPhoneScript(KITCHEN_SINK);
    expect(script).not.toMatch(/https?:|>|\||---/);
    expect(script).toContain("Open the returns portal, then print the label");
    expect(script).toContain("Third, Drop it off\nFourth, Keep the receipt");
    expect(script).toContain("Plan: Basic, Window: 14 days, Fee: €0.\nPlan and Window: Premium: 30 days, free, Fee: €0.");
  });
});

describe("the demo answers", () => {
  // The seed stores each demo body from its HTML or its plain paragraphs; the same here, without a database.
  const demo = DEMO_ANSWERS.map((a) => {
    if (!a.bodyHtml) return { ...a, doc: documentFromPlainText(a.body) };
    const parsed = documentFromHtml(a.bodyHtml);
    if (!parsed.ok) throw new Error(parsed.message);
    return { ...a, doc: parsed.doc };
  });

  it.each(demo.map((a) => [a.key, a] as const))("%s: links, list items and paragraphs survive every format", (_key, answer) => {
    expect(validateDocument(answer.doc).ok).toBe(true);
    const checked = expectFaithful(answer.doc);
    expect(checked.paragraphs + checked.links + checked.items).toBeGreaterThan(0);
  });

  it.each(demo.map((a) => [a.key, a] as const))("%s: every channel's reply fits its channel", (_key, answer) => {
    const reply = (channel: ReplyChannel) =>
      channelReply(channel, {
        question: answer.question,
        shortAnswer: answer.shortAnswer,
        body: answer.doc,
        faqUrl: answer.audience === "public" ? `https://help.example.com/faq/${answer.key}` : null,
        signOff: "Kind regards, Vetted support",
      });
    expect(reply("social").text.length).toBeLessThanOrEqual(SOCIAL_LIMIT);
    expect(reply("chat").text.startsWith(answer.shortAnswer)).toBe(true);
    expect(reply("email").text.endsWith("Kind regards, Vetted support")).toBe(true);
    expect(reply("phone").text).not.toMatch(/https?:|www\./);
  });

  it("the returns answer keeps its portal address, its numbered steps and its bullets", () => {
    const returns = demo.find((a) => a.key === "return-item")!;
    expect(expectFaithful(returns.doc)).toMatchObject({ links: 3, items: 5 });
    const text = toPlainText(returns.doc);
    expect(text).toContain("returns portal (https://returns.example.com/start)");
    expect(text).toContain("1. Enter your order number and email address.\n2. Choose the items");
    expect(text).toContain("- all accessories and manuals,");
    expect(toReplyHtml(returns.doc)).toContain('<a href="https://returns.example.com/start" rel="noopener noreferrer">returns portal</a>');
    expect(toMarkdown(returns.doc)).toContain("[returns portal](https://returns.example.com/start)");
  });

  it("the carriers answer keeps its table as aligned columns, a pipe table and an HTML table", () => {
    const carriers = demo.find((a) => a.key === "carrier-times")!;
    const lines = toPlainText(carriers.doc).split("\n");
    const header = lines.find((l) => l.startsWith("Country"))!;
    const row = lines.find((l) => l.startsWith("Germany"))!;
    expect(header.indexOf("Carrier")).toBe(row.indexOf("DHL"));
    expect(toMarkdown(carriers.doc)).toMatch(/\| Country +\| Carrier +\| Working days +\|/);
    expect(toReplyHtml(carriers.doc)).toContain("<td>United Kingdom, Switzerland</td><td>UPS</td>");
  });

  it("the checker itself finds links and list items where there are some", () => {
    // Most demo bodies are plain paragraphs; this keeps the check above from passing vacuously.
    expect(expectFaithful(KITCHEN_SINK)).toEqual({ links: 1, items: 5, paragraphs: 0 });
    expect(
      expectFaithful(
        doc(
          p(text("Mail "), text("help@example.com", [link("mailto:help@example.com")]), text(" or call "), text("us", [link("tel:+442079460000")])),
          ol(2, li(p(text("a_b & <c>"))), li(p(text("d")))),
        ),
      ),
    ).toEqual({ links: 2, items: 2, paragraphs: 0 });
  });
});
