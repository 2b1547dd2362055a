import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requirePermission } from "../auth/session.server";
import { myDrafts, recentCertified } from "../models/answer.server";
import { STATE_LABELS } from "../models/answer-labels";
import { formatDateTime } from "../ui/format";

export const meta: MetaFunction = () => [{ title: "Write · Vetted" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "answer.draft");
  const [drafts, recent] = await Promise.all([myDrafts(user), recentCertified(10)]);
  return { drafts, recent };
}

export default function Write() {
  const { drafts, recent } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Write</h1>
      <p>
        <Link to="/answers/new" className="button primary">
          New answer
        </Link>
      </p>
      <section aria-labelledby="drafts-heading">
        <h2 id="drafts-heading">My drafts</h2>
        {drafts.length === 0 ? (
          <p className="muted">You have no drafts in progress.</p>
        ) : (
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">Question</th>
                <th scope="col">Status</th>
                <th scope="col">Topics</th>
                <th scope="col">Last change</th>
              </tr>
            </thead>
            <tbody>
              {drafts.map((d) => (
                <tr key={d.versionId}>
                  <td>
                    <Link to={`/answers/${d.answerId}?version=${d.number}`}>{d.question}</Link>
                  </td>
                  <td>{STATE_LABELS[d.state]}</td>
                  <td>{d.topicNames.join(", ")}</td>
                  <td>{formatDateTime(d.since)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section aria-labelledby="recent-heading">
        <h2 id="recent-heading">Recently certified</h2>
        <ul>
          {recent.map((r) => (
            <li key={r.versionId}>
              <Link to={`/answers/${r.answerId}`}>{r.question}</Link> <span className="muted">· {r.topicNames.join(", ")}</span>
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}
