import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { can } from "../auth/policy";
import { requirePermission } from "../auth/session.server";
import { handleSharedIntent } from "../models/content-actions.server";
import { ReplySchema } from "../models/content.schema";
import { acceptReply, addReply, editReply, getThread } from "../models/forum.server";
import { ActionMessage, HiddenNotice, HideForm, PromoteLink, Promotions } from "../ui/content";
import { CsrfInput } from "../ui/csrf-input";
import { FieldError } from "../ui/field-error";
import { formatDateTime, plural } from "../ui/format";
import { domainErrorResponse, invalid, parseForm, readForm, type FieldErrors } from "../utils/forms.server";
import { useCleanIndexUrl } from "../ui/clean-index-url";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.view.thread.title ?? "Forum"} · Vetted` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "content.read");
  const view = /^[0-9a-f-]{36}$/i.test(params.threadId ?? "") ? await getThread(user, params.threadId!) : null;
  if (!view) throw new Response("There is no forum thread you may read at this address.", { status: 404 });
  return {
    view,
    userId: user.id,
    canWrite: can(user.roles, "content.write"),
    canPromote: can(user.roles, "answer.draft"),
    canModerate: can(user.roles, "content.moderate"),
  };
}

const AcceptSchema = z.object({ replyId: z.uuid() });
const EditReplySchema = ReplySchema.extend({ replyId: z.uuid() });

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, "content.read");
  const threadId = params.threadId ?? "";
  const formData = await readForm(request);
  const shared = await handleSharedIntent(user, formData, null);
  if (shared) return shared;
  const intent = formData.get("intent");
  try {
    if (intent === "reply") {
      const parsed = parseForm(formData, ReplySchema);
      if (!parsed.ok) return invalid(parsed.errors);
      const { id } = await addReply(user, threadId, parsed.value.text);
      return redirect(`/forum/${threadId}#reply-${id}`);
    }
    if (intent === "edit-reply") {
      const parsed = parseForm(formData, EditReplySchema);
      if (!parsed.ok) return invalid(parsed.errors);
      await editReply(user, parsed.value.replyId, parsed.value.text);
      return redirect(`/forum/${threadId}#reply-${parsed.value.replyId}`);
    }
    if (intent === "accept" || intent === "unaccept") {
      const parsed = parseForm(formData, AcceptSchema);
      if (!parsed.ok && intent === "accept") return invalid(parsed.errors);
      await acceptReply(user, threadId, intent === "accept" && parsed.ok ? parsed.value.replyId : null);
      return data({ ok: true as const, message: intent === "accept" ? "Marked as the accepted answer." : "No reply is accepted now." });
    }
  } catch (error) {
    return domainErrorResponse(error);
  }
  return invalid({ form: ["Unknown action."] });
}

export default function ThreadPage() {
  useCleanIndexUrl();
  const { view, userId, canWrite, canPromote, canModerate } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const editing = params.get("edit");
  const errors: FieldErrors = result && !result.ok ? result.errors : {};
  const { thread } = view;
  const accepted = view.replies.find((r) => r.id === thread.acceptedReplyId);
  return (
    <article className="forum-thread">
      <p className="muted">
        <Link to="/forum">Forum</Link> · {view.category.name}
      </p>
      <h1>{thread.title}</h1>
      <ActionMessage result={result} />
      {thread.hiddenAt ? <HiddenNotice reason={thread.hiddenReason} /> : null}
      <p className="muted">
        Asked by {view.authorName} · {formatDateTime(thread.createdAt)} ·{" "}
        {accepted ? (
          <a href={`#reply-${accepted.id}`} className="badge state-certified">
            ✔ answered by {accepted.authorName}
          </a>
        ) : (
          <span className="badge">unanswered</span>
        )}
      </p>
      {/* Safe HTML: rendered on the server from validated Tiptap JSON. */}
      <div className="rich-text card" dangerouslySetInnerHTML={{ __html: thread.bodyHtml }} />
      <div className="actions">
        {thread.authorId === userId && canWrite ? (
          <Link to={`/forum/${thread.id}/edit`} className="button">
            Edit question
          </Link>
        ) : null}
      </div>
      {canModerate ? <HideForm kind="thread" id={thread.id} hidden={Boolean(thread.hiddenAt)} label="thread" /> : null}

      <section aria-labelledby="replies-heading">
        <h2 id="replies-heading">{plural(view.replies.length, "reply", "replies")}</h2>
        <ol className="replies">
          {view.replies.map((r) => {
            const isAccepted = r.id === thread.acceptedReplyId;
            return (
              <li key={r.id} id={`reply-${r.id}`} className={`card reply${isAccepted ? " accepted" : ""}`}>
                <p className="muted">
                  <strong>{r.authorName}</strong> · {formatDateTime(r.createdAt)}
                  {isAccepted ? <span className="badge state-certified"> ✔ Accepted answer</span> : null}
                </p>
                {r.redacted ? (
                  <p className="muted">
                    <em>This reply was hidden by a moderator.</em>
                  </p>
                ) : editing === r.id && r.authorId === userId ? (
                  <Form method="post">
                    <CsrfInput />
                    <input type="hidden" name="replyId" value={r.id} />
                    <label htmlFor={`edit-${r.id}`}>Edit your reply</label>
                    <textarea id={`edit-${r.id}`} name="text" rows={6} defaultValue={r.bodyText} maxLength={20000} />
                    <button type="submit" name="intent" value="edit-reply" className="primary">
                      Save reply
                    </button>
                  </Form>
                ) : (
                  <>
                    {r.hidden ? <HiddenNotice reason={r.hiddenReason} /> : null}
                    <div className="rich-text" dangerouslySetInnerHTML={{ __html: r.bodyHtml }} />
                  </>
                )}
                <Promotions items={r.promotions} />
                {!r.redacted ? (
                  <div className="actions">
                    {view.canAccept && !r.hidden ? (
                      <Form method="post">
                        <CsrfInput />
                        <input type="hidden" name="replyId" value={r.id} />
                        {isAccepted ? (
                          <button type="submit" name="intent" value="unaccept">
                            Unmark accepted answer
                          </button>
                        ) : (
                          <button type="submit" name="intent" value="accept">
                            Accept this reply
                          </button>
                        )}
                      </Form>
                    ) : null}
                    {r.authorId === userId && canWrite && editing !== r.id ? (
                      <Link to={`?edit=${r.id}#reply-${r.id}`} className="button">
                        Edit
                      </Link>
                    ) : null}
                    {canPromote && !r.hidden ? <PromoteLink from={`forum:${r.id}`} /> : null}
                  </div>
                ) : null}
                {canModerate ? <HideForm kind="reply" id={r.id} hidden={r.hidden} label="reply" /> : null}
              </li>
            );
          })}
        </ol>
      </section>
      {canWrite && !thread.hiddenAt ? (
        <Form method="post" className="reply-form">
          <CsrfInput />
          <label htmlFor="reply-text">Your reply</label>
          <textarea id="reply-text" name="text" rows={6} maxLength={20000} required aria-describedby="reply-help reply-error" />
          <p id="reply-help" className="muted">
            Plain text; blank lines start paragraphs. Mention a colleague with @ and their email name (e.g. @priya).
          </p>
          <FieldError id="reply-error" errors={errors.text} />
          <button type="submit" name="intent" value="reply" className="primary">
            Post reply
          </button>
        </Form>
      ) : null}
    </article>
  );
}
