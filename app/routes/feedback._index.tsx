import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { can } from "../auth/policy";
import { forbidden, requireUser } from "../auth/session.server";
import { feedbackQueuePage } from "../models/feedback-actions.server";
import { FEEDBACK_SOURCE_LABELS, FLAG_REASON_LABELS } from "../models/feedback-labels";
import { FlagAge } from "../ui/feedback-card";
import { formatDate } from "../ui/format";
import { Pagination } from "../ui/pagination";

export const meta: MetaFunction = () => [{ title: "Feedback · Vetted" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  if (!can(user.roles, "answer.feedback") && !can(user.roles, "feedback.act")) throw forbidden();
  return feedbackQueuePage(user, new URL(request.url));
}

function ActingTable({ caption, rows }: { caption: string; rows: { id: string | null; name: string; filed: number; acted: number; open: number; actedShare: number | null; medianHoursToAct: number | null }[] }) {
  return (
    <table className="data-table">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{caption === "Per topic" ? "Topic" : "Owner"}</th>
          <th scope="col">Filed</th>
          <th scope="col">Open</th>
          <th scope="col">Acted on</th>
          <th scope="col">Median time to act</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.id ?? r.name}>
            <th scope="row">{r.name}</th>
            <td>{r.filed}</td>
            <td>{r.open}</td>
            <td>{r.actedShare === null ? "—" : `${r.actedShare}%`}</td>
            <td>{r.medianHoursToAct === null ? "—" : `${r.medianHoursToAct} h`}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const TABS = [
  { view: "open", label: "To act on" },
  { view: "closed", label: "Closed" },
  { view: "mine", label: "Flagged by me" },
] as const;

export default function FeedbackQueue() {
  const { view, topic, queue, mayAct, acting, topics } = useLoaderData<typeof loader>();
  const href = (v: string) => `/feedback?${new URLSearchParams({ view: v, ...(topic ? { topic } : {}) }).toString()}`;
  return (
    <>
      <h1>Feedback</h1>
      <p className="muted">
        {mayAct
          ? "Flags readers raised on certified answers in your care. Start a revision (the flag closes when it is certified) or dismiss it with a reason; the flagger is told either way."
          : "The problems you flagged, and what their owners did about them."}
      </p>
      {acting ? (
        <div className="stat-row" aria-label="Acting on feedback, last 90 days">
          <div className="stat">
            <strong>{acting.open}</strong> open, waiting for action
          </div>
          <div className="stat">
            <strong>{acting.actedShare === null ? "—" : `${acting.actedShare}%`}</strong> of {acting.filed} acted on (90 days)
          </div>
          <div className="stat">
            <strong>{acting.medianHoursToAct === null ? "—" : `${acting.medianHoursToAct} h`}</strong> median time to act
          </div>
        </div>
      ) : null}
      {acting && (acting.topics.length > 0 || acting.owners.length > 0) ? (
        <details className="card acting-breakdown">
          <summary>Acting on feedback per topic and per owner (90 days)</summary>
          <div>
            <ActingTable caption="Per topic" rows={acting.topics} />
            <ActingTable caption="Per owner" rows={acting.owners} />
          </div>
        </details>
      ) : null}
      {mayAct ? (
        <nav className="tabs" aria-label="Feedback views">
          {TABS.map((t) => (
            <Link key={t.view} to={href(t.view)} aria-current={view === t.view ? "page" : undefined}>
              {t.label}
            </Link>
          ))}
        </nav>
      ) : null}
      {mayAct ? (
        <Form method="get" className="filters">
          <input type="hidden" name="view" value={view} />
          <label className="inline">
            Topic{" "}
            <select name="topic" defaultValue={topic}>
              <option value="">All topics</option>
              {topics.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name}
                </option>
              ))}
            </select>
          </label>{" "}
          <button type="submit">Filter</button>
        </Form>
      ) : null}
      <p className="muted" aria-live="polite">
        {queue.total} {queue.total === 1 ? "flag" : "flags"}
      </p>
      {queue.items.length === 0 ? (
        <p className="card">{view === "open" ? "Nothing to act on: every flag in your care has been answered." : view === "mine" ? "You have not flagged any answer yet. Use “Flag a problem” on an answer when something is wrong." : "No closed flags yet."}</p>
      ) : (
        <ul className="flag-list card">
          {queue.items.map((f) => (
            <li key={f.id}>
              <Link to={`/feedback/${f.id}`}>
                <strong>{f.question}</strong>
              </Link>{" "}
              <FlagAge flag={f} />
              <p className="muted">
                {FLAG_REASON_LABELS[f.reason] ?? f.reason} · {f.flaggerName ?? "anonymous FAQ reader"} from the {FEEDBACK_SOURCE_LABELS[f.source] ?? f.source} · {formatDate(f.createdAt)}
                {f.topicName ? ` · ${f.topicName}` : ""} · assigned to {f.assigneeName ?? "the topic's experts"}
              </p>
              {f.comment ? <p>“{f.comment}”</p> : null}
              {f.closeReason ? <p className="muted">Dismissed: {f.closeReason}</p> : null}
            </li>
          ))}
        </ul>
      )}
      <Pagination page={queue.page} pageSize={queue.pageSize} total={queue.total} params={{ view, topic }} />
    </>
  );
}
