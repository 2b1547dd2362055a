// A certified answer (Tiptap JSON) turned into what an agent pastes into a reply: plain text,
// Markdown, paste-safe HTML and one message per channel. Pure string work on the JSON (no
// ProseMirror schema, no DOM, no server module), so the browser and the server build the same
// reply. `body_text`, renderDocument's flattening for search, loses what a customer needs most:
// link addresses, list numbers, table columns.
import type { JSONContent } from "@tiptap/core";
import { isSafeHref, TABLE_LIMITS } from "./extensions";

export type ReplyChannel = "chat" | "email" | "social" | "phone";

/** A social post's length, the FAQ link and the "…" included. */
export const SOCIAL_LIMIT = 280;

export interface ReplyOptions {
  /**
   * Where relative links (`/answers/12`, `#fees`) point. Without it they are reduced to their
   * text: a customer could not open them.
   */
  baseUrl?: string | null;
}

export interface ReplyInput {
  question: string;
  shortAnswer: string;
  body: JSONContent;
  /** The public FAQ page of the answer; null for internal answers. */
  faqUrl: string | null;
  signOff: string | null;
  baseUrl?: string | null;
}

type Doc = JSONContent;

// ─── Reading the JSON defensively: stored documents predate some validation rules ─────────────

const kids = (node: Doc): Doc[] => (Array.isArray(node.content) ? node.content.filter((c): c is Doc => !!c && typeof c === "object") : []);
const attr = (node: { attrs?: Record<string, unknown> }, name: string): unknown =>
  node.attrs && typeof node.attrs === "object" ? node.attrs[name] : undefined;
const int = (value: unknown, fallback: number, min: number, max: number): number =>
  typeof value === "number" && Number.isInteger(value) ? Math.min(max, Math.max(min, value)) : fallback;
const textOf = (node: Doc): string => (typeof node.text === "string" ? node.text.replace(/\r\n?/g, "\n") : "");
/** All text below a node, hard breaks as newlines: for code blocks and nodes this module does not know. */
const plainContent = (node: Doc): string => (node.type === "hardBreak" ? "\n" : node.type === "text" ? textOf(node) : kids(node).map(plainContent).join(""));
const isList = (node: Doc) => node.type === "bulletList" || node.type === "orderedList";
const hasInline = (node: Doc) => kids(node).some((c) => c.type === "text" || c.type === "hardBreak");
const listStart = (list: Doc) => int(attr(list, "start"), 1, -1_000_000, 1_000_000);
/** The editor offers h2–h4 and Tiptap's default is 1; the reply HTML allows h1–h4. */
const headingLevel = (heading: Doc) => int(attr(heading, "level"), 1, 1, 4);
const roots = (doc: Doc): Doc[] => (doc.type === "doc" ? kids(doc) : [doc]);

// ─── Links ─────────────────────────────────────────────────────────────────────────────────────

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

/**
 * The address a reader of the reply can open, or null: anything isSafeHref refuses
 * (javascript:, data:, …) and relative links with no `baseUrl` to resolve them against.
 */
export function replyHref(href: unknown, options: ReplyOptions = {}): string | null {
  if (typeof href !== "string" || !isSafeHref(href)) return null;
  const cleaned = href.replace(CONTROL, "").trim();
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(cleaned)?.[1]?.toLowerCase();
  if (scheme) return ["http", "https", "mailto", "tel"].includes(scheme) ? cleaned : null;
  if (!options.baseUrl) return null;
  try {
    const url = new URL(cleaned, options.baseUrl);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
  } catch {
    return null;
  }
}

/** What a reader sees of an address: mailto: and tel: without their scheme or `?subject=…`. */
function shownAddress(href: string): string {
  const scheme = /^(?:mailto|tel):/i.exec(href);
  if (!scheme) return href;
  const rest = href.slice(scheme[0].length).split("?")[0] ?? "";
  try {
    return decodeURIComponent(rest).replace(CONTROL, "");
  } catch {
    return rest;
  }
}

/** Does a link's text already say where it goes (`example.com/returns` for https://example.com/returns/)? */
function textSaysAddress(text: string, href: string): boolean {
  if (/^tel:/i.test(href)) {
    const digits = (s: string) => s.replace(/[^\d+]/g, "");
    return digits(text) !== "" && digits(text) === digits(shownAddress(href));
  }
  const bare = (s: string) =>
    s
      .trim()
      .toLowerCase()
      .replace(/^(?:https?:|mailto:)?(?:\/\/)?/, "")
      .replace(/\/+$/, "");
  const address = bare(shownAddress(href));
  return address !== "" && bare(text).includes(address);
}

/** The host a caller can be told to visit: `returns.example.com` for https://www.returns.example.com/x. */
function hostOf(address: string): string | null {
  try {
    const url = new URL(/^www\./i.test(address) ? `https://${address}` : address);
    return url.protocol === "http:" || url.protocol === "https:" ? url.hostname.replace(/^www\./i, "") || null : null;
  } catch {
    return null;
  }
}

const BARE_URL = /\b(?:https?:\/\/|www\.)[^\s<>"']+/gi;

/** Text to be read aloud: web addresses become their host, or "our website" when there is none. */
function spokenText(text: string): string {
  return text.replace(BARE_URL, (url) => {
    const trailing = /[.,;:!?)\]]+$/.exec(url)?.[0] ?? "";
    return (hostOf(url.slice(0, url.length - trailing.length)) ?? "the link on our website") + trailing;
  });
}

// ─── Inline content as spans of equally formatted text ─────────────────────────────────────────

type MarkKind = "link" | "bold" | "italic" | "strike" | "underline" | "code";
/** Outermost first; code innermost because Markdown does not parse inside a code span. */
const MARK_ORDER: readonly MarkKind[] = ["link", "bold", "italic", "strike", "underline", "code"];

interface InlineMark {
  kind: MarkKind;
  /** Links only: the resolved address. A link without a usable one is not a link any more. */
  href: string | null;
}

interface Span {
  text: string;
  marks: InlineMark[];
  lineBreak: boolean;
}

const sameMark = (a: InlineMark, b: InlineMark) => a.kind === b.kind && a.href === b.href;
const sameMarks = (a: InlineMark[], b: InlineMark[]) => a.length === b.length && a.every((m, i) => sameMark(m, b[i]!));

function marksOf(node: Doc, options: ReplyOptions): InlineMark[] {
  const found = new Map<MarkKind, InlineMark>();
  for (const mark of Array.isArray(node.marks) ? node.marks : []) {
    const kind = (MARK_ORDER as readonly unknown[]).includes(mark?.type) ? (mark.type as MarkKind) : null;
    // Formatting this module does not know keeps its text, without the formatting.
    if (!kind) continue;
    const href = kind === "link" ? replyHref(attr(mark, "href"), options) : null;
    if (kind === "link" && !href) continue;
    found.set(kind, { kind, href });
  }
  return MARK_ORDER.flatMap((kind) => found.get(kind) ?? []);
}

/**
 * A textblock's content: adjacent text with the same formatting merged (so Markdown never gets
 * `**a****b**` or two code spans glued together), newlines typed into text treated as the line
 * breaks the editor shows them as, and breaks at either end dropped (browsers show none).
 */
function spans(nodes: Doc[], options: ReplyOptions): Span[] {
  const out: Span[] = [];
  const lineBreak = () => out.push({ text: "\n", marks: [], lineBreak: true });
  for (const node of nodes) {
    if (node.type === "hardBreak") {
      lineBreak();
      continue;
    }
    const marks = marksOf(node, options);
    (node.type === "text" ? textOf(node) : plainContent(node)).split("\n").forEach((text, i) => {
      if (i > 0) lineBreak();
      if (!text) return;
      const last = out[out.length - 1];
      if (last && !last.lineBreak && sameMarks(last.marks, marks)) last.text += text;
      else out.push({ text, marks, lineBreak: false });
    });
  }
  while (out[0]?.lineBreak) out.shift();
  while (out[out.length - 1]?.lineBreak) out.pop();
  return out;
}

interface MarkupWriter {
  open(mark: InlineMark): string;
  close(mark: InlineMark): string;
  text(text: string, code: boolean): string;
  lineBreak: string;
  /** Markdown: `**a **` is no emphasis, so spaces go outside delimiters and breaks close them. */
  markdown: boolean;
}

/** Spans to markup, formatting kept open across spans that share it (as ProseMirror's serializer does). */
function markup(content: Span[], w: MarkupWriter): string {
  let out = "";
  const open: InlineMark[] = [];
  const closeTo = (depth: number) => {
    if (open.length <= depth) return;
    const spaces = w.markdown ? (/[ \t]*$/.exec(out)?.[0] ?? "") : "";
    out = out.slice(0, out.length - spaces.length);
    while (open.length > depth) out += w.close(open.pop()!);
    out += spaces;
  };
  for (const span of content) {
    if (span.lineBreak) {
      if (w.markdown) closeTo(0);
      out += w.lineBreak;
      continue;
    }
    const code = span.marks.some((m) => m.kind === "code");
    const marks = span.marks.filter((m) => m.kind !== "code");
    let keep = 0;
    while (keep < open.length && keep < marks.length && sameMark(open[keep]!, marks[keep]!)) keep++;
    closeTo(keep);
    let text = span.text;
    if (w.markdown && !code && marks.length > keep) {
      if (text.trim() === "") {
        out += text;
        continue;
      }
      const lead = /^[ \t]*/.exec(text)?.[0] ?? "";
      out += lead;
      text = text.slice(lead.length);
    }
    for (const mark of marks.slice(keep)) {
      out += w.open(mark);
      open.push(mark);
    }
    out += w.text(text, code);
  }
  closeTo(0);
  return out;
}

// ─── Tables as a grid of slots, spans resolved once for every format ──────────────────────────

type Align = "left" | "center" | "right" | null;

interface GridCell {
  node: Doc;
  row: number;
  col: number;
  colspan: number;
  rowspan: number;
  header: boolean;
  align: Align;
}

interface Grid {
  rows: number;
  cols: number;
  cells: GridCell[];
  /** The cell covering each slot, merged slots included. */
  at: (GridCell | undefined)[][];
  /** Leading rows made only of header cells. */
  headerRows: number;
}

function tableGrid(table: Doc): Grid {
  const rows = kids(table).filter((r) => r.type === "tableRow");
  const at: (GridCell | undefined)[][] = rows.map(() => []);
  const cells: GridCell[] = [];
  rows.forEach((row, r) => {
    let col = 0;
    for (const node of kids(row)) {
      while (at[r]![col]) col++;
      // Clamped as the renderer clamps a span bomb stored before the limits.
      const colspan = int(attr(node, "colspan"), 1, 1, TABLE_LIMITS.span);
      const rowspan = Math.min(int(attr(node, "rowspan"), 1, 1, TABLE_LIMITS.span), rows.length - r);
      const align = attr(node, "align");
      const cell: GridCell = {
        node,
        row: r,
        col,
        colspan,
        rowspan,
        header: node.type === "tableHeader",
        align: align === "left" || align === "center" || align === "right" ? align : null,
      };
      cells.push(cell);
      for (let rr = r; rr < r + rowspan; rr++) for (let cc = col; cc < col + colspan; cc++) at[rr]![cc] = cell;
      col += colspan;
    }
  });
  let headerRows = 0;
  while (headerRows < rows.length && kids(rows[headerRows]!).length > 0 && kids(rows[headerRows]!).every((c) => c.type === "tableHeader")) headerRows++;
  return { rows: rows.length, cols: at.reduce((n, row) => Math.max(n, row.length), 0), cells, at, headerRows };
}

const spanWidth = (widths: number[], col: number, colspan: number) => widths.slice(col, col + colspan).reduce((a, b) => a + b, 0) + 3 * (colspan - 1);

function pad(text: string, width: number, align: Align): string {
  const room = Math.max(0, width - text.length);
  if (align === "right") return " ".repeat(room) + text;
  if (align === "center") return " ".repeat(Math.floor(room / 2)) + text + " ".repeat(Math.ceil(room / 2));
  return text + " ".repeat(room);
}

/** Columns padded to their widest cell (by string length), ` | ` between, `---` under the header. */
function textTable(grid: Grid, cellText: (cell: GridCell) => string): string[] {
  if (!grid.cols) return [];
  const texts = new Map(grid.cells.map((cell) => [cell, cellText(cell)]));
  const widths: number[] = Array.from({ length: grid.cols }, () => 3);
  for (const cell of grid.cells) if (cell.colspan === 1) widths[cell.col] = Math.max(widths[cell.col]!, texts.get(cell)!.length);
  // A merged cell wider than the columns it spans widens them evenly (the last ones by a space more).
  for (const cell of grid.cells.filter((c) => c.colspan > 1).sort((a, b) => a.colspan - b.colspan)) {
    const missing = texts.get(cell)!.length - spanWidth(widths, cell.col, cell.colspan);
    for (let i = 0; missing > 0 && i < cell.colspan; i++) {
      widths[cell.col + i]! += Math.floor(missing / cell.colspan) + (i >= cell.colspan - (missing % cell.colspan) ? 1 : 0);
    }
  }
  const lines: string[] = [];
  for (let r = 0; r < grid.rows; r++) {
    const parts: string[] = [];
    for (let c = 0; c < grid.cols; ) {
      const cell = grid.at[r]![c];
      if (!cell) {
        parts.push(" ".repeat(widths[c]!));
        c++;
        continue;
      }
      const width = spanWidth(widths, cell.col, cell.colspan);
      // Slots a cell from an earlier row spans into are left blank.
      parts.push(cell.row === r ? pad(texts.get(cell)!, width, cell.align) : " ".repeat(width));
      c = cell.col + cell.colspan;
    }
    lines.push(parts.join(" | ").trimEnd());
    if (r === grid.headerRows - 1 && r < grid.rows - 1) lines.push(widths.map((w) => "-".repeat(w)).join("-+-"));
  }
  return lines;
}

/** Each body row as one sentence: "Plan: Basic, Price: €5." */
function spokenTable(grid: Grid, cellText: (cell: GridCell) => string): string[] {
  const texts = new Map(grid.cells.map((cell) => [cell, cellText(cell)]));
  const labels = Array.from({ length: grid.cols }, (_, c) => {
    const seen = new Set<GridCell>();
    for (let r = 0; r < grid.headerRows; r++) {
      const cell = grid.at[r]![c];
      if (cell && texts.get(cell)) seen.add(cell);
    }
    return [...seen].map((cell) => texts.get(cell)!).join(" ");
  });
  const bodyFrom = grid.headerRows < grid.rows ? grid.headerRows : 0;
  const lines: string[] = [];
  for (let r = bodyFrom; r < grid.rows; r++) {
    const parts: string[] = [];
    const seen = new Set<GridCell>();
    for (let c = 0; c < grid.cols; c++) {
      const cell = grid.at[r]![c];
      if (!cell || seen.has(cell)) continue;
      seen.add(cell);
      const value = texts.get(cell)!;
      if (!value) continue;
      const label = bodyFrom > 0 && !cell.header ? [...new Set(labels.slice(cell.col, cell.col + cell.colspan).filter(Boolean))].join(" and ") : "";
      // A cell spanning rows is read again in each row: every sentence must stand on its own.
      parts.push(label ? `${label}: ${value}` : value);
    }
    const sentence = parts.join(", ");
    if (sentence) lines.push(/[.!?…:]$/.test(sentence) ? sentence : `${sentence}.`);
  }
  return lines;
}

// ─── Plain text and the phone script ──────────────────────────────────────────────────────────

interface TextStyle {
  /** A link's words: with the address in plain text, without it when read aloud. */
  link(text: string, href: string): string;
  /** Each textblock once laid out: the phone replaces addresses typed as text. */
  line(text: string): string;
  marker(ordered: boolean, n: number): string;
  /** Further lines of a list item align under its first word, or indent by two spaces. */
  hanging: boolean;
  quote: string;
  rule: string | null;
  table(grid: Grid, cellText: (cell: GridCell) => string): string[];
}

interface TextContext {
  style: TextStyle;
  options: ReplyOptions;
}

const PLAIN: TextStyle = {
  link: (text, href) => {
    const shown = shownAddress(href);
    if (!text.trim()) return shown;
    return textSaysAddress(text, href) ? text : `${text} (${shown})`;
  },
  line: (text) => text,
  marker: (ordered, n) => (ordered ? `${n}. ` : "- "),
  hanging: true,
  quote: "> ",
  rule: "---",
  table: textTable,
};

const ORDINALS = ["First", "Second", "Third", "Fourth", "Fifth", "Sixth", "Seventh", "Eighth", "Ninth", "Tenth"];

function spokenOrdinal(n: number): string {
  if (n >= 1 && n <= ORDINALS.length) return `${ORDINALS[n - 1]},`;
  if (n < 1) return `${n}.`;
  const suffix = n % 100 >= 11 && n % 100 <= 13 ? "th" : (["th", "st", "nd", "rd"][n % 10] ?? "th");
  return `${n}${suffix},`;
}

const PHONE: TextStyle = {
  link: (text, href) => {
    if (/^(?:mailto|tel):/i.test(href)) return text.trim() ? text : shownAddress(href);
    // A link whose words are its address is read as the host: nobody spells out a path on the phone.
    if (!text.trim() || textSaysAddress(text, href)) return hostOf(href) ?? "the link on our website";
    return text;
  },
  line: spokenText,
  marker: (ordered, n) => (ordered ? `${spokenOrdinal(n)} ` : "- "),
  hanging: false,
  quote: "",
  rule: null,
  table: spokenTable,
};

function plainInline(content: Span[], style: TextStyle): string {
  let out = "";
  let run: { href: string; text: string } | null = null;
  for (const span of content) {
    const href = span.marks.find((m) => m.kind === "link")?.href ?? null;
    if (run && run.href !== href) {
      out += style.link(run.text, run.href);
      run = null;
    }
    if (!href) out += span.text;
    else if (run) run.text += span.text;
    else run = { href, text: span.text };
  }
  if (run) out += style.link(run.text, run.href);
  return out;
}

function textLines(node: Doc, ctx: TextContext): string[] {
  const text = ctx.style.line(plainInline(spans(kids(node), ctx.options), ctx.style));
  return text.trim() ? text.split("\n") : [];
}

function textBlocks(nodes: Doc[], ctx: TextContext, gap = true): string[] {
  const out: string[] = [];
  for (const node of nodes) {
    const lines = textBlock(node, ctx);
    if (!lines.length) continue;
    if (gap && out.length) out.push("");
    out.push(...lines);
  }
  return out;
}

function textList(list: Doc, ctx: TextContext): string[] {
  const ordered = list.type === "orderedList";
  const start = listStart(list);
  const lines: string[] = [];
  kids(list).forEach((item, i) => {
    const marker = ctx.style.marker(ordered, start + i);
    const hang = ctx.style.hanging ? " ".repeat(marker.length) : "  ";
    let first = true;
    for (const child of item.type === "listItem" ? kids(item) : [item]) {
      const indent = isList(child) ? "  " : hang;
      for (const line of textBlock(child, ctx)) {
        lines.push(first ? marker + line : line ? indent + line : "");
        first = false;
      }
    }
    if (first) lines.push(marker.trimEnd());
  });
  return lines;
}

function textBlock(node: Doc, ctx: TextContext): string[] {
  switch (node.type) {
    case "paragraph":
    case "heading":
      return textLines(node, ctx);
    case "bulletList":
    case "orderedList":
      return textList(node, ctx);
    case "listItem":
      return textBlocks(kids(node), ctx, false);
    case "blockquote": {
      const quote = ctx.style.quote;
      return textBlocks(kids(node), ctx).map((line) => (quote ? (line ? quote + line : quote.trimEnd()) : line));
    }
    case "codeBlock": {
      const code = plainContent(node);
      return code.trim() ? ctx.style.line(code).split("\n") : [];
    }
    case "horizontalRule":
      return ctx.style.rule ? [ctx.style.rule] : [];
    case "table":
      return ctx.style.table(tableGrid(node), (cell) =>
        textBlocks(kids(cell.node), ctx, false)
          .map((l) => l.trim())
          .filter(Boolean)
          .join(" "),
      );
    case "text":
    case "hardBreak":
      return textLines({ type: "paragraph", content: [node] }, ctx);
    default:
      return hasInline(node) ? textLines(node, ctx) : textBlocks(kids(node), ctx);
  }
}

/** Lines to text: no trailing spaces, never two blank lines in a row, none at either end. */
function tidy(lines: string[]): string {
  const out: string[] = [];
  for (const raw of lines.join("\n").split("\n")) {
    const line = raw.trimEnd();
    if (line === "" && (out.length === 0 || out[out.length - 1] === "")) continue;
    out.push(line);
  }
  while (out[out.length - 1] === "") out.pop();
  return out.join("\n");
}

/** The answer as faithful plain text: link addresses, list markers and table columns kept. */
export function toPlainText(doc: JSONContent, options: ReplyOptions = {}): string {
  return tidy(textBlocks(roots(doc), { style: PLAIN, options }));
}

/** The answer as an agent reads it aloud: no addresses spelled out, steps as "First, … Second, …". */
export function toPhoneScript(doc: JSONContent, options: ReplyOptions = {}): string {
  return tidy(textBlocks(roots(doc), { style: PHONE, options }));
}

// ─── Markdown (CommonMark + GFM tables and strikethrough) ──────────────────────────────────────

interface MdContext {
  options: ReplyOptions;
  /** Inside a GFM table cell: one line, and every `|` escaped, even in code and addresses. */
  inTable: boolean;
}

/** Characters that are markup anywhere in a line; `&` only where it would start an entity. */
const mdEscapeProse = (text: string) => text.replace(/[\\`*_[\]<|~]/g, "\\$&").replace(/&(?=#?[a-z0-9]+;)/gi, "\\&");

const URL_IN_TEXT = /\b(?:https?:\/\/|www\.)[^\s<>"'`]+/gi;

/**
 * Text escaped for Markdown, except web addresses typed as text: GFM makes those links, and
 * renderers such as marked keep a backslash inside them (`my\_page` → a broken address). Only
 * brackets (which could end a link's text) and, in a table, `|` are escaped in them.
 */
function mdEscape(text: string, inTable: boolean): string {
  let out = "";
  let last = 0;
  for (const match of text.matchAll(URL_IN_TEXT)) {
    out += mdEscapeProse(text.slice(last, match.index)) + match[0].replace(inTable ? /[[\]|]/g : /[[\]]/g, "\\$&");
    last = match.index + match[0].length;
  }
  return out + mdEscapeProse(text.slice(last));
}

/** What is markup only at the start of a line: headings, quotes, list markers, setext underlines. */
function mdLineStart(line: string): string {
  const text = line.replace(/^[ \t]+/, "");
  if (/^[#>+=-]/.test(text)) return `\\${text}`;
  return text.replace(/^(\d{1,9})([.)])(?=\s|$)/, "$1\\$2");
}

function mdCode(text: string, inTable: boolean): string {
  let body = text.replace(/\n/g, " ");
  if (inTable) body = body.replace(/\|/g, "\\|");
  const longest = (body.match(/`+/g) ?? []).reduce((n, run) => Math.max(n, run.length), 0);
  const fence = "`".repeat(longest + 1);
  // CommonMark strips one space from each end when both have one, and a backtick would join the fence.
  const padding = /^`|`$/.test(body) || /^ .*[^ ].* $/.test(body) ? " " : "";
  return fence + padding + body + padding + fence;
}

function mdDestination(href: string, inTable: boolean): string {
  const dest = /[\s()<>]/.test(href) ? `<${href.replace(/[\\<>]/g, "\\$&")}>` : href.replace(/\\/g, "\\\\");
  return inTable ? dest.replace(/\|/g, "\\|") : dest;
}

function mdWriter(inTable: boolean): MarkupWriter {
  const delimiters: Record<Exclude<MarkKind, "link" | "code">, string> = { bold: "**", italic: "*", strike: "~~", underline: "" };
  return {
    // Markdown has no underline; the words stay, unmarked.
    open: (mark) => (mark.kind === "link" ? "[" : delimiters[mark.kind as keyof typeof delimiters]),
    close: (mark) => (mark.kind === "link" ? `](${mdDestination(mark.href ?? "", inTable)})` : delimiters[mark.kind as keyof typeof delimiters]),
    text: (text, code) => (code ? mdCode(text, inTable) : mdEscape(text, inTable)),
    lineBreak: inTable ? " " : "\\\n",
    markdown: true,
  };
}

function mdInline(node: Doc, ctx: MdContext): string {
  return markup(spans(kids(node), ctx.options), mdWriter(ctx.inTable));
}

function mdBlocks(nodes: Doc[], ctx: MdContext): string[] {
  const out: string[] = [];
  let previous: string | undefined;
  let alternate = false;
  for (const node of nodes) {
    // Two lists of one kind in a row would merge into one: the second takes the other marker.
    alternate = isList(node) && node.type === previous ? !alternate : false;
    const lines = mdBlock(node, ctx, alternate);
    if (!lines.length) continue;
    if (out.length) out.push("");
    out.push(...lines);
    previous = node.type;
  }
  return out;
}

function mdList(list: Doc, ctx: MdContext, alternate: boolean): string[] {
  const ordered = list.type === "orderedList";
  // CommonMark numbers lists from 0 to 999,999,999.
  const start = Math.max(0, listStart(list));
  const lines: string[] = [];
  kids(list).forEach((item, i) => {
    const marker = ordered ? `${start + i}${alternate ? ")" : "."} ` : alternate ? "* " : "- ";
    const indent = " ".repeat(marker.length);
    const body: string[] = [];
    for (const child of item.type === "listItem" ? kids(item) : [item]) {
      const childLines = mdBlock(child, ctx, false);
      if (!childLines.length) continue;
      // A nested list may follow its item's text directly (the list stays tight) only where
      // CommonMark lets it interrupt a paragraph: bullets, or numbers starting at 1.
      const interrupts = child.type === "bulletList" || (child.type === "orderedList" && listStart(child) === 1);
      if (body.length && !interrupts) body.push("");
      body.push(...childLines);
    }
    if (!body.length) lines.push(marker.trimEnd());
    body.forEach((line, j) => lines.push(j === 0 ? marker + line : line ? indent + line : ""));
  });
  return lines;
}

function mdTable(grid: Grid, ctx: MdContext): string[] {
  if (!grid.cols) return [];
  const cellCtx = { ...ctx, inTable: true };
  const texts = new Map(
    grid.cells.map((cell) => [
      cell,
      mdBlocks(kids(cell.node), cellCtx)
        .map((l) => l.trim())
        .filter(Boolean)
        .join(" "),
    ]),
  );
  // GFM has no merged cells: a cell's text goes in its first slot and the slots it spans stay empty.
  const rows = Array.from({ length: grid.rows }, (_, r) =>
    Array.from({ length: grid.cols }, (_, c) => {
      const cell = grid.at[r]![c];
      return cell && cell.row === r && cell.col === c ? texts.get(cell)! : "";
    }),
  );
  const widths = Array.from({ length: grid.cols }, (_, c) => rows.reduce((w, row) => Math.max(w, row[c]!.length), 3));
  const aligns = Array.from({ length: grid.cols }, (_, c) => grid.at[0]![c]?.align ?? null);
  const line = (cells: string[]) => `| ${cells.map((t, c) => t.padEnd(widths[c]!)).join(" | ")} |`;
  const rule = widths.map((w, c) => {
    const align = aligns[c];
    if (align === "left") return `:${"-".repeat(w - 1)}`;
    if (align === "right") return `${"-".repeat(w - 1)}:`;
    if (align === "center") return `:${"-".repeat(w - 2)}:`;
    return "-".repeat(w);
  });
  // GFM tables always have a header: the first row is it, whether or not the editor marked it.
  return [line(rows[0]!), `| ${rule.join(" | ")} |`, ...rows.slice(1).map(line)];
}

function mdBlock(node: Doc, ctx: MdContext, alternate: boolean): string[] {
  switch (node.type) {
    case "paragraph": {
      const text = mdInline(node, ctx);
      return text.trim() ? text.split("\n").map(mdLineStart) : [];
    }
    case "heading": {
      const text = markup(
        spans(kids(node), ctx.options).map((s) => (s.lineBreak ? { ...s, text: " ", lineBreak: false } : s)),
        mdWriter(ctx.inTable),
      ).trim();
      // A heading ending in " #" would lose it as the closing sequence.
      return text ? [`${"#".repeat(headingLevel(node))} ${text.replace(/(\s)(#+)$/, "$1\\$2")}`] : [];
    }
    case "bulletList":
    case "orderedList":
      return mdList(node, ctx, alternate);
    case "listItem":
      return mdBlocks(kids(node), ctx);
    case "blockquote":
      return mdBlocks(kids(node), ctx).map((line) => (line ? `> ${line}` : ">"));
    case "codeBlock": {
      const code = plainContent(node);
      const longest = (code.match(/`{3,}/g) ?? []).reduce((n, run) => Math.max(n, run.length), 0);
      const fence = "`".repeat(Math.max(3, longest + 1));
      const language = attr(node, "language");
      const info = typeof language === "string" && /^[\w#+.-]{1,40}$/.test(language) ? language : "";
      return [fence + info, ...(code ? code.split("\n") : []), fence];
    }
    case "horizontalRule":
      return ["---"];
    case "table":
      return mdTable(tableGrid(node), ctx);
    case "text":
    case "hardBreak":
      return mdBlock({ type: "paragraph", content: [node] }, ctx, false);
    default:
      return hasInline(node) ? mdBlock({ type: "paragraph", content: kids(node) }, ctx, false) : mdBlocks(kids(node), ctx);
  }
}

/** The answer as CommonMark with GFM tables and strikethrough, every Markdown special in text escaped. */
export function toMarkdown(doc: JSONContent, options: ReplyOptions = {}): string {
  const lines = mdBlocks(roots(doc), { options, inTable: false }).map((l) => l.trimEnd());
  while (lines[0] === "") lines.shift();
  while (lines[lines.length - 1] === "") lines.pop();
  return lines.join("\n");
}

// ─── HTML to paste into email and chat tools ──────────────────────────────────────────────────

const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);

/** Pasted links open in a new context with no way back to the page they came from. */
const REPLY_LINK_REL = "noopener noreferrer";

const HTML_TAGS: Record<Exclude<MarkKind, "link" | "code">, string> = { bold: "strong", italic: "em", strike: "s", underline: "u" };

const HTML_WRITER: MarkupWriter = {
  open: (mark) => (mark.kind === "link" ? `<a href="${escapeHtml(mark.href ?? "")}" rel="${REPLY_LINK_REL}">` : `<${HTML_TAGS[mark.kind as keyof typeof HTML_TAGS]}>`),
  close: (mark) => (mark.kind === "link" ? "</a>" : `</${HTML_TAGS[mark.kind as keyof typeof HTML_TAGS]}>`),
  text: (text, code) => (code ? `<code>${escapeHtml(text)}</code>` : escapeHtml(text)),
  lineBreak: "<br>",
  markdown: false,
};

const htmlInline = (node: Doc, options: ReplyOptions) => markup(spans(kids(node), options), HTML_WRITER);
const htmlBlocks = (nodes: Doc[], options: ReplyOptions) => nodes.map((n) => htmlBlock(n, options)).join("");

/** A list item's or cell's content; a leading paragraph unwrapped, as `<p>` margins look loose in a pasted list or table. */
function htmlFlow(nodes: Doc[], options: ReplyOptions): string {
  const [first, ...rest] = nodes;
  if (first?.type !== "paragraph") return htmlBlocks(nodes, options);
  return htmlInline(first, options) + htmlBlocks(rest, options);
}

function htmlTable(table: Doc, options: ReplyOptions): string {
  const rows = kids(table).filter((r) => r.type === "tableRow");
  if (!rows.length) return "";
  const { headerRows } = tableGrid(table);
  const row = (r: Doc) =>
    `<tr>${kids(r)
      .map((cell) => {
        const tag = cell.type === "tableHeader" ? "th" : "td";
        const colspan = int(attr(cell, "colspan"), 1, 1, TABLE_LIMITS.span);
        const rowspan = int(attr(cell, "rowspan"), 1, 1, TABLE_LIMITS.span);
        const spans = `${colspan > 1 ? ` colspan="${colspan}"` : ""}${rowspan > 1 ? ` rowspan="${rowspan}"` : ""}`;
        return `<${tag}${spans}>${htmlFlow(kids(cell), options)}</${tag}>`;
      })
      .join("")}</tr>`;
  const head = rows.slice(0, headerRows).map(row).join("");
  const body = rows.slice(headerRows).map(row).join("");
  return `<table>${head ? `<thead>${head}</thead>` : ""}${body ? `<tbody>${body}</tbody>` : ""}</table>`;
}

function htmlBlock(node: Doc, options: ReplyOptions): string {
  switch (node.type) {
    case "paragraph": {
      const inner = htmlInline(node, options);
      return inner ? `<p>${inner}</p>` : "";
    }
    case "heading": {
      const inner = htmlInline(node, options);
      const level = headingLevel(node);
      return inner ? `<h${level}>${inner}</h${level}>` : "";
    }
    case "bulletList":
      return `<ul>${kids(node)
        .map((item) => htmlBlock(item, options))
        .join("")}</ul>`;
    case "orderedList": {
      const start = listStart(node);
      return `<ol${start !== 1 ? ` start="${start}"` : ""}>${kids(node)
        .map((item) => htmlBlock(item, options))
        .join("")}</ol>`;
    }
    case "listItem":
      return `<li>${htmlFlow(kids(node), options)}</li>`;
    case "blockquote":
      return `<blockquote>${htmlBlocks(kids(node), options)}</blockquote>`;
    case "codeBlock":
      return `<pre><code>${escapeHtml(plainContent(node))}</code></pre>`;
    case "horizontalRule":
      return "<hr>";
    case "table":
      return htmlTable(node, options);
    case "text":
    case "hardBreak":
      return htmlBlock({ type: "paragraph", content: [node] }, options);
    default:
      return hasInline(node) ? htmlBlock({ type: "paragraph", content: kids(node) }, options) : htmlBlocks(kids(node), options);
  }
}

/**
 * The answer as HTML to paste into an email or chat tool. Built from an allow-list, not by
 * cleaning the page's HTML: p, br, strong, em, s, u, code, pre, a (http, https, mailto, tel;
 * rel="noopener noreferrer"), ul, ol (start), li, blockquote, h1–h4, hr, table, thead, tbody,
 * tr, th, td (colspan, rowspan). No class or style; every text and attribute escaped.
 */
export function toReplyHtml(doc: JSONContent, options: ReplyOptions = {}): string {
  return htmlBlocks(roots(doc), options);
}

// ─── One message per channel ──────────────────────────────────────────────────────────────────

/** Text with blank lines as paragraphs and single newlines as breaks. */
function textToHtml(text: string): string {
  return tidy(text.split("\n"))
    .split(/\n\n/)
    .filter((p) => p.trim())
    .map((p) => `<p>${p.split("\n").map(escapeHtml).join("<br>")}</p>`)
    .join("");
}

const joinParts = (...parts: (string | null | undefined)[]) => tidy(parts.filter((p): p is string => !!p?.trim()).join("\n\n").split("\n"));

/**
 * The short answer cut at a word boundary so that it, and the FAQ link after a space, fit in
 * SOCIAL_LIMIT (counted in UTF-16 code units, which is never less than characters: a post
 * that fits by this count fits by any). A link too long to leave room for words is left out.
 */
function socialPost(shortAnswer: string, faqUrl: string | null): { words: string; link: string | null } {
  const answer = shortAnswer.replace(/\s+/g, " ").trim();
  const url = faqUrl?.trim() ?? "";
  const link = url && /^https?:\/\//i.test(url) && replyHref(url) && url.length + 2 <= SOCIAL_LIMIT ? url : null;
  const room = SOCIAL_LIMIT - (link ? link.length + 1 : 0);
  if (answer.length <= room) return { words: answer, link };
  const limit = room - 1; // for the "…"
  let end = answer[limit] === " " ? limit : answer.lastIndexOf(" ", limit);
  if (end <= 0) {
    // One word longer than the room: cut it, never in the middle of a surrogate pair.
    end = limit;
    if (/[\ud800-\udbff]/.test(answer[end - 1] ?? "")) end--;
  }
  const words = answer.slice(0, end).replace(/[\s,;:.–—-]+$/, "");
  return { words: `${words}…`, link };
}

/**
 * What the agent pastes, per channel:
 * - social: the short answer and the FAQ link within SOCIAL_LIMIT characters;
 * - chat: the short answer, a blank line, the full answer;
 * - email: the full answer, a blank line, the sign-off;
 * - phone: a script to read aloud: the short answer, then the full answer with no address
 *   spelled out, steps as "First, … Second, …" and table rows as "Header: value, …".
 */
export function channelReply(channel: ReplyChannel, input: ReplyInput): { text: string; html: string } {
  const options: ReplyOptions = { baseUrl: input.baseUrl ?? null };
  const short = tidy(input.shortAnswer.split(/\r?\n/));
  switch (channel) {
    case "social": {
      const { words, link } = socialPost(input.shortAnswer, input.faqUrl);
      const anchor = link ? `<a href="${escapeHtml(link)}" rel="${REPLY_LINK_REL}">${escapeHtml(link)}</a>` : "";
      return {
        text: [words, link].filter(Boolean).join(" "),
        html: words || link ? `<p>${[escapeHtml(words), anchor].filter(Boolean).join(" ")}</p>` : "",
      };
    }
    case "chat":
      return { text: joinParts(short, toPlainText(input.body, options)), html: textToHtml(short) + toReplyHtml(input.body, options) };
    case "email": {
      const signOff = tidy((input.signOff ?? "").split(/\r?\n/));
      return { text: joinParts(toPlainText(input.body, options), signOff), html: toReplyHtml(input.body, options) + textToHtml(signOff) };
    }
    case "phone": {
      const script = joinParts(spokenText(short), toPhoneScript(input.body, options));
      return { text: script, html: textToHtml(script) };
    }
    default: {
      const unknown: never = channel;
      throw new RangeError(`No reply format for the channel “${String(unknown)}”.`);
    }
  }
}
