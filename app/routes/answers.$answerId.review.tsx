import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireUser } from "../auth/session.server";
import { handleAnswerAction } from "../models/answer-actions.server";
import { decidersFor, getAnswerPage } from "../models/answer.server";
import { STATE_LABELS } from "../models/answer-labels";
import { certifyOptions } from "../models/certify.server";
import { sideBySide, type DiffSide } from "../models/diff.server";
import { FieldError } from "../ui/field-error";
import { refusalShownBeside, WorkflowActions } from "../ui/workflow-actions";
import { WhoDecides } from "../ui/who-decides";
import type { FieldErrors } from "../utils/forms.server";

export const meta: MetaFunction = () => [{ title: "Review · Vetted" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const page = await getAnswerPage(user, params.answerId ?? "");
  const candidate = page?.open ?? page?.shown;
  if (!page || !candidate) throw new Response("No answer you may review has this address.", { status: 404 });
  // Review the version in review (the open one), against the certified version when there is one.
  const reviewPage = candidate.id === page.shown.id ? page : await getAnswerPage(user, page.answerId, candidate.number);
  if (!reviewPage) throw new Response("No answer you may review has this address.", { status: 404 });
  const v = reviewPage.shown;
  const base = page.live && page.live.id !== v.id ? page.live : null;
  const diff = base
    ? {
        baseNumber: base.number,
        question: sideBySide(base.question, v.question),
        shortAnswer: sideBySide(base.shortAnswer, v.shortAnswer),
        body: sideBySide(base.bodyText, v.bodyText),
        alternatives: sideBySide(base.alternatives.join("\n"), v.alternatives.join("\n")),
      }
    : null;
  const certify = reviewPage.allowed.includes("CERTIFY") ? await certifyOptions(reviewPage) : null;
  const decides = ["APPROVE", "REQUEST_CHANGES", "REJECT", "CERTIFY"].some((e) => reviewPage.allowed.includes(e));
  const deciders = decides ? null : await decidersFor(v);
  return { page: reviewPage, diff, certify, deciders, isAuthor: v.authorId === user.id };
}

export async function action({ request, params }: ActionFunctionArgs) {
  return handleAnswerAction(request, params.answerId ?? "");
}

function Side({ side, label }: { side: DiffSide; label: string }) {
  return (
    <div className="diff-side" aria-label={label}>
      {side.parts.map((p, i) =>
        p.kind === "removed" ? <del key={i}>{p.text}</del> : p.kind === "added" ? <ins key={i}>{p.text}</ins> : <span key={i}>{p.text}</span>,
      )}
    </div>
  );
}

export default function ReviewAnswer() {
  const { page, diff, certify, deciders, isAuthor } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors: FieldErrors = result && !result.ok ? result.errors : {};
  const refusedIntent = result && !result.ok && "intent" in result && typeof result.intent === "string" ? result.intent : undefined;
  const v = page.shown;
  return (
    <article>
      <p className="muted">
        <Link to="/review">← Review queue</Link> · <Link to={`/answers/${page.answerId}?version=${v.number}`}>answer page</Link> · version {v.number} ·{" "}
        {STATE_LABELS[v.state]} · by {v.authorName}
      </p>
      <h1>Review: {v.question}</h1>
      {result?.ok ? (
        <p className="notice success" role="status">
          {result.message}
        </p>
      ) : null}
      {refusalShownBeside(page, refusedIntent) ? null : <FieldError id="form-error" errors={errors.form} role="alert" />}
      {diff ? (
        <section aria-labelledby="diff-heading">
          <h2 id="diff-heading">Changes against the certified version {diff.baseNumber}</h2>
          {(
            [
              ["Question", diff.question],
              ["Other phrasings", diff.alternatives],
              ["Short answer", diff.shortAnswer],
              ["Full answer", diff.body],
            ] as const
          ).map(([label, d]) => (
            <div key={label} className="diff-block">
              <h3>
                {label} {d.changed ? null : <span className="muted">(unchanged)</span>}
              </h3>
              <div className="diff">
                <Side side={d.before} label={`${label}, certified version`} />
                <Side side={d.after} label={`${label}, this version`} />
              </div>
            </div>
          ))}
        </section>
      ) : (
        <section className="card">
          <h2>Short answer</h2>
          <p>{v.shortAnswer}</p>
          <h2>Full answer</h2>
          <div className="rich-text" dangerouslySetInnerHTML={{ __html: v.bodyHtml }} />
          {v.alternatives.length ? (
            <>
              <h2>Also asked as</h2>
              <ul>
                {v.alternatives.map((a) => (
                  <li key={a}>{a}</li>
                ))}
              </ul>
            </>
          ) : null}
        </section>
      )}
      <WorkflowActions page={page} certify={certify} errors={errors} refusedIntent={refusedIntent} reviewPage />
      {deciders ? <WhoDecides deciders={deciders} isAuthor={isAuthor} /> : null}
      {page.allowed.length === 0 && !deciders ? <p className="muted">There is nothing for you to decide on this version now.</p> : null}
    </article>
  );
}
