import { getSchema, type JSONContent } from "@tiptap/core";
import { generateJSON } from "@tiptap/html/server";
import { Node, type Schema } from "@tiptap/pm/model";
import { htmlSerializer } from "./html.server";
import { extensions, isSafeHref, LINK_REL, TABLE_LIMITS, tableLimitProblem } from "./extensions";

/** Larger documents are refused before anything else looks at them. */
export const MAX_DOCUMENT_BYTES = 200 * 1024;
const MAX_DEPTH = 50;

// Built once: generateHTML would rebuild the schema (about 9 ms) on every call.
const schema: Schema = getSchema(extensions);
/** The editor's schema, for modules that build documents of their own (the review diff). */
export const editorSchema = schema;
// Also here, not only at validation: documents stored before that rule still render links safely.
const toHtml = htmlSerializer(schema, { link: { set: { rel: LINK_REL }, remove: ["target"] } });

export type Validation = { ok: true; doc: JSONContent } | { ok: false; message: string };

const hasOwn = (o: object, key: string) => Object.prototype.hasOwnProperty.call(o, key);
const isInt = (v: unknown, min: number, max: number) => typeof v === "number" && Number.isInteger(v) && v >= min && v <= max;
const nullOr = (test: (v: unknown) => boolean) => (v: unknown) => v === null || test(v);
const token = (v: unknown) => typeof v === "string" && /^[\w#+.-]{1,40}$/.test(v);

/**
 * What an attribute's value may be, where the schema itself does not say (Tiptap declares no
 * `validate`): values are escaped on output, but a heading level 1 or a colspan of "1 onclick"
 * is still not something the editor produces, so it is refused rather than stored.
 */
const ATTR_VALUES: Record<string, Record<string, (v: unknown) => boolean>> = {
  heading: { level: (v) => v === 2 || v === 3 || v === 4 },
  orderedList: { start: nullOr((v) => isInt(v, -1_000_000, 1_000_000)), type: nullOr(token) },
  codeBlock: { language: nullOr(token) },
  tableCell: {
    colspan: (v) => isInt(v, 1, TABLE_LIMITS.span),
    rowspan: (v) => isInt(v, 1, TABLE_LIMITS.span),
    colwidth: nullOr((v) => Array.isArray(v) && v.every(nullOr((w) => isInt(w, 0, 100_000)))),
  },
  link: { title: nullOr((v) => typeof v === "string" && v.length <= 500) },
};
ATTR_VALUES.tableHeader = ATTR_VALUES.tableCell!;

function attrsProblem(typeName: string, what: string, attrs: unknown, allowed: Record<string, unknown> | undefined): string | null {
  if (attrs === undefined) return null;
  if (!attrs || typeof attrs !== "object" || Array.isArray(attrs)) return `${what} has malformed attributes.`;
  for (const [key, value] of Object.entries(attrs)) {
    // hasOwn, not `in`: `constructor` or `__proto__` must not pass as a declared attribute.
    if (!allowed || !hasOwn(allowed, key)) return `${what} has an attribute “${key}” the editor does not allow.`;
    const valid = ATTR_VALUES[typeName]?.[key];
    if (valid && value !== undefined && !valid(value)) {
      if ((key === "colspan" || key === "rowspan") && typeof value === "number") {
        return `A table cell spans ${value} ${key === "colspan" ? "columns" : "rows"}; the limit is ${TABLE_LIMITS.span}.`;
      }
      return `${what} has an invalid “${key}”.`;
    }
  }
  return null;
}

function walk(node: unknown, depth: number): string | null {
  if (depth > MAX_DEPTH) return `The answer is nested more than ${MAX_DEPTH} levels deep.`;
  if (!node || typeof node !== "object" || Array.isArray(node)) return "The answer contains something that is not a node.";
  const n = node as { type?: unknown; attrs?: unknown; marks?: unknown; content?: unknown; text?: unknown };
  if (typeof n.type !== "string") return "The answer contains a node without a type.";
  const type = schema.nodes[n.type];
  if (!type) return `The answer contains “${n.type}”, which the editor does not allow.`;
  const nodeAttrs = attrsProblem(n.type, `“${n.type}”`, n.attrs, type.spec.attrs);
  if (nodeAttrs) return nodeAttrs;
  if (n.marks !== undefined) {
    if (!Array.isArray(n.marks)) return `“${n.type}” has malformed formatting.`;
    for (const mark of n.marks as unknown[]) {
      const m = mark as { type?: unknown; attrs?: Record<string, unknown> };
      if (!m || typeof m.type !== "string" || !schema.marks[m.type]) return `The answer uses formatting “${String(m?.type)}” the editor does not allow.`;
      const markAttrs = attrsProblem(m.type, `The “${m.type}” formatting`, m.attrs, schema.marks[m.type]!.spec.attrs);
      if (markAttrs) return markAttrs;
      if (m.type === "link" && !isSafeHref(m.attrs?.href)) {
        return "A link must be a web address (http or https), an email (mailto:) or a phone number (tel:).";
      }
    }
  }
  if (n.text !== undefined && typeof n.text !== "string") return "The answer contains malformed text.";
  if (n.content !== undefined) {
    if (!Array.isArray(n.content)) return `“${n.type}” has malformed content.`;
    for (const child of n.content as unknown[]) {
      const problem = walk(child, depth + 1);
      if (problem) return problem;
    }
  }
  return null;
}

/**
 * Link `rel`, `target` and `class` are schema attributes that pasted or imported HTML fills in
 * (`rel="opener" target="_blank"`), invisible to the author: reset rather than refuse them, so
 * every stored link carries our `rel` and no target. Mutates the fresh copy from `toJSON()`.
 */
function normalizeLinks(node: JSONContent): JSONContent {
  for (const mark of node.marks ?? []) {
    if (mark.type === "link" && mark.attrs) Object.assign(mark.attrs, { rel: LINK_REL, target: null, class: null });
  }
  for (const child of node.content ?? []) normalizeLinks(child);
  return node;
}

/**
 * Checks submitted Tiptap JSON against the editor's schema: size, node and mark types, their
 * attributes, link protocols, nesting and structure. Only a document that passes is stored.
 */
export function validateDocument(json: unknown): Validation {
  let size: number;
  try {
    size = Buffer.byteLength(JSON.stringify(json) ?? "", "utf8");
  } catch {
    return { ok: false, message: "The answer could not be read." };
  }
  if (size > MAX_DOCUMENT_BYTES) {
    return { ok: false, message: `The answer is too long (${Math.round(size / 1024)} KB); the limit is ${MAX_DOCUMENT_BYTES / 1024} KB.` };
  }
  const root = json as { type?: unknown } | null;
  if (!root || typeof root !== "object" || root.type !== "doc") return { ok: false, message: "The answer is not a rich-text document." };
  const problem = walk(json, 0);
  if (problem) return { ok: false, message: problem };
  try {
    const node = Node.fromJSON(schema, json);
    node.check();
    const tables = tableLimitProblem(node);
    if (tables) return { ok: false, message: tables };
    return { ok: true, doc: normalizeLinks(node.toJSON() as JSONContent) };
  } catch (error) {
    return { ok: false, message: `The answer's structure is not valid: ${(error as Error).message}` };
  }
}

/**
 * A document stored before the table limits may hold a span bomb (spans of 1,000: a 1.3 MB page
 * and 100+ ms per render). Rendering clamps its spans to the limit; a document within the limits
 * is returned as it is, not copied.
 */
export function clampSpans(node: JSONContent): JSONContent {
  let content = node.content;
  if (content) {
    let copied = false;
    for (let i = 0; i < content.length; i++) {
      const child = content[i]!;
      const clamped = child.type === "text" ? child : clampSpans(child);
      if (clamped !== child) {
        if (!copied) content = [...content];
        copied = true;
        content[i] = clamped;
      }
    }
  }
  const attrs = node.attrs as { colspan?: unknown; rowspan?: unknown } | undefined;
  const over = (v: unknown) => typeof v === "number" && v > TABLE_LIMITS.span;
  const spans = (node.type === "tableCell" || node.type === "tableHeader") && attrs && (over(attrs.colspan) || over(attrs.rowspan));
  if (content === node.content && !spans) return node;
  return {
    ...node,
    ...(content ? { content } : {}),
    ...(spans
      ? { attrs: { ...attrs, colspan: Math.min(Number(attrs.colspan) || 1, TABLE_LIMITS.span), rowspan: Math.min(Number(attrs.rowspan) || 1, TABLE_LIMITS.span) } }
      : {}),
  };
}

/**
 * Safe HTML and plain text of a validated document, with the schema built once. The text is
 * for indexing and copying; never insert it into a page as HTML.
 */
export function renderDocument(doc: JSONContent): { html: string; text: string } {
  const node = Node.fromJSON(schema, clampSpans(doc));
  const html = toHtml(node.content);
  const text = node.textBetween(0, node.content.size, "\n\n", (leaf) => (leaf.type.name === "hardBreak" ? "\n" : "")).trim();
  return { html, text };
}

export function emptyDocument(): JSONContent {
  return { type: "doc", content: [{ type: "paragraph" }] };
}

/** Plain text to a document: paragraphs split on blank lines, single newlines kept as breaks. */
export function documentFromPlainText(text: string): JSONContent {
  const paragraphs = text.replace(/\r\n?/g, "\n").split(/\n{2,}/).map((p) => p.trim()).filter(Boolean);
  if (paragraphs.length === 0) return emptyDocument();
  return {
    type: "doc",
    content: paragraphs.map((p) => ({
      type: "paragraph",
      content: p.split("\n").flatMap((line, i) => [...(i > 0 ? [{ type: "hardBreak" }] : []), ...(line ? [{ type: "text", text: line }] : [])]),
    })),
  };
}

/**
 * HTML (e.g. an imported FAQ) to a document: parsed by the editor's own schema, so anything it
 * does not know (scripts, styles, event handlers) is dropped, then validated like any input.
 */
export function documentFromHtml(html: string): Validation {
  return validateDocument(generateJSON(html, extensions));
}

const escapeHtml = (s: string) => s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);

/**
 * Plain text straight to the document, HTML and text that renderDocument would give, without a
 * DOM: bulk imports of plain-text FAQs are dominated by rendering otherwise.
 */
export function renderPlainText(text: string): { doc: JSONContent; html: string; text: string } {
  const doc = documentFromPlainText(text);
  const paragraphs = (doc.content ?? []).map((p) => (p.content ?? []).map((n) => (n.type === "hardBreak" ? "\n" : (n.text ?? ""))).join(""));
  const html = paragraphs.map((p) => (p ? `<p>${p.split("\n").map(escapeHtml).join("<br>")}</p>` : "<p></p>")).join("");
  return { doc, html, text: paragraphs.join("\n\n").trim() };
}
