import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import { can } from "../auth/policy";
import { requireUser } from "../auth/session.server";
import { STATE_LABELS } from "../models/answer-labels";
import { homeFor } from "../models/home.server";
import { breachingFor } from "../models/insights.server";
import { TopicChips } from "../ui/chips";
import { age, formatDate } from "../ui/format";

export const meta: MetaFunction = () => [{ title: "Home · Vetted" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const [home, breaching] = await Promise.all([homeFor(user), breachingFor(user)]);
  return { user, home, breaching, now: new Date().toISOString() };
}

/** One panel of the person's work: a heading with its count, dense rows, an empty state that says what to do. */
function WorkPanel(props: { id: string; title: string; total: number; more?: { to: string; label: string }; empty: ReactNode; children: ReactNode }) {
  return (
    <section className="card work-panel" data-home={props.id} aria-labelledby={`${props.id}-heading`}>
      <header className="work-panel-head">
        <h2 id={`${props.id}-heading`}>
          {props.title} <span className="count-chip">{props.total}</span>
        </h2>
        {props.more && props.total > 0 ? <Link to={props.more.to}>{props.more.label}</Link> : null}
      </header>
      {props.total === 0 ? <p className="empty-state">{props.empty}</p> : <ul className="work-list">{props.children}</ul>}
    </section>
  );
}

export default function Home() {
  const { user, home, breaching, now } = useLoaderData<typeof loader>();
  const roles = user.roles;
  return (
    <div className="home">
      <div className="home-head">
        <h1>Hello, {user.displayName.split(" ")[0]}</h1>
        {can(roles, "answer.draft") ? (
          <Link to="/answers/new" className="button primary">
            New answer
          </Link>
        ) : null}
      </div>
      {can(roles, "search.use") ? (
        <Form method="get" action="/search" role="search" className="home-search">
          <label htmlFor="home-q" className="visually-hidden">
            Search certified answers
          </label>
          <input id="home-q" name="q" type="search" placeholder="Search certified answers — paste the customer's question" />
          <button type="submit" className="primary">
            Search
          </button>
        </Form>
      ) : null}
      <div className="work-grid">
        {home.reviews ? (
          <WorkPanel
            id="expert"
            title="Reviews waiting for you"
            total={home.reviews.total}
            more={{ to: "/review", label: "Open the review queue" }}
            empty={
              home.expertTopics.length > 0 ? (
                <>Nothing to review in {home.expertTopics.map((t) => t.name).join(", ")}. New drafts in your topics appear here.</>
              ) : (
                <>You are not an expert of any topic yet: an admin assigns topics.</>
              )
            }
          >
            {home.reviews.items.map((i) => (
              <li key={i.versionId}>
                <Link to={`/answers/${i.answerId}/review`}>{i.question}</Link>
                <span className="row-meta">
                  <TopicChips names={i.topicNames} />
                  <span className="age">waiting {age(i.since, now)}</span>
                </span>
              </li>
            ))}
          </WorkPanel>
        ) : null}
        {home.certifications ? (
          <WorkPanel
            id="knowledge-manager"
            title="Ready to certify"
            total={home.certifications.total}
            more={{ to: "/review", label: "Open the certification queue" }}
            empty="No expert-approved answers are waiting. They appear here as soon as experts approve them."
          >
            {home.certifications.items.map((i) => (
              <li key={i.versionId}>
                <Link to={`/answers/${i.answerId}/review`}>{i.question}</Link>
                <span className="row-meta">
                  <TopicChips names={i.topicNames} />
                  <span className="age">approved {age(i.since, now)} ago</span>
                </span>
              </li>
            ))}
          </WorkPanel>
        ) : null}
        {home.drafts ? (
          <WorkPanel
            id="author"
            title="My drafts"
            total={home.drafts.total}
            more={{ to: "/write", label: "All my drafts" }}
            empty={
              <>
                No drafts in progress. <Link to="/answers/new">Write an answer</Link> to a question customers ask: experts review it and a knowledge manager certifies it.
              </>
            }
          >
            {home.drafts.items.map((i) => (
              <li key={i.versionId}>
                <Link to={`/answers/${i.answerId}?version=${i.number}`}>{i.question || "(no question yet)"}</Link>
                <span className="row-meta">
                  <span className={`chip state-${i.state}`}>{STATE_LABELS[i.state] ?? i.state}</span>
                  <span className="age">{age(i.since, now)} ago</span>
                </span>
              </li>
            ))}
          </WorkPanel>
        ) : null}
        {home.due ? (
          <WorkPanel id="due" title="Due for re-verification" total={home.due.total} more={{ to: "/review", label: "See all" }} empty="Nothing you own is due in the next two weeks.">
            {home.due.items.map((d) => (
              <li key={d.answerId}>
                <Link to={`/answers/${d.answerId}`}>{d.question}</Link>
                <span className="row-meta">
                  <span className={`chip ${d.overdue ? "state-reverification_due" : ""}`}>{d.overdue ? "overdue" : `by ${formatDate(d.reverifyAt)}`}</span>
                </span>
              </li>
            ))}
          </WorkPanel>
        ) : null}
        {home.requests ? (
          <WorkPanel
            id="requests"
            title="Requested by agents"
            total={home.requests.total}
            more={{ to: "/requests", label: "All requests" }}
            empty="No open requests in your topics. When agents search and find nothing, their requests appear here."
          >
            {home.requests.items.map((r) => (
              <li key={r.id}>
                <Link to="/requests">{r.question}</Link>
                <span className="row-meta">
                  {r.topicName ? <span className="chip">{r.topicName}</span> : null}
                  <span className="age">
                    {r.askers} asking · {age(r.createdAt, now)}
                  </span>
                </span>
              </li>
            ))}
          </WorkPanel>
        ) : null}
        {home.recentMisses ? (
          <WorkPanel id="agent" title="Your searches that found nothing" total={home.recentMisses.length} empty="Every recent search of yours found a certified answer.">
            {home.recentMisses.map((m, i) => (
              <li key={i}>
                <Link to={`/search?q=${encodeURIComponent(m.query)}`}>{m.query}</Link>
                <span className="row-meta">
                  <span className="age">{age(m.at, now)} ago</span>
                </span>
              </li>
            ))}
          </WorkPanel>
        ) : null}
        {home.recentUses ? (
          <WorkPanel id="recent-uses" title="Answers you used recently" total={home.recentUses.length} more={{ to: "/search", label: "Search answers" }} empty="Answers you copy or mark as used in a reply show up here.">
            {home.recentUses.map((u, i) => (
              <li key={`${u.answerId}-${i}`}>
                <Link to={`/answers/${u.answerId}`}>{u.question}</Link>
                <span className="row-meta">
                  {u.channel ? <span className="chip">{u.channel}</span> : null}
                  <span className="age">{age(u.at, now)} ago</span>
                </span>
              </li>
            ))}
          </WorkPanel>
        ) : null}
        {breaching ? (
          <WorkPanel id="breaching" title="Reviews at or past their target" total={breaching.length} more={{ to: "/insights/queue", label: "The whole queue" }} empty="Every review and certification in your care is within its target.">
            {breaching.map((b) => (
              <li key={b.link}>
                <Link to={b.link}>{b.question}</Link>
                <span className="row-meta">
                  <span className={b.overdue ? "badge danger" : "badge warn"}>
                    {b.overdue ? "Overdue" : "Due today"}: {b.ageDays} of {b.targetDays} working days
                  </span>
                </span>
              </li>
            ))}
          </WorkPanel>
        ) : null}
        {can(roles, "insights.view") || can(roles, "insights.topics") ? (
          <section className="card work-panel" data-home="insights" aria-labelledby="insights-heading">
            <h2 id="insights-heading">Knowledge health{can(roles, "insights.view") ? "" : " of your topics"}</h2>
            <ul className="work-list">
              <li>
                <Link to="/insights">Dashboard: findability, reuse, flow, health, feedback</Link>
              </li>
              <li>
                <Link to="/insights/failed?range=7">Searches that found nothing this week</Link>
              </li>
              <li>
                <Link to="/insights/queue">Review queue ages against target</Link>
              </li>
              <li>
                <Link to={can(roles, "insights.view") ? "/insights/unowned" : "/feedback"}>{can(roles, "insights.view") ? "Answers without an active owner" : "Flags on your topics' answers"}</Link>
              </li>
            </ul>
          </section>
        ) : null}
        {can(roles, "answer.use") ? (
          <section className="card work-panel" data-home="agent-links" aria-labelledby="agent-links-heading">
            <h2 id="agent-links-heading">Your requests and feedback</h2>
            <ul className="work-list">
              <li>
                <Link to="/requests">Answers you asked for</Link>
              </li>
              <li>
                <Link to="/feedback?view=mine">Problems you flagged</Link>
              </li>
            </ul>
          </section>
        ) : null}
        {home.admin ? (
          <section className="card work-panel" data-home="admin" aria-labelledby="admin-heading">
            <h2 id="admin-heading">Administration</h2>
            <p className="stats">
              <span>
                <strong>{home.admin.activeUsers}</strong> active of {home.admin.users} users
              </span>
              <span>
                <strong>{home.admin.topics}</strong> topics
              </span>
            </p>
            <p className="actions">
              <Link to="/admin/users" className="button">
                Users
              </Link>
              <Link to="/admin/topics" className="button">
                Topics and experts
              </Link>
            </p>
          </section>
        ) : null}
      </div>
    </div>
  );
}
