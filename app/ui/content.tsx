import { Form, Link, useActionData } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { CsrfInput } from "./csrf-input";
import { FieldError } from "./field-error";
import { formatDateTime } from "./format";

const STATE_NAMES: Record<string, string> = {
  draft: "Draft",
  in_review: "In expert review",
  changes_requested: "Changes requested",
  in_certification: "Awaiting certification",
  certified: "Certified",
  reverification_due: "Re-verification due",
};

export interface PromotionView {
  answerId: string;
  question: string;
  state: string;
  certified: boolean;
}

/** "Became answer X (Certified)" on a wiki page, blog post or forum reply. */
export function Promotions({ items }: { items: PromotionView[] }) {
  if (items.length === 0) return null;
  return (
    <ul className="promotions">
      {items.map((p) => (
        <li key={p.answerId} className={p.certified ? "certificate" : "notice"}>
          {p.certified ? "✔ Became the certified answer " : "A draft answer was started from this: "}
          <Link to={`/answers/${p.answerId}`}>“{p.question}”</Link> <span className={`badge state-${p.state}`}>{STATE_NAMES[p.state] ?? p.state}</span>
        </li>
      ))}
    </ul>
  );
}

/** Opens the answer editor prefilled from this content (answer.draft holders only). */
export function PromoteLink({ from }: { from: string }) {
  return (
    <Link className="button" to={`/answers/new?from=${encodeURIComponent(from)}`}>
      Make this a draft answer
    </Link>
  );
}

/** Hide (with a reason for the audit log) or show again; for moderators. */
export function HideForm({ kind, id, hidden, label }: { kind: string; id: string; hidden: boolean; label: string }) {
  return (
    <Form method="post" className="inline-form hide-form">
      <CsrfInput />
      <input type="hidden" name="intent" value="hide" />
      <input type="hidden" name="kind" value={kind} />
      <input type="hidden" name="id" value={id} />
      <input type="hidden" name="hidden" value={hidden ? "false" : "true"} />
      {hidden ? null : (
        <span>
          <label htmlFor={`reason-${id}`} className="visually-hidden">
            Reason for hiding {label}
          </label>
          <input id={`reason-${id}`} name="reason" placeholder="Reason (kept in the audit log)" required minLength={3} maxLength={1000} />
        </span>
      )}
      <button type="submit" className={hidden ? undefined : "danger"}>
        {hidden ? `Show ${label} again` : `Hide ${label}`}
      </button>
    </Form>
  );
}

export function HiddenNotice({ reason }: { reason: string | null }) {
  return (
    <p className="notice warn" role="note">
      Hidden by a moderator{reason ? `: ${reason}` : ""}. Only moderators see it.
    </p>
  );
}

export interface CommentItem {
  id: string;
  body: string;
  authorName: string;
  createdAt: Date | string;
  editedAt?: Date | string | null;
  /** Written by the viewer, who may edit or delete it. */
  mine?: boolean;
  hidden: boolean;
  hiddenReason: string | null;
}

/** Edit (in a disclosure, so it works without JavaScript) and Delete, for the comment's author. */
function OwnCommentActions({ c }: { c: CommentItem }) {
  return (
    <div className="comment-own-actions">
      {/* Keyed by the text: after a save the disclosure starts closed again. */}
      <details key={`${c.body}|${String(c.editedAt ?? "")}`}>
        <summary>Edit</summary>
        <Form method="post" className="comment-edit-form">
          <CsrfInput />
          <input type="hidden" name="commentId" value={c.id} />
          <label htmlFor={`edit-${c.id}`}>Your comment</label>
          <textarea id={`edit-${c.id}`} name="comment" rows={3} maxLength={5000} defaultValue={c.body} required />
          <button type="submit" name="intent" value="comment-edit">
            Save comment
          </button>
        </Form>
      </details>
      <Form
        method="post"
        onSubmit={(e) => {
          if (!window.confirm("Delete your comment? This cannot be undone.")) e.preventDefault();
        }}
      >
        <CsrfInput />
        <input type="hidden" name="commentId" value={c.id} />
        <button type="submit" name="intent" value="comment-delete" className="link-button">
          Delete
        </button>
      </Form>
    </div>
  );
}

/** The one comments section: wiki pages, blog posts and answers. Plain text, @name mentions. */
export function Comments({
  comments,
  canComment,
  canModerate,
  errors,
}: {
  comments: CommentItem[];
  canComment: boolean;
  canModerate: boolean;
  errors?: Record<string, string[]>;
}) {
  // With JavaScript the page stays put after posting: empty the box so a second click posts nothing.
  const result = useActionData() as { ok?: boolean } | undefined;
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (result?.ok) formRef.current?.reset();
  }, [result]);
  return (
    <section aria-labelledby="comments-heading" className="comments">
      <h2 id="comments-heading">Comments ({comments.filter((c) => !c.hidden).length})</h2>
      {comments.length === 0 ? <p className="muted">No comments yet.</p> : null}
      <ol className="comment-list">
        {comments.map((c) => (
          <li key={c.id} id={`comment-${c.id}`}>
            <p className="muted">
              <strong>{c.authorName}</strong> · {formatDateTime(c.createdAt)}
              {c.editedAt ? <span title={`Edited ${formatDateTime(c.editedAt)}`}> · edited</span> : null}
            </p>
            {c.hidden && !c.body ? (
              <p className="muted">
                <em>This comment was hidden by a moderator.</em>
              </p>
            ) : (
              <>
                {c.hidden ? <HiddenNotice reason={c.hiddenReason} /> : null}
                <p className="comment-body">{c.body}</p>
              </>
            )}
            {c.mine && !c.hidden && canComment ? <OwnCommentActions c={c} /> : null}
            {canModerate ? <HideForm kind="comment" id={c.id} hidden={c.hidden} label="comment" /> : null}
          </li>
        ))}
      </ol>
      {canComment ? (
        <Form method="post" className="comment-form" ref={formRef}>
          <CsrfInput />
          <label htmlFor="comment">Add a comment</label>
          <textarea id="comment" name="comment" rows={3} maxLength={5000} aria-describedby="comment-help comment-error" required />
          <p id="comment-help" className="muted">
            Mention a colleague with @ and their email name (e.g. @emma): they get it in their inbox.
          </p>
          <FieldError id="comment-error" errors={errors?.comment} />
          <button type="submit" name="intent" value="comment">
            Comment
          </button>
        </Form>
      ) : null}
    </section>
  );
}

/** Tags and topics as a short line. */
export function Facts({ topicNames, tags }: { topicNames: string[]; tags: string[] }) {
  if (topicNames.length === 0 && tags.length === 0) return null;
  return (
    <p className="muted">
      {topicNames.length ? <>Topics: {topicNames.join(", ")}</> : null}
      {topicNames.length && tags.length ? " · " : null}
      {tags.length ? <>Tags: {tags.join(", ")}</> : null}
    </p>
  );
}

export function ActionMessage({ result }: { result: unknown }) {
  const r = result as { ok?: boolean; message?: string; errors?: Record<string, string[]> } | undefined;
  if (!r) return null;
  if (r.ok && r.message)
    return (
      <p className="notice success" role="status">
        {r.message}
      </p>
    );
  return <FieldError id="form-error" errors={r.errors?.form ?? r.errors?.reason ?? r.errors?.text} role="alert" />;
}
