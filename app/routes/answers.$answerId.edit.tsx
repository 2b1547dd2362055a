import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useSearchParams, type ShouldRevalidateFunction } from "@remix-run/react";
import type { JSONContent } from "@tiptap/core";
import { z } from "zod";
import { requirePermission } from "../auth/session.server";
import { DraftSchema, submittedDraft, versionNumber } from "../models/answer.schema";
import { getAnswerPage, saveDraft } from "../models/answer.server";
import { STATE_LABELS } from "../models/answer-labels";
import { listTopics } from "../models/topic.server";
import { AnswerForm, type AnswerFormValues } from "../ui/answer-form";
import { DomainError } from "../utils/errors";
import { parseForm, readForm, type FieldErrors } from "../utils/forms.server";

export const meta: MetaFunction = () => [{ title: "Edit draft · Vetted" }];

/** An autosave must not reload the page under the author's fingers: the form tracks its own lock. */
export const shouldRevalidate: ShouldRevalidateFunction = ({ formData, defaultShouldRevalidate }) =>
  formData?.get("intent") === "autosave" ? false : defaultShouldRevalidate;

const SaveSchema = DraftSchema.extend({ lockVersion: versionNumber(), intent: z.enum(["save", "autosave"]).default("save") });

async function editable(request: Request, answerId: string) {
  const user = await requirePermission(request, "answer.draft");
  const page = await getAnswerPage(user, answerId);
  const open = page?.open ?? (page?.canEdit ? page.shown : null);
  if (!page || !open || open.authorId !== user.id || (open.state !== "draft" && open.state !== "changes_requested")) {
    throw new Response("There is no draft of yours to edit here.", { status: 404 });
  }
  return { user, page, open };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { page, open } = await editable(request, params.answerId ?? "");
  const topics = await listTopics();
  return {
    answerId: page.answerId,
    version: {
      number: open.number,
      state: open.state,
      lockVersion: open.lockVersion,
      question: open.question,
      alternatives: open.alternatives,
      shortAnswer: open.shortAnswer,
      body: open.body as JSONContent,
      topicIds: open.topicIds,
      tags: open.tags,
      audience: open.audience,
    },
    comments: page.history.filter((h) => h.comment && h.versionNumber === open.number),
    topics: topics.map((t) => ({ id: t.id, name: t.name })),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, open } = await editable(request, params.answerId ?? "");
  const formData = await readForm(request);
  const values = submittedDraft(formData);
  const parsed = parseForm(formData, SaveSchema);
  if (!parsed.ok) return data({ ok: false as const, errors: parsed.errors, values }, { status: 400 });
  const { lockVersion, intent, ...draft } = parsed.value;
  try {
    const saved = await saveDraft({ actor: user, versionId: open.id, lockVersion, draft });
    if (intent === "autosave") return data({ ok: true as const, lockVersion: saved.lockVersion, savedAt: new Date().toISOString() });
    return redirect(`/answers/${params.answerId}?version=${open.number}&saved=1`);
  } catch (error) {
    // A refused save (409 when another tab saved first) shows the author's text again.
    if (error instanceof DomainError) {
      return data({ ok: false as const, errors: { [error.details.field ?? "form"]: [error.message] }, values }, { status: error.status });
    }
    throw error;
  }
}

export default function EditAnswer() {
  const { answerId, version, topics, comments } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const errors: FieldErrors = result && !result.ok ? result.errors : {};
  const submitted = result && !result.ok ? (result.values as AnswerFormValues) : null;
  return (
    <>
      <p className="muted">
        <Link to={`/answers/${answerId}?version=${version.number}`}>← Back to the answer</Link> · version {version.number} ·{" "}
        {STATE_LABELS[version.state]}
      </p>
      <h1>Edit draft</h1>
      {params.get("created") ? (
        <p className="notice success" role="status">
          Draft saved. Keep writing; it saves itself as you go. Submit it for review from the answer page.
        </p>
      ) : null}
      {comments.length > 0 ? (
        <section className="card" aria-labelledby="review-comments">
          <h2 id="review-comments">Review comments</h2>
          <ul>
            {comments.map((c) => (
              <li key={c.id}>
                <strong>{c.actorName}</strong>: {c.comment}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <AnswerForm
        values={submitted ?? version}
        topics={topics}
        errors={errors}
        lockVersion={version.lockVersion}
        autosaveAction={`/answers/${answerId}/edit`}
        submitLabel="Save draft"
      />
    </>
  );
}
