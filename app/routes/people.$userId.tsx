import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { ROLE_LABELS, isRole } from "../auth/policy";
import { requirePermission } from "../auth/session.server";
import { STATE_LABELS } from "../models/answer-labels";
import { profilePage } from "../models/people.server";
import { formatDate } from "../ui/format";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.person.name ?? "Person"} · People · Vetted` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, "people.view");
  const profile = await profilePage(params.userId ?? "");
  if (!profile) throw new Response("Nobody has this address.", { status: 404 });
  return profile;
}

function EvidenceTable({ caption, rows }: { caption: string; rows: { key: string; label: string; authored: number; reviews: number; accepted: number; promoted: number; uses: number; helpful: number; score: number }[] }) {
  if (rows.length === 0) return null;
  return (
    <table className="data-table">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{caption === "By topic" ? "Topic" : "Product tag"}</th>
          <th scope="col">Certified answers</th>
          <th scope="col">Reviews</th>
          <th scope="col">Accepted replies</th>
          <th scope="col">Became answers</th>
          <th scope="col">Used in replies</th>
          <th scope="col">Rated helpful</th>
          <th scope="col">Score</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.key}>
            <th scope="row">{r.label}</th>
            <td>{r.authored}</td>
            <td>{r.reviews}</td>
            <td>{r.accepted}</td>
            <td>{r.promoted}</td>
            <td>{r.uses}</td>
            <td>{r.helpful}</td>
            <td>{r.score}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export default function Profile() {
  const { person, topics, tags, authored, ledger, points, topicExpertOf } = useLoaderData<typeof loader>();
  return (
    <article className="profile">
      <p className="muted">
        <Link to="/people">People</Link>
      </p>
      <h1>{person.name}</h1>
      <p className="muted">
        {person.roles.map((r) => (isRole(r) ? ROLE_LABELS[r] : r)).join(", ")}
        {topicExpertOf.length ? ` · expert reviewer for ${topicExpertOf.map((t) => t.name).join(", ")}` : ""}
        {person.active ? "" : " · no longer active"}
      </p>
      <div className="stat-row" aria-label="Reputation">
        <div className="stat">
          <strong>{points.total}</strong> points
        </div>
        <div className="stat">
          <strong>{points.month}</strong> this month
        </div>
        <div className="stat">
          <strong>{authored.length}</strong> certified answers
        </div>
      </div>
      <section className="card" aria-labelledby="expertise-heading">
        <h2 id="expertise-heading">Expertise and its evidence</h2>
        {topics.length === 0 && tags.length === 0 ? (
          <p className="muted">No evidence yet: it grows as their answers are certified, reviewed, used and rated.</p>
        ) : (
          <div className="table-wrap">
            <EvidenceTable caption="By topic" rows={topics} />
            <EvidenceTable caption="By product tag" rows={tags} />
          </div>
        )}
      </section>
      <div className="profile-columns">
        <section className="card" aria-labelledby="answers-heading">
          <h2 id="answers-heading">Their certified answers</h2>
          {authored.length === 0 ? (
            <p className="muted">None yet.</p>
          ) : (
            <ul className="plain-list">
              {authored.map((a) => (
                <li key={a.answerId}>
                  <Link to={`/answers/${a.answerId}`}>{a.question}</Link> <span className="muted">· {STATE_LABELS[a.state] ?? a.state} {formatDate(a.certifiedAt)}</span>
                </li>
              ))}
            </ul>
          )}
        </section>
        <section className="card" aria-labelledby="activity-heading">
          <h2 id="activity-heading">Recent points</h2>
          {ledger.length === 0 ? (
            <p className="muted">No points yet.</p>
          ) : (
            <ul className="plain-list">
              {ledger.map((l, i) => (
                <li key={i}>
                  +{l.points} · {l.label} <span className="muted">· {formatDate(l.at)}</span>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
    </article>
  );
}
