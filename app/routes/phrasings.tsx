import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { PhrasingDecisionSchema, PhrasingListSchema, decidePhrasing, listPhrasings, mayReviewPhrasings, minAgentsToLearn } from "../learning/review.server";
import { forbidden, requireUser } from "../auth/session.server";
import { FieldError } from "../ui/field-error";
import { PhrasingTable } from "../ui/learned-phrasings";
import { domainErrorResponse, invalid, parseForm, parseQuery, readForm, type FieldErrors } from "../utils/forms.server";
import { safeRedirect } from "../utils/http.server";

export const meta: MetaFunction = () => [{ title: "Learned phrasings · Vetted" }];

/** The review list of phrasings search learned from agents' uses (knowledge managers, admins; experts for their topics). */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  if (!mayReviewPhrasings(user)) throw forbidden();
  const query = parseQuery(new URL(request.url).searchParams, PhrasingListSchema);
  if (!query.ok) throw new Response(Object.values(query.errors).flat().join(" "), { status: 400 });
  return { status: query.value.status, phrasings: await listPhrasings(user, { status: query.value.status }), minAgents: minAgentsToLearn() };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  if (!mayReviewPhrasings(user)) throw forbidden();
  const form = await readForm(request);
  const parsed = parseForm(form, PhrasingDecisionSchema);
  if (!parsed.ok) return invalid(parsed.errors);
  try {
    const done = await decidePhrasing(user, parsed.value);
    // A promotion opens the draft it made; a rejection goes back where it was decided.
    if (done.versionId) return redirect(`/answers/${done.answerId}/edit`);
    return redirect(safeRedirect(form.get("back"), "/phrasings"));
  } catch (error) {
    return domainErrorResponse(error);
  }
}

const TABS = [
  ["learned", "To review"],
  ["promoted", "Promoted"],
  ["rejected", "Rejected"],
] as const;

export default function Phrasings() {
  const { status, phrasings, minAgents } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors: FieldErrors = result && !result.ok ? result.errors : {};
  return (
    <>
      <h1>Learned phrasings</h1>
      <p className="muted">
        How agents worded a question before using an answer. A wording is searchable once {minAgents} different agents taught it; promote it to an
        official “also asked as” (a new draft of the answer, reviewed like any edit) or reject it (out of search, never learned again).
      </p>
      <nav aria-label="Phrasing status">
        {TABS.map(([s, label]) => (
          <span key={s}>
            {s === status ? <strong aria-current="page">{label}</strong> : <Link to={`/phrasings?status=${s}`}>{label}</Link>}{" "}
          </span>
        ))}
      </nav>
      <FieldError id="phrasing-error" errors={errors.form ?? errors.phrasingId ?? errors.intent} />
      {phrasings.length === 0 ? (
        <p>Nothing here.</p>
      ) : (
        <PhrasingTable phrasings={phrasings} back={`/phrasings?status=${status}`} showAnswer />
      )}
    </>
  );
}
