// ProseMirror document → HTML string, without a DOM. DOMSerializer into happy-dom took 40–600 ms
// for a 200 KB document (most of it allocating DOM nodes and Tiptap merging attributes per node),
// and wiki pages render on every view. This is the same algorithm as DOMSerializer
// (prosemirror-model: marks kept open across siblings, one content hole, arrays smuggled in
// through attributes refused), writing strings; each node's own tags come from the schema's
// toDOM, computed once per distinct attribute set. tests/unit/editor-limits.test.ts checks it
// gives the same DOM as DOMSerializer into happy-dom.
import type { DOMOutputSpec, Fragment, Mark, Node, Schema } from "@tiptap/pm/model";

const VOID = new Set(["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"]);
// Their content is not escaped by browsers' serializers; the schema renders none, so one
// appearing means something is wrong: refuse rather than write it.
const RAW_TEXT = new Set(["script", "style", "xmp", "iframe", "noembed", "noframes", "plaintext", "noscript", "textarea", "title"]);
const NAME = /^[a-zA-Z][a-zA-Z0-9:-]*$/;

const TEXT_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\u00a0": "&nbsp;" };
const ATTR_ESCAPES: Record<string, string> = { ...TEXT_ESCAPES, '"': "&quot;" };
export const escapeText = (s: string) => s.replace(/[&<>\u00a0]/g, (c) => TEXT_ESCAPES[c]!);
const escapeAttr = (s: string) => s.replace(/[&<>"\u00a0]/g, (c) => ATTR_ESCAPES[c]!);

/** A node's or mark's tags around its content (the hole), as strings. */
interface Rendered {
  open: string;
  close: string;
  hole: boolean;
}

export interface HtmlOptions {
  /** Attributes every `<a>` gets (replacing its own), and ones it must not have. */
  link: { set: Record<string, string>; remove: string[] };
}

/** Arrays inside attribute values: a toDOM returning one of them is an injection attempt. */
function arraysIn(attrs: Record<string, unknown>): unknown[] {
  const found: unknown[] = [];
  const scan = (v: unknown) => {
    if (!v || typeof v !== "object") return;
    if (Array.isArray(v)) {
      if (typeof v[0] === "string") found.push(v);
      else v.forEach(scan);
    } else Object.values(v).forEach(scan);
  };
  scan(attrs);
  return found;
}

function renderSpec(spec: DOMOutputSpec, options: HtmlOptions, blocked: unknown[]): Rendered {
  if (typeof spec === "string") return { open: escapeText(spec), close: "", hole: false };
  if (!Array.isArray(spec) || typeof spec[0] !== "string") throw new RangeError("The renderer only writes array specs.");
  if (blocked.includes(spec)) throw new RangeError("Using an array from an attribute object as a DOM spec. This may be an attempted cross site scripting attack.");
  let tag = spec[0];
  const space = tag.indexOf(" ");
  if (space > 0) tag = tag.slice(space + 1);
  tag = tag.toLowerCase();
  if (!NAME.test(tag) || RAW_TEXT.has(tag)) throw new RangeError(`The renderer does not write <${tag}>.`);
  const attrs: [string, string][] = [];
  let start = 1;
  const maybeAttrs = spec[1] as unknown;
  if (maybeAttrs && typeof maybeAttrs === "object" && !Array.isArray(maybeAttrs) && (maybeAttrs as { nodeType?: unknown }).nodeType == null) {
    start = 2;
    for (const [rawName, value] of Object.entries(maybeAttrs as Record<string, unknown>)) {
      if (value == null) continue;
      const name = (rawName.indexOf(" ") > 0 ? rawName.slice(rawName.indexOf(" ") + 1) : rawName).toLowerCase();
      if (!NAME.test(name)) throw new RangeError(`The renderer does not write the attribute “${name}”.`);
      let text = String(value);
      // DOMSerializer sets style through style.cssText, which a DOM reads back ending in ";".
      if (name === "style") {
        text = text.trim();
        if (!text) continue;
        if (!text.endsWith(";")) text += ";";
      }
      const at = attrs.findIndex(([n]) => n === name);
      if (at >= 0) attrs[at]![1] = text;
      else attrs.push([name, text]);
    }
  }
  if (tag === "a") {
    for (const [name, value] of Object.entries(options.link.set)) {
      const at = attrs.findIndex(([n]) => n === name);
      if (at >= 0) attrs[at]![1] = value;
      else attrs.push([name, value]);
    }
    for (const name of options.link.remove) {
      const at = attrs.findIndex(([n]) => n === name);
      if (at >= 0) attrs.splice(at, 1);
    }
  }
  let open = `<${tag}${attrs.map(([n, v]) => ` ${n}="${escapeAttr(v)}"`).join("")}>`;
  let close = "";
  let hole = false;
  for (let i = start; i < spec.length; i++) {
    const child = spec[i] as DOMOutputSpec | 0;
    if (child === 0) {
      if (i < spec.length - 1 || i > start) throw new RangeError("Content hole must be the only child of its parent node");
      hole = true;
      continue;
    }
    const inner = renderSpec(child, options, blocked);
    if (inner.hole) {
      if (hole) throw new RangeError("Multiple content holes");
      hole = true;
      open += inner.open;
      close = inner.close + close;
    } else if (hole) close = inner.open + inner.close + close;
    else open += inner.open + inner.close;
  }
  if (VOID.has(tag)) {
    if (hole) throw new RangeError(`<${tag}> cannot hold content.`);
  } else close += `</${tag}>`;
  return { open, close, hole };
}

type ToDom = (value: never, inline?: boolean) => DOMOutputSpec;

/**
 * A serializer for one schema. `uncached`: node types whose tags depend on more than their
 * attributes (a table's column widths come from its first row), rendered every time.
 */
export function htmlSerializer(schema: Schema, options: HtmlOptions, uncached: string[] = ["table"]) {
  // Nodes and marks with no attributes given share one attributes object per type: found by
  // identity first; others by their attributes' JSON (bounded, so the cache cannot grow forever).
  const byIdentity = new Map<string, WeakMap<object, Rendered>>();
  const byValue = new Map<string, Rendered>();
  const tagsOf = (kind: "node" | "mark", value: Node | Mark, toDOM: ToDom): Rendered => {
    if (kind === "node" && uncached.includes(value.type.name)) return renderSpec(toDOM(value as never, true), options, arraysIn(value.attrs));
    let sameType = byIdentity.get(`${kind}:${value.type.name}`);
    if (!sameType) byIdentity.set(`${kind}:${value.type.name}`, (sameType = new WeakMap()));
    const same = sameType.get(value.attrs);
    if (same) return same;
    const key = `${kind}:${value.type.name}:${JSON.stringify(value.attrs)}`;
    let rendered = byValue.get(key);
    if (!rendered) {
      rendered = renderSpec(toDOM(value as never, true), options, arraysIn(value.attrs));
      if (byValue.size > 5000) byValue.clear();
      byValue.set(key, rendered);
    }
    sameType.set(value.attrs, rendered);
    return rendered;
  };
  const nodeTags = (node: Node): Rendered => {
    const toDOM = node.type.spec.toDOM as ToDom | undefined;
    if (!toDOM) throw new RangeError(`The schema cannot render “${node.type.name}”.`);
    return tagsOf("node", node, toDOM);
  };
  const markTags = (mark: Mark): Rendered | null => {
    const toDOM = mark.type.spec.toDOM as ToDom | undefined;
    return toDOM ? tagsOf("mark", mark, toDOM) : null;
  };

  const fragment = (content: Fragment, out: string[]): void => {
    const active: { mark: Mark; close: string }[] = [];
    content.forEach((node) => {
      if (active.length || node.marks.length) {
        let keep = 0;
        let rendered = 0;
        while (keep < active.length && rendered < node.marks.length) {
          const next = node.marks[rendered]!;
          if (!next.type.spec.toDOM) {
            rendered++;
            continue;
          }
          if (!next.eq(active[keep]!.mark) || next.type.spec.spanning === false) break;
          keep++;
          rendered++;
        }
        while (keep < active.length) out.push(active.pop()!.close);
        while (rendered < node.marks.length) {
          const add = node.marks[rendered++]!;
          const tags = markTags(add);
          if (!tags) continue;
          if (!tags.hole) throw new RangeError(`The “${add.type.name}” formatting has no place for its text.`);
          out.push(tags.open);
          active.push({ mark: add, close: tags.close });
        }
      }
      if (node.isText) {
        out.push(escapeText(node.text ?? ""));
        return;
      }
      const tags = nodeTags(node);
      out.push(tags.open);
      if (tags.hole) {
        if (node.isLeaf) throw new RangeError("Content hole not allowed in a leaf node spec");
        fragment(node.content, out);
      }
      out.push(tags.close);
    });
    while (active.length) out.push(active.pop()!.close);
  };

  return (content: Fragment): string => {
    const out: string[] = [];
    fragment(content, out);
    return out.join("");
  };
}
