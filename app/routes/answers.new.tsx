import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { requirePermission } from "../auth/session.server";
import { DraftSchema, submittedDraft } from "../models/answer.schema";
import { linkRequestToAnswer } from "../models/agent.server";
import { createDraft } from "../models/answer.server";
import { listTopics } from "../models/topic.server";
import { AnswerForm, type AnswerFormValues } from "../ui/answer-form";
import { DomainError } from "../utils/errors";
import { parseForm, readForm, type FieldErrors } from "../utils/forms.server";

export const meta: MetaFunction = () => [{ title: "New answer · Vetted" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "answer.draft");
  const topics = await listTopics();
  const url = new URL(request.url);
  return {
    topics: topics.map((t) => ({ id: t.id, name: t.name })),
    question: url.searchParams.get("question")?.slice(0, 300) ?? "",
    requestId: url.searchParams.get("request") ?? null,
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "answer.draft");
  const formData = await readForm(request);
  const values = submittedDraft(formData);
  const parsed = parseForm(formData, DraftSchema);
  if (!parsed.ok) return data({ ok: false as const, errors: parsed.errors, values }, { status: 400 });
  try {
    const requestId = formData.get("request");
    const { answerId } = await createDraft({ actor: user, draft: parsed.value });
    if (typeof requestId === "string" && /^[0-9a-f-]{36}$/i.test(requestId)) await linkRequestToAnswer(requestId, answerId);
    return redirect(`/answers/${answerId}/edit?created=1`);
  } catch (error) {
    if (error instanceof DomainError) {
      return data({ ok: false as const, errors: { [error.details.field ?? "form"]: [error.message] }, values }, { status: error.status });
    }
    throw error;
  }
}

export default function NewAnswer() {
  const { topics, question, requestId } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors: FieldErrors = result && !result.ok ? result.errors : {};
  const values = result && !result.ok ? (result.values as AnswerFormValues) : null;
  return (
    <>
      <h1>New answer</h1>
      <p className="muted">Write the answer once, for every channel: a short answer for social replies and the full answer for email and chat.</p>
      <AnswerForm
        values={values ?? { question, alternatives: [], shortAnswer: "", body: null, topicIds: [], tags: [], audience: "internal" }}
        topics={topics}
        errors={errors}
        submitLabel="Save draft"
        hidden={requestId ? { request: requestId } : undefined}
      />
    </>
  );
}
