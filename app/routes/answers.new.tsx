import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData, type ShouldRevalidateFunction } from "@remix-run/react";
import { useEffect, useState } from "react";
import { requirePermission } from "../auth/session.server";
import { linkRequestToAnswer } from "../models/agent.server";
import { DraftSchema, submittedDraft } from "../models/answer.schema";
import { createDraft } from "../models/answer.server";
import { promotionSource, similarAnswers, type SimilarAnswer } from "../models/promote.server";
import { listTopics } from "../models/topic.server";
import { AnswerForm, type AnswerFormValues } from "../ui/answer-form";
import { SimilarAnswers } from "../ui/similar-answers";
import { DomainError } from "../utils/errors";
import { parseForm, readForm, type FieldErrors } from "../utils/forms.server";

export const meta: MetaFunction = () => [{ title: "New answer · Vetted" }];

/** The first autosave creates the draft; the page stays as it is under the author's fingers. */
export const shouldRevalidate: ShouldRevalidateFunction = ({ formData, defaultShouldRevalidate }) =>
  formData?.get("intent") === "autosave" ? false : defaultShouldRevalidate;

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "answer.draft");
  const topics = await listTopics();
  const url = new URL(request.url);
  // "Make this a draft answer" on a wiki page, blog post or forum reply: ?from=wiki:<id>.
  const from = url.searchParams.get("from");
  const source = from ? await promotionSource(user, from) : null;
  if (from && !source) throw new Response("There is nothing you may read to start an answer from at this address.", { status: 404 });
  const question = (source?.question ?? url.searchParams.get("question") ?? "").slice(0, 300);
  return {
    topics: topics.map((t) => ({ id: t.id, name: t.name })),
    question,
    // An answer requested by an agent (from the Requests queue).
    requestId: url.searchParams.get("request") ?? null,
    source: source ? { from: source.from, label: source.origin.label ?? "", link: source.link, body: source.body } : null,
    similar: question ? await similarAnswers(user, question) : [],
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "answer.draft");
  const formData = await readForm(request);
  const values = submittedDraft(formData);
  const refuse = (errors: FieldErrors, status = 400) => data({ ok: false as const, errors, values }, { status });
  const parsed = parseForm(formData, DraftSchema);
  if (!parsed.ok) return refuse(parsed.errors);
  const from = formData.get("from");
  // The origin is resolved again on the server: a forged `from` cannot link to what the user may not read.
  const source = typeof from === "string" && from ? await promotionSource(user, from) : null;
  if (from && !source) return refuse({ form: ["The content this answer starts from is gone or not yours to read."] });
  try {
    const requestId = formData.get("request");
    const { answerId } = await createDraft({ actor: user, draft: parsed.value, ...(source ? { origin: source.origin } : {}) });
    if (typeof requestId === "string" && /^[0-9a-f-]{36}$/i.test(requestId)) await linkRequestToAnswer(requestId, answerId);
    if (formData.get("intent") === "autosave") {
      return data({ ok: true as const, answerId, lockVersion: 1, savedAt: new Date().toISOString() }, { status: 201 });
    }
    return redirect(`/answers/${answerId}/edit?created=1`);
  } catch (error) {
    if (error instanceof DomainError) return refuse({ [error.details.field ?? "form"]: [error.message] }, error.status);
    throw error;
  }
}

/**
 * Asks /answers/similar a moment after the author stops typing the question. A plain fetch, not a
 * fetcher: the hint is an aside, and a fetcher's failure (or its revalidation after the first
 * autosave has moved the address to the draft's edit page) would replace the author's page with
 * the error page. A failed or superseded ask leaves the hint as it was.
 */
function useSimilar(initial: SimilarAnswer[]) {
  const [items, setItems] = useState(initial);
  const [question, setQuestion] = useState<string | null>(null);
  useEffect(() => {
    if (question === null) return;
    const asking = new AbortController();
    const timer = setTimeout(() => {
      fetch(`/answers/similar?q=${encodeURIComponent(question)}`, { signal: asking.signal, headers: { Accept: "application/json" } })
        .then((r) => (r.ok ? (r.json() as Promise<{ items: SimilarAnswer[] }>) : null))
        .then((body) => body && setItems(body.items))
        .catch(() => undefined);
    }, 300);
    return () => {
      clearTimeout(timer);
      asking.abort();
    };
  }, [question]);
  return { items, onChangeQuestion: setQuestion };
}

export default function NewAnswer() {
  const { topics, question, requestId, source, similar } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors: FieldErrors = result && !result.ok ? result.errors : {};
  const values = result && !result.ok ? (result.values as AnswerFormValues) : null;
  const hint = useSimilar(similar);
  const hidden: Record<string, string> = { ...(source ? { from: source.from } : {}), ...(requestId ? { request: requestId } : {}) };
  return (
    <>
      <h1>New answer</h1>
      <p className="muted">Write the answer once, for every channel: a short answer for social replies and the full answer for email and chat.</p>
      {source ? (
        <p className="notice" role="note">
          Starting from <Link to={source.link}>{source.label}</Link>. The answer keeps a link to it.
        </p>
      ) : null}
      <SimilarAnswers items={hint.items} />
      <AnswerForm
        values={values ?? { question, alternatives: [], shortAnswer: "", body: source?.body ?? null, topicIds: [], tags: [], audience: "internal" }}
        topics={topics}
        errors={errors}
        submitLabel="Save draft"
        autosaveAction="/answers/new"
        onChangeQuestion={hint.onChangeQuestion}
        hidden={hidden}
      />
    </>
  );
}
