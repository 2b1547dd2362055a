import { Extension, type Extensions } from "@tiptap/core";
import { Table, TableCell, TableHeader, TableRow } from "@tiptap/extension-table";
import type { Node as PmNode } from "@tiptap/pm/model";
import { Plugin, PluginKey } from "@tiptap/pm/state";
import StarterKit from "@tiptap/starter-kit";

/** The only link protocols an answer may carry; everything else (javascript:, data:, …) is refused. */
export const LINK_PROTOCOLS = ["http", "https", "mailto", "tel"] as const;

/** Every rendered link carries this: no window.opener, no referrer, no search-engine credit. */
export const LINK_REL = "noopener noreferrer nofollow";

/**
 * Is this href allowed? Relative links (`/answers/…`, `#section`) and the protocols above.
 * Control characters and whitespace are stripped first, as browsers do (`java\nscript:`).
 */
export function isSafeHref(href: unknown): boolean {
  if (typeof href !== "string") return false;
  // eslint-disable-next-line no-control-regex
  const cleaned = href.replace(/[\u0000-\u0020\u007f-\u009f]/g, "").toLowerCase();
  if (cleaned === "") return false;
  const scheme = /^([a-z][a-z0-9+.-]*):/.exec(cleaned);
  // Browsers read `/\host` and `\\host` like `//host`: a link to another site in disguise.
  if (!scheme) return !/^[\\/]{2}/.test(cleaned);
  return (LINK_PROTOCOLS as readonly string[]).includes(scheme[1]!);
}

/**
 * How big a table may be. A "span bomb" (cells spanning 1,000 rows and columns) once made a
 * 150 KB page render 40,000 columns: seconds of server time per view and a browser that never
 * finished. Spans and sizes are bounded here, in the editor (which refuses to grow a table
 * past them) and in the server's validator (which refuses to store one), so any stored document
 * renders in milliseconds (npm run bench:render).
 */
export const TABLE_LIMITS = {
  /** colspan and rowspan of one cell */
  span: 20,
  rows: 100,
  columns: 30,
  /** grid slots (merged ones included) over all tables of one document */
  cellsPerDocument: 10_000,
} as const;

/** Number of grid slots of a table, or a sentence saying which limit it breaks. */
export function measureTable(table: PmNode): { slots: number } | { problem: string } {
  const rows = table.childCount;
  if (rows > TABLE_LIMITS.rows) return { problem: `A table has ${rows} rows; the limit is ${TABLE_LIMITS.rows}.` };
  // Which slots earlier rows' rowspans already cover: at most rows × (columns + span) flags.
  const width = TABLE_LIMITS.columns + TABLE_LIMITS.span;
  const busy = new Uint8Array(rows * width);
  let slots = 0;
  for (let r = 0; r < rows; r++) {
    const row = table.child(r);
    let col = 0;
    for (let c = 0; c < row.childCount; c++) {
      const { colspan, rowspan } = row.child(c).attrs as { colspan: unknown; rowspan: unknown };
      for (const [name, span] of [["columns", colspan], ["rows", rowspan]] as const) {
        if (typeof span !== "number" || !Number.isInteger(span) || span < 1 || span > TABLE_LIMITS.span) {
          return { problem: `A table cell spans ${String(span)} ${name}; the limit is ${TABLE_LIMITS.span}.` };
        }
      }
      while (col < TABLE_LIMITS.columns && busy[r * width + col]) col++;
      const cs = colspan as number;
      if (col + cs > TABLE_LIMITS.columns) return { problem: `A table is wider than ${TABLE_LIMITS.columns} columns.` };
      const lastRow = Math.min(rows, r + (rowspan as number));
      for (let rr = r; rr < lastRow; rr++) busy.fill(1, rr * width + col, rr * width + col + cs);
      slots += cs * (lastRow - r);
      col += cs;
    }
  }
  return { slots };
}

/** The first table limit a document breaks, or null. */
export function tableLimitProblem(doc: PmNode): string | null {
  let slots = 0;
  let problem: string | null = null;
  doc.descendants((node) => {
    if (problem) return false;
    if (node.type.name !== "table") return !node.isTextblock;
    const measured = measureTable(node);
    if ("problem" in measured) problem = measured.problem;
    else if ((slots += measured.slots) > TABLE_LIMITS.cellsPerDocument) problem = `The tables have more than ${TABLE_LIMITS.cellsPerDocument.toLocaleString("en")} cells in all.`;
    return false;
  });
  return problem;
}

/** Pasted or imported HTML: a span beyond the limit becomes the limit rather than a refusal. */
const spanAttribute = (name: "colspan" | "rowspan") => ({
  default: 1,
  parseHTML: (element: HTMLElement) => {
    const value = Number.parseInt(element.getAttribute(name) ?? "1", 10);
    return Number.isFinite(value) && value >= 1 ? Math.min(value, TABLE_LIMITS.span) : 1;
  },
});

const BoundedTableCell = TableCell.extend({
  addAttributes() {
    return { ...this.parent?.(), colspan: spanAttribute("colspan"), rowspan: spanAttribute("rowspan") };
  },
});
const BoundedTableHeader = TableHeader.extend({
  addAttributes() {
    return { ...this.parent?.(), colspan: spanAttribute("colspan"), rowspan: spanAttribute("rowspan") };
  },
});

/**
 * In the browser editor: a change that would take a table past the limits (adding the 101st
 * row, merging into a huge span, pasting a giant table) does not happen. A document that was
 * already over them (stored before the limits) can still be edited down.
 */
export function tableLimitsPlugin(): Plugin {
  return new Plugin({
    key: new PluginKey("tableLimits"),
    filterTransaction: (tr, state) => !tr.docChanged || tableLimitProblem(tr.doc) === null || tableLimitProblem(state.doc) !== null,
  });
}

const TableLimits = Extension.create({
  name: "tableLimits",
  addProseMirrorPlugins: () => [tableLimitsPlugin()],
});

/** THE extension list: the browser editor and the server's schema, renderer and validator share it. */
export const extensions: Extensions = [
  StarterKit.configure({
    heading: { levels: [2, 3, 4] },
    link: {
      openOnClick: false,
      autolink: true,
      protocols: ["mailto", "tel"],
      defaultProtocol: "https",
      isAllowedUri: (url) => isSafeHref(url),
      HTMLAttributes: { rel: LINK_REL, target: null },
    },
  }),
  Table.configure({ resizable: false }),
  TableRow,
  BoundedTableHeader,
  BoundedTableCell,
  TableLimits,
];
