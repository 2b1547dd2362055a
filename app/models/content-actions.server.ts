import { isUuid } from "../utils/http.server";
import { data } from "@remix-run/node";
import type { SessionUser } from "../auth/session.server";
import { domainErrorResponse, invalid, parseForm } from "../utils/forms.server";
import { addComment, deleteComment, editComment, type CommentSubject } from "./comments.server";
import { CommentDeleteSchema, CommentEditSchema, CommentSchema, HideSchema } from "./content.schema";
import { moderate } from "./content.server";

/**
 * The intents every content page shares: `comment`, `comment-edit` and `comment-delete` (on the
 * page's subject, the last two by the comment's author) and `hide`/`unhide`
 * (moderators). Returns null for any other intent, which the route handles itself.
 */
export async function handleSharedIntent(user: SessionUser, formData: FormData, subject: { type: CommentSubject; id: string } | null) {
  const intent = formData.get("intent");
  if (subject && !isUuid(subject.id)) throw new Response("There is nothing at this address.", { status: 404 });
  try {
    if (intent === "comment" && subject) {
      const parsed = parseForm(formData, CommentSchema);
      if (!parsed.ok) return invalid(parsed.errors);
      await addComment(user, subject, parsed.value.comment);
      return data({ ok: true as const, message: "Comment added." });
    }
    if (intent === "comment-edit" && subject) {
      const parsed = parseForm(formData, CommentEditSchema);
      if (!parsed.ok) return invalid(parsed.errors);
      await editComment(user, subject, parsed.value.commentId, parsed.value.comment);
      return data({ ok: true as const, message: "Comment saved." });
    }
    if (intent === "comment-delete" && subject) {
      const parsed = parseForm(formData, CommentDeleteSchema);
      if (!parsed.ok) return invalid(parsed.errors);
      await deleteComment(user, subject, parsed.value.commentId);
      return data({ ok: true as const, message: "Comment deleted." });
    }
    if (intent === "hide") {
      const parsed = parseForm(formData, HideSchema);
      if (!parsed.ok) return invalid(parsed.errors);
      await moderate(user, parsed.value);
      return data({ ok: true as const, message: parsed.value.hidden ? "Hidden. The reason is in the audit log." : "Shown again." });
    }
  } catch (error) {
    return domainErrorResponse(error);
  }
  return null;
}

/** A page number from `?page=` (1 when absent or nonsense). */
export function pageParam(url: URL): number {
  const n = Number(url.searchParams.get("page") ?? "1");
  return Number.isInteger(n) && n >= 1 && n <= 10_000 ? n : 1;
}
