import type { JSONContent } from "@tiptap/core";
import { Fragment, Mark, type Node, Schema, type MarkSpec } from "@tiptap/pm/model";
import { diffArrays, diffWords } from "diff";
import { clampSpans, documentFromPlainText, editorSchema } from "../editor/document.server";
import { LINK_REL } from "../editor/extensions";
import { htmlSerializer } from "../editor/html.server";

// A rendered diff for reviewers: the new version as it will read, with what was added in <ins>
// and what was removed in <del>, block by block. Both versions are parsed into one schema (the
// editor's, plus three marks for the diff) and merged into a single document, which the editor's
// own serializer writes: text escaped, only the schema's tags, links with our rel. A word diff of
// plain text (the old way) lost paragraph breaks and could not see a word turn bold or a link
// change its address.

/** `title` says what changed when only the formatting did (there is no visible text change). */
const diffMark = (tag: "ins" | "del"): MarkSpec => ({
  attrs: { title: { default: null }, class: { default: null } },
  // Never merged away or refused by another mark (code excludes all others in the editor).
  excludes: "",
  toDOM: (mark) => [tag, { title: mark.attrs.title as string | null, class: mark.attrs.class as string | null }, 0],
});

const schema = new Schema({
  nodes: editorSchema.spec.nodes,
  marks: editorSchema.spec.marks.append({ diffIns: diffMark("ins"), diffDel: diffMark("del") }),
});
const toHtml = htmlSerializer(schema, { link: { set: { rel: LINK_REL }, remove: ["target"] } });

export interface RenderedDiff {
  /** Safe HTML: the new version with insertions and deletions marked. */
  html: string;
  changed: boolean;
}

/** Two stored documents (Tiptap JSON) as one rendered diff. */
export function documentDiff(before: JSONContent, after: JSONContent): RenderedDiff {
  const a = schema.nodeFromJSON(clampSpans(before));
  const b = schema.nodeFromJSON(clampSpans(after));
  if (a.eq(b)) return { html: toHtml(b.content), changed: false };
  return { html: toHtml(Fragment.from(diffChildren(a.content, b.content))), changed: true };
}

/**
 * Plain text (question, short answer, other phrasings): a word diff that keeps paragraphs
 * (blank lines) and line breaks, through the same machinery.
 */
export function textDiff(before: string, after: string): RenderedDiff {
  return documentDiff(documentFromPlainText(before), documentFromPlainText(after));
}

/** What a reviewer compares: one version's words, or the snapshot of what they last decided on. */
export interface ComparedText {
  question: string;
  alternatives: string[];
  shortAnswer: string;
  /** The stored document (Tiptap JSON); absent in snapshots taken before it was kept. */
  body?: unknown;
  bodyText: string;
}

export interface ReviewDiff {
  question: RenderedDiff;
  /** One paragraph per phrasing. */
  alternatives: RenderedDiff;
  shortAnswer: RenderedDiff;
  body: RenderedDiff;
  changed: boolean;
}

/** Everything a reviewer reads, before against after, each part as a rendered diff. */
export function reviewDiff(before: ComparedText, after: ComparedText): ReviewDiff {
  const diff = {
    question: textDiff(before.question, after.question),
    alternatives: textDiff(before.alternatives.join("\n\n"), after.alternatives.join("\n\n")),
    shortAnswer: textDiff(before.shortAnswer, after.shortAnswer),
    body: bodyDiff(before, after),
  };
  return { ...diff, changed: Object.values(diff).some((d) => d.changed) };
}

function bodyDiff(before: ComparedText, after: ComparedText): RenderedDiff {
  if (isDocument(before.body) && isDocument(after.body)) {
    try {
      return documentDiff(before.body, after.body);
    } catch {
      // A document this schema cannot read (stored by an older editor): its words, below.
    }
  }
  // An old snapshot kept only the text: paragraphs and words, without formatting.
  return textDiff(before.bodyText, after.bodyText);
}

const isDocument = (v: unknown): v is JSONContent => !!v && typeof v === "object" && (v as { type?: unknown }).type === "doc";

// ---------------------------------------------------------------------------------------------
// Blocks: paragraphs, headings, list items, table rows and cells, each matched with its
// counterpart, then compared inside.

const children = (f: Fragment): Node[] => {
  const out: Node[] = [];
  f.forEach((n) => out.push(n));
  return out;
};

// (Not textContent: it runs the blocks inside a list or a row together, "Card" + "Cash" = "CardCash".)
const wordCache = new WeakMap<Node, string[]>();
const words = (n: Node): string[] => {
  let found = wordCache.get(n);
  if (!found) wordCache.set(n, (found = (n.isText ? n.text! : n.textBetween(0, n.content.size, " ", " ")).toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []));
  return found;
};

/** How alike two blocks read, 0–1: shared words over all words (Dice). */
function similarity(a: Node, b: Node): number {
  const wa = words(a);
  const wb = words(b);
  if (wa.length === 0 && wb.length === 0) return 1;
  const counts = new Map<string, number>();
  for (const w of wa) counts.set(w, (counts.get(w) ?? 0) + 1);
  let shared = 0;
  for (const w of wb) {
    const c = counts.get(w) ?? 0;
    if (c > 0) {
      shared++;
      counts.set(w, c - 1);
    }
  }
  return (2 * shared) / (wa.length + wb.length);
}

/** Below this, a changed block reads as one removed and another added, not as one edited. */
const SAME_BLOCK = 0.4;
/**
 * Past this many comparisons (a whole long answer rewritten), removed and added blocks are shown
 * as they are, unpaired: pairing them would cost seconds on the largest documents.
 */
const MAX_COMPARISONS = 20_000;

interface Change<T> {
  value: T[];
  added: boolean;
  removed: boolean;
}

/** A removal and an addition side by side (jsdiff may list either first) are one replacement. */
function replacement<T>(change: Change<T>, next: Change<T> | undefined): { removed: T[]; added: T[]; skip: number } {
  const pairs = !!next && (change.removed ? next.added : next.removed);
  const removed = change.removed ? change.value : pairs ? next.value : [];
  const added = change.added ? change.value : pairs ? next.value : [];
  return { removed, added, skip: pairs ? 1 : 0 };
}

/**
 * `cells`: the children are a row's cells, columns that keep their place: a changed cell is that
 * cell edited, however different its text, never a column removed and another added.
 */
function diffChildren(before: Fragment, after: Fragment, cells = false): Node[] {
  const out: Node[] = [];
  const changes = diffArrays(children(before), children(after), { comparator: (x, y) => x.eq(y) });
  for (let i = 0; i < changes.length; i++) {
    const change = changes[i]!;
    if (!change.added && !change.removed) {
      out.push(...change.value);
      continue;
    }
    // A run of removed blocks next to a run of added ones (in either order): pair the alike ones, in order.
    const { removed, added, skip } = replacement(change, changes[i + 1]);
    i += skip;
    // Each added block's counterpart among the removed ones (-1: none), in order. One block
    // replaced by one of its kind is that block edited, however much its words changed.
    const threshold = cells || (removed.length === 1 && added.length === 1) ? 0 : removed.length * added.length > MAX_COMPARISONS ? Infinity : SAME_BLOCK;
    const partner: number[] = [];
    let after = 0;
    for (const b of added) {
      let best = -1;
      let bestScore = threshold;
      if (threshold === Infinity) {
        partner.push(best);
        continue;
      }
      for (let j = after; j < removed.length; j++) {
        const a = removed[j]!;
        if (a.type !== b.type) continue;
        const score = similarity(a, b);
        if (score >= bestScore && (best < 0 || score > bestScore)) {
          best = j;
          bestScore = score;
        }
      }
      partner.push(best);
      if (best >= 0) after = best + 1;
    }
    // Removed blocks are shown where they were: before the added ones that follow them.
    let from = 0;
    const deleteUpTo = (end: number) => {
      for (; from < end; from++) out.push(marked(removed[from]!, "diffDel"));
    };
    added.forEach((b, k) => {
      const j = partner[k]!;
      if (j >= 0) {
        deleteUpTo(j);
        from = j + 1;
        out.push(...diffPair(removed[j]!, b));
      } else {
        deleteUpTo(partner.slice(k + 1).find((p) => p >= 0) ?? removed.length);
        out.push(marked(b, "diffIns"));
      }
    });
    deleteUpTo(removed.length);
  }
  return out;
}

/** Two blocks of one type that match up: compared inside; their own attributes changed means replaced. */
function diffPair(a: Node, b: Node): Node[] {
  if (a.eq(b)) return [b];
  if (!sameAttrs(a, b)) {
    // A heading's level, a list's start, a cell's span: the block as it was, and as it is.
    const what = `Changed: ${describeAttrs(a, b)}`;
    return [marked(a, "diffDel", what), marked(b, "diffIns", what)];
  }
  if (b.isTextblock) return [b.copy(Fragment.from(diffInline(a, b)))];
  if (b.isLeaf) return [b];
  return [b.copy(Fragment.from(diffChildren(a.content, b.content, b.type.name === "tableRow")))];
}

function sameAttrs(a: Node, b: Node): boolean {
  return JSON.stringify(a.attrs) === JSON.stringify(b.attrs);
}

function describeAttrs(a: Node, b: Node): string {
  if (a.type.name === "heading") return `heading level ${String(a.attrs.level)} → ${String(b.attrs.level)}`;
  const keys = Object.keys(b.attrs).filter((k) => JSON.stringify(a.attrs[k]) !== JSON.stringify(b.attrs[k]));
  return `${a.type.name} ${keys.join(", ")}`;
}

/** The block with all its text marked as added or removed. */
function marked(node: Node, kind: "diffIns" | "diffDel", title: string | null = null): Node {
  const mark = schema.marks[kind]!.create({ title });
  const walk = (n: Node): Node => {
    if (n.isText) return n.mark(Mark.setFrom([...n.marks, mark]));
    if (n.isLeaf) return n;
    return n.copy(Fragment.from(children(n.content).map(walk)));
  };
  return walk(node);
}

// ---------------------------------------------------------------------------------------------
// Inside a paragraph: words, each with its formatting.

interface Token {
  /** A word, a run of spaces or one other character; or a hard break. */
  node: Node;
  key: string;
  text: string;
}

const TOKEN = /\s+|[\p{L}\p{N}_'’-]+|[^\s\p{L}\p{N}_'’-]/gu;

function tokens(block: Node): Token[] {
  const out: Token[] = [];
  block.forEach((n) => {
    const marks = JSON.stringify(n.marks.map((m) => m.toJSON()));
    if (!n.isText) {
      out.push({ node: n, key: `${n.type.name}\u0000${marks}`, text: n.type.name === "hardBreak" ? "\n" : "" });
      return;
    }
    for (const m of n.text!.matchAll(TOKEN)) out.push({ node: n.type.schema.text(m[0], n.marks), key: `${m[0]}\u0000${marks}`, text: m[0] });
  });
  return out;
}

function diffInline(a: Node, b: Node): Node[] {
  const out: Node[] = [];
  const changes = diffArrays(tokens(a), tokens(b), { comparator: (x, y) => x.key === y.key });
  const withMark = (t: Token, kind: "diffIns" | "diffDel", title: string | null, cls: string | null) => {
    const mark = schema.marks[kind]!.create({ title, class: cls });
    return t.node.isText ? t.node.mark(Mark.setFrom([...t.node.marks, mark])) : t.node;
  };
  for (let i = 0; i < changes.length; i++) {
    const change = changes[i]!;
    if (!change.added && !change.removed) {
      out.push(...change.value.map((t) => t.node));
      continue;
    }
    const { removed, added, skip } = replacement(change, changes[i + 1]);
    i += skip;
    const text = (ts: Token[]) => ts.map((t) => t.text).join("");
    // Same words, other formatting: both shown, each saying what changed (no visible text change
    // otherwise, and a tooltip alone is not seen on a phone).
    const formatting = removed.length > 0 && text(removed) === text(added) ? `Formatting changed: ${describeMarks(removed, added)}` : null;
    const cls = formatting ? "diff-format" : null;
    out.push(...removed.map((t) => withMark(t, "diffDel", formatting, cls)));
    out.push(...added.map((t) => withMark(t, "diffIns", formatting, cls)));
  }
  return out;
}

const MARK_NAMES: Record<string, string> = { bold: "bold", italic: "italic", strike: "struck through", code: "code", underline: "underlined", link: "link" };

/** "now bold; link https://a → https://b" */
function describeMarks(before: Token[], after: Token[]): string {
  const collect = (ts: Token[]) => {
    const found = new Map<string, Mark>();
    for (const t of ts) for (const m of t.node.marks) found.set(m.type.name, m);
    return found;
  };
  const was = collect(before);
  const now = collect(after);
  const said: string[] = [];
  const href = (m: Mark | undefined) => String((m?.attrs as { href?: unknown } | undefined)?.href ?? "");
  for (const [name, mark] of now) {
    const label = MARK_NAMES[name] ?? name;
    if (!was.has(name)) said.push(name === "link" ? `now a link to ${href(mark)}` : `now ${label}`);
    else if (!was.get(name)!.eq(mark)) said.push(name === "link" ? `link ${href(was.get(name))} → ${href(mark)}` : `${label} changed`);
  }
  for (const [name, mark] of was) {
    if (!now.has(name)) said.push(name === "link" ? `no longer a link to ${href(mark)}` : `no longer ${MARK_NAMES[name] ?? name}`);
  }
  return said.join("; ") || "formatting";
}

// ---------------------------------------------------------------------------------------------
// The side-by-side word diff of plain text, still used by the wiki's history and the edit-conflict
// page (the review page uses the rendered diff above).

export interface DiffSide {
  parts: { text: string; kind: "same" | "removed" | "added" }[];
}

/** A side-by-side word diff: the old text with removals marked, the new with additions marked. */
export function sideBySide(before: string, after: string): { before: DiffSide; after: DiffSide; changed: boolean } {
  const changes = diffWords(before, after);
  return {
    before: { parts: changes.filter((c) => !c.added).map((c) => ({ text: c.value, kind: c.removed ? "removed" : "same" })) },
    after: { parts: changes.filter((c) => !c.removed).map((c) => ({ text: c.value, kind: c.added ? "added" : "same" })) },
    changed: changes.some((c) => c.added || c.removed),
  };
}
