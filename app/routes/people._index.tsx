import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { requirePermission } from "../auth/session.server";
import { ROLE_LABELS, isRole } from "../auth/policy";
import { peoplePage } from "../models/people.server";

export const meta: MetaFunction = () => [{ title: "People · Vetted" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "people.view");
  return peoplePage(new URL(request.url));
}

export default function People() {
  const { q, topic, hits, page, more, topics, board, matched } = useLoaderData<typeof loader>();
  const topicName = topics.find((t) => t.id === topic)?.name;
  const named = [...matched.topicIds.map((id) => topics.find((t) => t.id === id)?.name).filter(Boolean), ...matched.tags];
  const params = (p: number) => `?${new URLSearchParams({ ...(q ? { q } : {}), ...(topic ? { topic } : {}), page: String(p) }).toString()}`;
  return (
    <>
      <h1>People</h1>
      <p className="muted">
        Who knows what, from what they did: answers certified, reviews, accepted forum replies, content that became answers, and how often agents use and rate their answers.{" "}
        <Link to="/people/rules">How expertise and points are counted</Link>
      </p>
      <Form method="get" className="filters" role="search">
        <label className="inline">
          <span className="visually-hidden">Who knows about…</span>
          <input type="search" name="q" defaultValue={q} placeholder="Who knows about… (refunds, routers, a name)" aria-label="Who knows about" />
        </label>
        <label className="inline">
          Topic{" "}
          <select name="topic" defaultValue={topic}>
            <option value="">Any topic</option>
            {topics.map((t) => (
              <option key={t.id} value={t.id}>
                {t.name}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">Find people</button>
      </Form>
      {q && named.length > 0 ? <p className="muted">Experts in: {named.join(", ")}</p> : null}
      <div className="people-layout">
        <ol className="people-list">
          {hits.length === 0 ? (
            <li className="card">{q || topic ? "Nobody has evidence of expertise here yet. Try a topic, a product tag or a name." : "No expertise recorded yet: it grows as answers are certified, reviewed and used."}</li>
          ) : (
            hits.map((p) => (
              <li key={p.id} className="card person">
                <h2>
                  <Link to={`/people/${p.id}`}>{p.name}</Link>
                </h2>
                <p className="muted">
                  {p.roles.map((r) => (isRole(r) ? ROLE_LABELS[r] : r)).join(", ")}
                  {p.topicExpertOf.length ? ` · expert reviewer for ${p.topicExpertOf.join(", ")}` : ""} · expertise score {p.score}
                </p>
                {p.top.length > 0 ? (
                  <ul className="evidence-chips">
                    {p.top.map((e) => (
                      <li key={`${e.scope}:${e.key}`}>
                        <strong>{e.label}</strong> {evidenceLine(e)}
                      </li>
                    ))}
                  </ul>
                ) : null}
              </li>
            ))
          )}
        </ol>
        {board ? (
          <aside className="card leaderboard" aria-labelledby="board-heading">
            <h2 id="board-heading">{topicName}: this month</h2>
            {board.length === 0 ? (
              <p className="muted">No points in this topic this month yet.</p>
            ) : (
              <ol>
                {board.map((b) => (
                  <li key={b.userId}>
                    <Link to={`/people/${b.userId}`}>{b.name}</Link> <span className="muted">{b.points} points</span>
                  </li>
                ))}
              </ol>
            )}
          </aside>
        ) : null}
      </div>
      <nav aria-label="Pages" className="pagination">
        {page > 1 ? <Link to={params(page - 1)}>← Previous</Link> : <span />}
        <span>Page {page}</span>
        {more ? <Link to={params(page + 1)}>Next →</Link> : <span />}
      </nav>
    </>
  );
}

function evidenceLine(e: { authored: number; reviews: number; accepted: number; promoted: number; uses: number; helpful: number }): string {
  const parts = [
    e.authored ? `${e.authored} certified ${e.authored === 1 ? "answer" : "answers"}` : "",
    e.reviews ? `${e.reviews} ${e.reviews === 1 ? "review" : "reviews"}` : "",
    e.accepted ? `${e.accepted} accepted forum ${e.accepted === 1 ? "reply" : "replies"}` : "",
    e.promoted ? `${e.promoted} promoted to answers` : "",
    e.uses ? `used ${e.uses}× in replies` : "",
    e.helpful ? `${e.helpful} helpful ${e.helpful === 1 ? "rating" : "ratings"}` : "",
  ].filter(Boolean);
  return parts.length ? `· ${parts.join(" · ")}` : "";
}
