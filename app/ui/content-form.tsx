import type { JSONContent } from "@tiptap/core";
import { useState, type ReactNode } from "react";
import { RichTextEditor } from "../editor/rich-text-editor";
import { CsrfInput } from "./csrf-input";
import { FieldError } from "./field-error";
import { useLeaveGuard } from "./leave-guard";

export interface ContentFormValues {
  title: string;
  body: JSONContent | null;
  topicIds?: string[];
  tags?: string[];
}

/**
 * Title, rich text, topics and tags: the form of wiki pages, blog posts and forum threads. The
 * rich text is the shared Tiptap editor (the one part that needs JavaScript); `children` adds
 * the fields that differ (parent page, status, category, base revision).
 */
export function ContentForm({
  values,
  topics,
  errors = {},
  titleLabel = "Title",
  bodyLabel = "Text",
  submitLabel,
  children,
  actions,
}: {
  values: ContentFormValues;
  topics?: { id: string; name: string }[];
  errors?: Record<string, string[]>;
  titleLabel?: string;
  bodyLabel?: string;
  submitLabel: string;
  children?: ReactNode;
  actions?: ReactNode;
}) {
  const [dirty, setDirty] = useState(false);
  const guard = useLeaveGuard(dirty);
  const markDirty = () => setDirty(true);
  return (
    <form method="post" className="content-form" noValidate onChange={markDirty} onSubmit={guard.onSubmit}>
      <CsrfInput />
      <FieldError id="form-error" errors={errors.form} role="alert" />
      <label htmlFor="title">{titleLabel}</label>
      <input id="title" name="title" defaultValue={values.title} required maxLength={200} aria-describedby="title-error" autoComplete="off" />
      <FieldError id="title-error" errors={errors.title} />
      {children}
      <RichTextEditor name="body" label={bodyLabel} initialContent={values.body ?? undefined} describedBy="body-error" onChange={markDirty} />
      <FieldError id="body-error" errors={errors.body} />
      {topics ? (
        <>
          <fieldset>
            <legend>Topics</legend>
            {topics.map((t) => (
              <label key={t.id} className="check">
                <input type="checkbox" name="topicIds" value={t.id} defaultChecked={values.topicIds?.includes(t.id)} /> {t.name}
              </label>
            ))}
          </fieldset>
          <FieldError id="topicIds-error" errors={errors.topicIds} />
          <label htmlFor="tags">Tags (comma separated)</label>
          <input id="tags" name="tags" defaultValue={values.tags?.join(", ") ?? ""} />
          <FieldError id="tags-error" errors={errors.tags} />
        </>
      ) : null}
      <div className="actions">
        {actions ?? (
          <button type="submit" className="primary">
            {submitLabel}
          </button>
        )}
      </div>
    </form>
  );
}
