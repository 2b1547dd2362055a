import type { Editor, JSONContent } from "@tiptap/core";
import { EditorContent, useEditor, useEditorState } from "@tiptap/react";
import { useId, useRef, useState } from "react";
import { extensions } from "./extensions";

const EMPTY: JSONContent = { type: "doc", content: [{ type: "paragraph" }] };

interface ToolbarButton {
  label: string;
  text: string;
  active?: (e: Editor) => boolean;
  run: (e: Editor) => void;
}

const BUTTONS: ToolbarButton[] = [
  { label: "Bold", text: "B", active: (e) => e.isActive("bold"), run: (e) => e.chain().focus().toggleBold().run() },
  { label: "Italic", text: "I", active: (e) => e.isActive("italic"), run: (e) => e.chain().focus().toggleItalic().run() },
  { label: "Code", text: "</>", active: (e) => e.isActive("code"), run: (e) => e.chain().focus().toggleCode().run() },
  { label: "Heading", text: "H2", active: (e) => e.isActive("heading", { level: 2 }), run: (e) => e.chain().focus().toggleHeading({ level: 2 }).run() },
  { label: "Subheading", text: "H3", active: (e) => e.isActive("heading", { level: 3 }), run: (e) => e.chain().focus().toggleHeading({ level: 3 }).run() },
  { label: "Bulleted list", text: "• List", active: (e) => e.isActive("bulletList"), run: (e) => e.chain().focus().toggleBulletList().run() },
  { label: "Numbered list", text: "1. List", active: (e) => e.isActive("orderedList"), run: (e) => e.chain().focus().toggleOrderedList().run() },
  { label: "Quote", text: "❝", active: (e) => e.isActive("blockquote"), run: (e) => e.chain().focus().toggleBlockquote().run() },
  { label: "Code block", text: "{ }", active: (e) => e.isActive("codeBlock"), run: (e) => e.chain().focus().toggleCodeBlock().run() },
  // Opens the link dialog below the toolbar (the component handles it): no native prompt.
  { label: "Link", text: "Link", active: (e) => e.isActive("link"), run: () => undefined },
  { label: "Insert table", text: "Table", run: (e) => e.chain().focus().insertTable({ rows: 3, cols: 2, withHeaderRow: true }).run() },
  { label: "Undo", text: "↶", run: (e) => e.chain().focus().undo().run() },
  { label: "Redo", text: "↷", run: (e) => e.chain().focus().redo().run() },
];

/**
 * The rich-text editor. A hidden input named `name` always holds the document as JSON, so a
 * plain form posts it; the server validates it against the same extension list.
 */
export function RichTextEditor({
  name,
  label,
  initialContent,
  onChange,
  describedBy,
}: {
  name: string;
  label: string;
  initialContent?: JSONContent;
  onChange?: (doc: JSONContent) => void;
  describedBy?: string;
}) {
  const labelId = useId();
  const [json, setJson] = useState(() => JSON.stringify(initialContent ?? EMPTY));
  const input = useRef<HTMLInputElement>(null);
  const editor = useEditor({
    extensions,
    content: initialContent ?? EMPTY,
    immediatelyRender: false,
    editorProps: {
      attributes: {
        role: "textbox",
        "aria-multiline": "true",
        "aria-labelledby": labelId,
        ...(describedBy ? { "aria-describedby": describedBy } : {}),
        "data-testid": `${name}-editor`,
      },
    },
    onUpdate: ({ editor: e }) => {
      const doc = e.getJSON();
      const serialized = JSON.stringify(doc);
      // Written to the DOM at once as well: a Save clicked right after the last keystroke must
      // post that keystroke, before React gets round to rendering the state.
      if (input.current) input.current.value = serialized;
      setJson(serialized);
      onChange?.(doc);
    },
  });
  // The link dialog: an inline panel, so it works inside the editor's form and keeps focus nearby.
  const [linkHref, setLinkHref] = useState<string | null>(null);
  const linkButton = useRef<HTMLButtonElement>(null);
  const openLink = (e: Editor) => setLinkHref((e.getAttributes("link").href as string | undefined) ?? "https://");
  // The editor's focus command waits for the next frame; the dialog's input is about to go, so the
  // text gets the focus at once: keys typed right away must not fall on the page.
  const closeLink = (e: Editor | null) => {
    setLinkHref(null);
    e?.view.focus();
    e?.commands.focus();
  };
  const applyLink = (e: Editor) => {
    const href = (linkHref ?? "").trim();
    if (href === "" || href === "https://") e.chain().focus().extendMarkRange("link").unsetLink().run();
    // The link stops at the selection's end, so the next typed character is not swallowed into it.
    else e.chain().focus().extendMarkRange("link").setLink({ href }).setTextSelection(e.state.selection.to).unsetMark("link").run();
    e.view.focus();
    setLinkHref(null);
  };
  const active = useEditorState({
    editor,
    selector: ({ editor: e }) => (e ? BUTTONS.map((b) => b.active?.(e) ?? false) : BUTTONS.map(() => false)),
  });
  return (
    <div className="editor-field">
      <span className="label" id={labelId}>
        {label}
      </span>
      <input type="hidden" name={name} value={json} ref={input} />
      <div className="editor">
        <div className="toolbar" role="toolbar" aria-label={`${label} formatting`}>
          {BUTTONS.map((b, i) => (
            <button
              key={b.label}
              type="button"
              aria-label={b.label}
              title={b.label}
              aria-pressed={b.active ? Boolean(active?.[i]) : undefined}
              disabled={!editor}
              ref={b.label === "Link" ? linkButton : undefined}
              aria-expanded={b.label === "Link" ? linkHref !== null : undefined}
              // A click keeps the focus (and the selection) in the text: otherwise the first keys typed
              // right after it land on the button while the editor takes the focus back.
              onMouseDown={(ev) => {
                if (b.label !== "Link") ev.preventDefault();
              }}
              onClick={() => editor && (b.label === "Link" ? openLink(editor) : b.run(editor))}
            >
              {b.text}
            </button>
          ))}
        </div>
        {linkHref !== null && editor ? (
          <div className="link-dialog" role="group" aria-label="Link">
            <label htmlFor={`${labelId}-href`}>Link address (https://…, mailto:…, tel:… or /answers/…)</label>
            <input
              id={`${labelId}-href`}
              type="text"
              inputMode="url"
              value={linkHref}
              autoFocus
              onChange={(ev) => setLinkHref(ev.target.value)}
              onKeyDown={(ev) => {
                // Enter applies the link instead of submitting the whole form; Escape goes back.
                if (ev.key === "Enter") {
                  ev.preventDefault();
                  applyLink(editor);
                } else if (ev.key === "Escape") {
                  ev.preventDefault();
                  closeLink(editor);
                }
              }}
            />
            <div className="actions">
              <button type="button" className="primary" onClick={() => applyLink(editor)}>
                Apply link
              </button>
              {editor.isActive("link") ? (
                <button type="button" onClick={() => { setLinkHref(""); editor.chain().focus().extendMarkRange("link").unsetLink().run(); setLinkHref(null); }}>
                  Remove link
                </button>
              ) : null}
              <button type="button" onClick={() => closeLink(editor)}>
                Cancel
              </button>
            </div>
          </div>
        ) : null}
        {editor ? <EditorContent editor={editor} /> : <p className="muted editor-loading">The editor starts once the page has loaded (it needs JavaScript).</p>}
      </div>
    </div>
  );
}
