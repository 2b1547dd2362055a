import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { can } from "../auth/policy";
import { forbidden, requirePermission, requireUser } from "../auth/session.server";
import { flagPage, handleFlagDecision } from "../models/feedback-actions.server";
import { FEEDBACK_SOURCE_LABELS, FLAG_REASON_LABELS, FLAG_STATUS_LABELS } from "../models/feedback-labels";
import { CsrfInput } from "../ui/csrf-input";
import { FlagAge } from "../ui/feedback-card";
import { FieldError } from "../ui/field-error";
import { formatDateTime } from "../ui/format";
import { readForm } from "../utils/forms.server";

export const meta: MetaFunction<typeof loader> = ({ data: d }) => [{ title: `Flag: ${d?.flag.question ?? "feedback"} · Vetted` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  if (!can(user.roles, "answer.feedback") && !can(user.roles, "feedback.act")) throw forbidden();
  const found = await flagPage(user, params.flagId ?? "");
  if (!found) throw new Response("No flag you may see has this address.", { status: 404 });
  return found;
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, "feedback.act");
  const outcome = await handleFlagDecision(user, await readForm(request), params.flagId ?? "");
  if ("redirectTo" in outcome) return redirect(outcome.redirectTo);
  return data({ ok: false as const, intent: outcome.intent, errors: outcome.errors }, { status: outcome.status });
}

export default function FlagDetail() {
  const { flag, canAct, canRevise } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  const errors = result?.errors ?? {};
  return (
    <article className="flag-page">
      <p className="muted">
        <Link to="/feedback">Feedback</Link> · {FLAG_STATUS_LABELS[flag.status] ?? flag.status}
      </p>
      <h1>
        {FLAG_REASON_LABELS[flag.reason] ?? flag.reason}: <Link to={`/answers/${flag.answerId}`}>{flag.question}</Link>
      </h1>
      {params.get("done") === "dismissed" ? (
        <p className="notice success" role="status">
          Dismissed: the flagger has been told your reason.
        </p>
      ) : null}
      <section className="card" aria-label="What was flagged">
        <p>
          <FlagAge flag={flag} />
        </p>
        {flag.comment ? <blockquote>“{flag.comment}”</blockquote> : null}
        <dl className="facts">
          <dt>Flagged by</dt>
          <dd>
            {flag.flaggerName ?? "An anonymous reader of the public FAQ"}, from the {FEEDBACK_SOURCE_LABELS[flag.source] ?? flag.source}, {formatDateTime(flag.createdAt)}
          </dd>
          <dt>Assigned to</dt>
          <dd>{flag.assigneeName ?? "The topic's experts"}</dd>
          {flag.topicName ? (
            <>
              <dt>Topic</dt>
              <dd>
                {flag.topicName} (response target {flag.targetDays} working days)
              </dd>
            </>
          ) : null}
          {flag.duplicateOfAnswerId ? (
            <>
              <dt>Duplicate of</dt>
              <dd>
                <Link to={`/answers/${flag.duplicateOfAnswerId}`}>the other answer</Link>
              </dd>
            </>
          ) : null}
          {flag.closedAt ? (
            <>
              <dt>Closed</dt>
              <dd>
                {formatDateTime(flag.closedAt)}
                {flag.closeReason ? ` — ${flag.closeReason}` : flag.status === "resolved" ? " — the revision that fixes it was certified" : ""}
              </dd>
            </>
          ) : null}
        </dl>
        {flag.status === "in_revision" ? (
          <p className="notice">
            A revision is under way; this flag closes when it is certified. <Link to={`/answers/${flag.answerId}`}>See the answer</Link>
          </p>
        ) : null}
      </section>
      <FieldError id="form-error" errors={errors.form} role="alert" />
      {canAct ? (
        <section className="card" aria-labelledby="decide-heading">
          <h2 id="decide-heading">What will you do?</h2>
          {canRevise ? (
            <Form method="post">
              <CsrfInput />
              <p>Fix the answer: a revision starts (or the open one is used), linked to this flag and every other open flag on the answer.</p>
              <button type="submit" name="intent" value="revise" className="primary" disabled={busy}>
                Start a revision
              </button>
            </Form>
          ) : null}
          <Form method="post" className="dismiss-form">
            <CsrfInput />
            <label>
              Or dismiss it, with the reason the flagger will read
              <textarea name="reason" rows={3} maxLength={1000} aria-invalid={errors.reason ? true : undefined} aria-describedby={errors.reason ? "reason-error" : undefined} />
            </label>
            <FieldError id="reason-error" errors={errors.reason} />
            <button type="submit" name="intent" value="dismiss" disabled={busy}>
              Dismiss with this reason
            </button>
          </Form>
        </section>
      ) : null}
    </article>
  );
}
