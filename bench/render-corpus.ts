// Hostile rich-text documents: each as large or as deep as the validator lets through (or, for
// the "refused" ones, the attack the limits exist for). Used by `npm run bench:render` and by
// tests/unit/editor-limits.test.ts, which checks that each is accepted or refused as labelled.
import type { JSONContent } from "@tiptap/core";
import { MAX_DOCUMENT_BYTES } from "../app/editor/document.server";
import { TABLE_LIMITS } from "../app/editor/extensions";

export interface HostileDocument {
  name: string;
  doc: JSONContent;
  /** Should the validator accept it? */
  accepted: boolean;
}

const text = (t: string, marks?: JSONContent["marks"]): JSONContent => ({ type: "text", text: t, ...(marks ? { marks } : {}) });
const p = (...content: JSONContent[]): JSONContent => ({ type: "paragraph", ...(content.length ? { content } : {}) });
const doc = (content: JSONContent[]): JSONContent => ({ type: "doc", content });
const size = (d: JSONContent) => Buffer.byteLength(JSON.stringify(d));

/** Adds blocks made by `make(i)` while the document stays under the size limit. */
function fill(make: (i: number) => JSONContent, head: JSONContent[] = []): JSONContent {
  const content = [...head];
  let bytes = size(doc(content));
  for (let i = 0; ; i++) {
    const block = make(i);
    const extra = Buffer.byteLength(JSON.stringify(block)) + 1;
    if (bytes + extra > MAX_DOCUMENT_BYTES - 64) break;
    content.push(block);
    bytes += extra;
  }
  return doc(content);
}

/** A deterministic pseudo-random sequence (the corpus is the same on every run). */
function random(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

const cell = (colspan = 1, rowspan = 1, content: JSONContent[] = [p()]): JSONContent => ({
  type: "tableCell",
  ...(colspan !== 1 || rowspan !== 1 ? { attrs: { colspan, rowspan } } : {}),
  content,
});

/**
 * A table `rows` high and exactly `columns` wide whose cells take random spans up to `maxSpan`,
 * placed the way a browser lays out a table (a slot taken by a rowspan from above is skipped).
 */
function spannedTable(rows: number, columns: number, maxSpan: number, seed: number, label = false): JSONContent {
  const next = random(seed);
  const busy = Array.from({ length: rows }, () => new Array<boolean>(columns).fill(false));
  const tableRows: JSONContent[] = [];
  for (let r = 0; r < rows; r++) {
    const cells: JSONContent[] = [];
    for (let c = 0; c < columns; ) {
      if (busy[r]![c]) {
        c++;
        continue;
      }
      let cs = 1 + Math.floor(next() * maxSpan);
      while (cs > 1 && (c + cs > columns || busy[r]!.slice(c, c + cs).some(Boolean))) cs--;
      const rs = Math.min(1 + Math.floor(next() * maxSpan), rows - r);
      for (let rr = r; rr < r + rs; rr++) for (let cc = c; cc < c + cs; cc++) busy[rr]![cc] = true;
      cells.push(cell(cs, rs, label ? [p(text(`${r}:${c}`))] : [p()]));
      c += cs;
    }
    tableRows.push({ type: "tableRow", content: cells });
  }
  return { type: "table", content: tableRows };
}

function gridTable(rows: number, columns: number, cellText: (r: number, c: number) => string): JSONContent {
  return {
    type: "table",
    content: Array.from({ length: rows }, (_, r) => ({
      type: "tableRow",
      content: Array.from({ length: columns }, (_, c) => {
        const t = cellText(r, c);
        return r === 0 ? { type: "tableHeader", content: [t ? p(text(t)) : p()] } : cell(1, 1, [t ? p(text(t)) : p()]);
      }),
    })),
  };
}

/**
 * `levels` node levels below the document (the validator counts every node, the text included):
 * blockquotes and lists alternating, a bold text at the bottom.
 */
function nested(levels: number, leaf: string): JSONContent {
  let node: JSONContent = p(text(leaf, [{ type: "bold" }]));
  for (let used = 2, d = 0; used < levels; d++) {
    if (d % 2 === 1 && used + 2 <= levels) {
      node = { type: "bulletList", content: [{ type: "listItem", content: [p(text("·")), node] }] };
      used += 2;
    } else {
      node = { type: "blockquote", content: [node] };
      used += 1;
    }
  }
  return node;
}

const MARKS: JSONContent["marks"][] = [
  [{ type: "bold" }],
  [{ type: "italic" }],
  [{ type: "bold" }, { type: "italic" }, { type: "strike" }],
  [{ type: "code" }],
  [{ type: "link", attrs: { href: "https://example.com/a?b=c" } }],
  [{ type: "bold" }, { type: "italic" }, { type: "underline" }, { type: "strike" }, { type: "link", attrs: { href: "/answers/x" } }],
];

export function hostileCorpus(): HostileDocument[] {
  const L = TABLE_LIMITS;
  // The attack as found: 40 × 40 cells, each spanning 1,000 rows and columns (150 KB).
  const bomb = doc([{ type: "table", content: Array.from({ length: 40 }, () => ({ type: "tableRow", content: Array.from({ length: 40 }, () => cell(1000, 1000)) })) }]);
  const rowsOver = gridTable(L.rows + 1, 2, () => "");
  const wide = gridTable(2, L.columns + 1, () => "");
  // A row of cells each spanning the limit, to 20 × 20 = 400 slots per cell, at the width limit.
  const slotsPerTable = L.rows * L.columns;
  const tablesOver = Math.floor(L.cellsPerDocument / slotsPerTable) + 1;
  const manyBig = doc(Array.from({ length: tablesOver }, (_, i) => spannedTable(L.rows, L.columns, L.span, 100 + i)));
  const manyBigAtLimit = doc(Array.from({ length: tablesOver - 1 }, (_, i) => spannedTable(L.rows, L.columns, L.span, 200 + i)));

  // The biggest plain grid that fits both the table limits and the size limit: 100 × 30 cells,
  // as many of them with text as the bytes allow.
  let filled = L.rows * L.columns;
  let biggestGrid = doc([gridTable(L.rows, L.columns, () => "x")]);
  while (size(biggestGrid) > MAX_DOCUMENT_BYTES - 64) {
    filled -= 100;
    const limit = filled;
    biggestGrid = doc([gridTable(L.rows, L.columns, (r, c) => (r * L.columns + c < limit ? `${r}·${c}` : ""))]);
  }

  return [
    { name: "span bomb (colspan/rowspan 1000, as found)", doc: bomb, accepted: false },
    { name: "span 21", doc: doc([{ type: "table", content: [{ type: "tableRow", content: [cell(L.span + 1, 1)] }] }]), accepted: false },
    { name: `table of ${L.rows + 1} rows`, doc: doc([rowsOver]), accepted: false },
    { name: `table ${L.columns + 1} columns wide`, doc: doc([wide]), accepted: false },
    { name: `${tablesOver} tables of ${L.rows}×${L.columns} slots (over the document's cells)`, doc: manyBig, accepted: false },
    { name: "random spans ≤ 20, 100 rows × 30 columns", doc: doc([spannedTable(L.rows, L.columns, L.span, 1, true)]), accepted: true },
    { name: `${tablesOver - 1} tables of random spans at the cell limit`, doc: manyBigAtLimit, accepted: true },
    { name: `plain grid 100 × 30, ${filled} cells with text`, doc: biggestGrid, accepted: true },
    { name: "small tables to 200 KB", doc: fill((i) => gridTable(3, 3, (r, c) => `${i}.${r}.${c}`)), accepted: true },
    { name: "nesting 50 deep (the limit), repeated to 200 KB", doc: fill((i) => nested(50, `leaf ${i}`)), accepted: true },
    { name: "nesting 51 deep", doc: doc([nested(51, "too deep")]), accepted: false },
    { name: "alternating marks and links to 200 KB", doc: fill((i) => p(...Array.from({ length: 40 }, (_, j) => text(`w${i}.${j} `, MARKS[(i + j) % MARKS.length])))), accepted: true },
    { name: "one 195 KB text with every mark", doc: doc([p(text("long ".repeat(39_000), MARKS[5]))]), accepted: true },
    { name: "hard breaks to 200 KB", doc: fill(() => p(...Array.from({ length: 50 }, (_, j) => (j % 2 ? { type: "hardBreak" } : text("a"))))), accepted: true },
    { name: "headings, lists and code blocks to 200 KB", doc: fill((i) => (i % 3 === 0 ? { type: "heading", attrs: { level: 2 + (i % 3) }, content: [text(`H ${i}`)] } : i % 3 === 1 ? { type: "orderedList", content: [{ type: "listItem", content: [p(text(`item ${i}`))] }] } : { type: "codeBlock", content: [text(`<script>alert(${i})</script>`)] })), accepted: true },
  ];
}
