import { getSchema, type JSONContent } from "@tiptap/core";
import { DOMSerializer, Node } from "@tiptap/pm/model";
import { EditorState } from "@tiptap/pm/state";
import { Window } from "happy-dom";
import { describe, expect, it } from "vitest";
import { hostileCorpus } from "../../bench/render-corpus";
import { documentFromHtml, renderDocument, validateDocument } from "../../app/editor/document.server";
import { extensions, LINK_REL, TABLE_LIMITS, tableLimitsPlugin } from "../../app/editor/extensions";

const schema = getSchema(extensions);
const p = (...content: JSONContent[]): JSONContent => ({ type: "paragraph", ...(content.length ? { content } : {}) });
const text = (t: string, marks?: JSONContent["marks"]): JSONContent => ({ type: "text", text: t, ...(marks ? { marks } : {}) });
const doc = (...content: JSONContent[]): JSONContent => ({ type: "doc", content });
const cell = (colspan = 1, rowspan = 1): JSONContent => ({ type: "tableCell", ...(colspan !== 1 || rowspan !== 1 ? { attrs: { colspan, rowspan } } : {}), content: [p()] });
const table = (rows: JSONContent[][]): JSONContent => ({ type: "table", content: rows.map((content) => ({ type: "tableRow", content })) });

describe("table limits (the span bomb)", () => {
  it("refuses the span bomb as found: 40 × 40 cells spanning 1,000 rows and columns", () => {
    const bomb = doc(table(Array.from({ length: 40 }, () => Array.from({ length: 40 }, () => cell(1000, 1000)))));
    const v = validateDocument(bomb);
    expect(v).toEqual({ ok: false, message: `A table cell spans 1000 columns; the limit is ${TABLE_LIMITS.span}.` });
  });

  it.each([
    ["a rowspan over the limit", doc(table([[cell(1, 21)]])), /spans 21 rows; the limit is 20/],
    ["101 rows", doc(table(Array.from({ length: 101 }, () => [cell()]))), /101 rows; the limit is 100/],
    ["31 columns", doc(table([Array.from({ length: 31 }, () => cell())])), /wider than 30 columns/],
    // 20 + 11: each span is allowed, the row is not.
    ["spans adding up past the width", doc(table([[cell(20), cell(11)]])), /wider than 30 columns/],
    // A rowspan from the row above pushes the second row's cells to the right.
    ["a rowspan pushing a row past the width", doc(table([[cell(10, 2), cell(20)], [cell(21 - 1), cell(1)]])), /wider than 30 columns/],
    ["4 full tables (12,000 cells)", doc(...Array.from({ length: 4 }, () => table(Array.from({ length: 100 }, () => [cell(15), cell(15)])))), /more than 10,000 cells in all/],
  ])("refuses %s with a message naming the limit", (_name, input, message) => {
    const v = validateDocument(input);
    expect(v).toMatchObject({ ok: false });
    if (!v.ok) expect(v.message).toMatch(message);
  });

  it("accepts tables at the limits", () => {
    expect(validateDocument(doc(table([[cell(20, 20), cell(10, 20)], ...Array.from({ length: 99 }, () => [])]))).ok).toBe(true);
    expect(validateDocument(doc(table(Array.from({ length: 100 }, () => Array.from({ length: 30 }, () => cell())))))).toMatchObject({ ok: true });
  });

  it("labels every document of the benchmark's hostile corpus right", () => {
    for (const { name, doc: d, accepted } of hostileCorpus()) expect([name, validateDocument(d).ok]).toEqual([name, accepted]);
  });

  it("clamps spans in pasted or imported HTML to the limit", () => {
    const v = documentFromHtml('<table><tr><td colspan="1000" rowspan="999">x</td></tr></table>');
    expect(v.ok).toBe(true);
    if (!v.ok) return;
    const attrs = v.doc.content![0]!.content![0]!.content![0]!.attrs!;
    expect([attrs.colspan, attrs.rowspan]).toEqual([20, 20]);
  });

  it("the editor refuses a change that takes a table past the limits, and allows one within", () => {
    const rows = (n: number) => Node.fromJSON(schema, doc(table(Array.from({ length: n }, () => [cell()]))));
    const state = EditorState.create({ schema, doc: rows(100), plugins: [tableLimitsPlugin()] });
    const tableNode = state.doc.firstChild!;
    const extraRow = schema.nodes.tableRow!.create(null, schema.nodes.tableCell!.create(null, schema.nodes.paragraph!.create()));
    const grown = state.applyTransaction(state.tr.insert(tableNode.nodeSize - 1, extraRow));
    expect(grown.state.doc.firstChild!.childCount).toBe(100); // the 101st row did not happen
    const edited = state.applyTransaction(state.tr.insertText("ok", 4));
    expect(edited.state.doc.textContent).toBe("ok");
    // A document already over the limits (stored before them) can still be edited.
    const legacy = EditorState.create({ schema, doc: rows(101), plugins: [tableLimitsPlugin()] });
    expect(legacy.applyTransaction(legacy.tr.insertText("x", 4)).state.doc.textContent).toBe("x");
  });
});

describe("the string renderer", () => {
  const window = new Window({ settings: { disableJavaScriptEvaluation: true } });
  const document = window.document as unknown as Document;
  const domSerializer = DOMSerializer.fromSchema(schema);
  /** What renderDocument did before: DOMSerializer into happy-dom. */
  const viaDom = (d: JSONContent) => {
    const wrap = document.createElement("div");
    domSerializer.serializeFragment(Node.fromJSON(schema, d).content, { document }, wrap);
    for (const a of wrap.querySelectorAll("a")) {
      a.setAttribute("rel", LINK_REL);
      a.removeAttribute("target");
    }
    return wrap.innerHTML;
  };
  /** The DOM a browser builds from the HTML, written out again (escaping choices aside). */
  const parsed = (html: string) => {
    const wrap = document.createElement("div");
    wrap.innerHTML = html;
    return wrap.innerHTML;
  };

  it("gives the same DOM as ProseMirror's DOMSerializer for every document of the hostile corpus and some odd ones", () => {
    const odd = [
      doc(p(text('a & b < c > d " e \u00a0 f', [{ type: "link", attrs: { href: 'https://x.example/?a=1&b="2"<>', title: 't\u00a0"<>&', target: "_blank" } }]))),
      doc(table([[{ type: "tableHeader", attrs: { colspan: 2, rowspan: 1, colwidth: [100, 200], align: "center" }, content: [p(text("h"))] }]])),
      doc({ type: "codeBlock", attrs: { language: "js" }, content: [text("<script>x</script>")] }, { type: "orderedList", attrs: { start: 3 }, content: [{ type: "listItem", content: [p(text("x"), { type: "hardBreak" })] }] }, { type: "horizontalRule" }),
      doc(p(text("a", [{ type: "bold" }]), text("b", [{ type: "bold" }, { type: "italic" }]), text("c", [{ type: "italic" }]), text("d", [{ type: "code" }]))),
    ];
    let compared = 0;
    for (const d of [...hostileCorpus().map((c) => c.doc), ...odd]) {
      const v = validateDocument(d);
      if (!v.ok) continue;
      expect(parsed(renderDocument(v.doc).html)).toBe(parsed(viaDom(v.doc)));
      compared++;
    }
    expect(compared).toBeGreaterThan(10);
    // A whole corpus rendered twice in jsdom: seconds on a loaded CI machine, not a timing claim.
  }, 60_000);

  it("escapes text and attributes", () => {
    const v = validateDocument(doc(p(text('<img src=x onerror=alert(1)> "&', [{ type: "link", attrs: { href: 'https://a.example/"><script>' } }]))));
    expect(v.ok).toBe(true);
    if (!v.ok) return;
    expect(renderDocument(v.doc).html).toBe(
      '<p><a rel="noopener noreferrer nofollow" href="https://a.example/&quot;&gt;&lt;script&gt;">&lt;img src=x onerror=alert(1)&gt; "&amp;</a></p>',
    );
  });
});

describe("documents stored before the limits", () => {
  it("render a stored span bomb with its spans clamped: small and fast", () => {
    const cell = { type: "tableCell", attrs: { colspan: 1000, rowspan: 1000 }, content: [{ type: "paragraph" }] };
    const bomb: JSONContent = { type: "doc", content: [{ type: "blockquote", content: [{ type: "table", content: Array.from({ length: 40 }, () => ({ type: "tableRow", content: Array.from({ length: 40 }, () => cell) })) }] }] };
    const started = performance.now();
    const { html } = renderDocument(bomb);
    const ms = performance.now() - started;
    expect(html).toContain('colspan="20" rowspan="20"');
    expect(html).not.toContain('colspan="1000"');
    expect(html.length).toBeLessThan(200_000); // was 1.27 MB: 40,000 <col>s
    expect(ms).toBeLessThan(500); // generous on a shared machine; was 1.8 s
  });
});
