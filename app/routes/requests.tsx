import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { can } from "../auth/policy";
import { forbidden, requirePermission, requireUser } from "../auth/session.server";
import { RequestSchema } from "../models/agent.schema";
import { joinRequest, listRequests, recentFailedSearches, requestAnswer } from "../models/agent.server";
import { CsrfInput } from "../ui/csrf-input";
import { FieldError } from "../ui/field-error";
import { formatDateTime } from "../ui/format";
import { domainErrorResponse, invalid, parseForm, readForm, type FieldErrors } from "../utils/forms.server";

export const meta: MetaFunction = () => [{ title: "Requested answers · Vetted" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  if (!can(user.roles, "answer.request") && !can(user.roles, "answer.draft")) throw forbidden();
  const [requests, gaps] = await Promise.all([listRequests(), can(user.roles, "insights.view") ? recentFailedSearches(20) : Promise.resolve([])]);
  return { requests, gaps, canDraft: can(user.roles, "answer.draft") };
}

const JoinSchema = z.object({ intent: z.literal("join"), requestId: z.uuid() });

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "answer.request");
  const formData = await readForm(request);
  if (formData.get("intent") === "join") {
    const parsed = parseForm(formData, JoinSchema);
    if (!parsed.ok) return invalid(parsed.errors);
    try {
      await joinRequest(parsed.value.requestId, user.id);
      return data({ ok: true as const, message: "Added: you will be told when it is certified." });
    } catch (error) {
      return domainErrorResponse(error);
    }
  }
  const parsed = parseForm(formData, RequestSchema);
  if (!parsed.ok) return invalid(parsed.errors);
  try {
    const { joined } = await requestAnswer({ ...parsed.value, userId: user.id });
    return redirect(`/requests?${joined ? "joined" : "created"}=1`);
  } catch (error) {
    return domainErrorResponse(error);
  }
}

export default function Requests() {
  const { requests, gaps, canDraft } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const errors: FieldErrors = result && !result.ok ? result.errors : {};
  return (
    <>
      <h1>Requested answers</h1>
      {params.get("created") ? (
        <p className="notice success" role="status">
          Your request is in the queue. You will be told in your Inbox when the answer is certified.
        </p>
      ) : null}
      {params.get("joined") ? (
        <p className="notice success" role="status">
          Someone already asked this: you were added and will be told too.
        </p>
      ) : null}
      {result?.ok ? (
        <p className="notice success" role="status">
          {result.message}
        </p>
      ) : null}
      <FieldError id="form-error" errors={Object.values(errors).flat()} role="alert" />
      {requests.length === 0 ? <p className="muted">No open requests.</p> : null}
      <ul className="requests">
        {requests.map((r) => (
          <li key={r.id} className="card">
            <h2>{r.question}</h2>
            <p className="muted">
              {r.topicName ?? "No topic"} · asked by {r.requesterName} {r.askers > 1 ? `and ${r.askers - 1} more` : ""} · {formatDateTime(r.createdAt)} ·{" "}
              {r.status === "drafting" ? "a draft is being written" : "waiting for a writer"}
            </p>
            {r.details ? <p>{r.details}</p> : null}
            <div className="actions">
              {canDraft && r.status === "open" ? (
                <Link className="button primary" to={`/answers/new?question=${encodeURIComponent(r.question)}&request=${r.id}`}>
                  Write this answer
                </Link>
              ) : null}
              {r.answerId ? <Link to={`/answers/${r.answerId}`}>See the draft</Link> : null}
              <Form method="post">
                <CsrfInput />
                <input type="hidden" name="intent" value="join" />
                <input type="hidden" name="requestId" value={r.id} />
                <button type="submit">I need this too</button>
              </Form>
            </div>
          </li>
        ))}
      </ul>
      {gaps.length > 0 ? (
        <section aria-labelledby="gaps-heading">
          <h2 id="gaps-heading">Recent searches that found nothing</h2>
          <ul>
            {gaps.map((g) => (
              <li key={g.id}>
                “{g.query}” <span className="muted">— {g.userName ?? "API"}, {formatDateTime(g.at)}</span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}
