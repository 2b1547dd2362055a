import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { can } from "../auth/policy";
import { forbidden, requireUser } from "../auth/session.server";
import { certificationQueue, reverificationDue, reviewQueue, type QueueItem } from "../models/answer.server";
import { reviewTargetsByVersion } from "../models/insights.server";
import { TopicChips } from "../ui/chips";
import { age, formatDate } from "../ui/format";

export const meta: MetaFunction = () => [{ title: "Review · Vetted" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  if (!can(user.roles, "answer.review") && !can(user.roles, "answer.certify")) throw forbidden();
  const [review, certification, due, targets] = await Promise.all([reviewQueue(user), certificationQueue(user), reverificationDue(user), reviewTargetsByVersion()]);
  return {
    now: new Date().toISOString(),
    isExpert: can(user.roles, "answer.review"),
    isKm: can(user.roles, "answer.certify"),
    review,
    certification,
    due,
    targets,
  };
}

type Target = { ageDays: number; targetDays: number; overdue: boolean; dueNext: boolean };

/** Dense rows: the question, then its topics as chips, the author and how long it has waited. */
function Queue({ items, now, to, empty, targets = {} }: { items: (QueueItem & { reverifyAt?: Date | string | null })[]; now: string; to: (i: QueueItem) => string; empty: string; targets?: Record<string, Target> }) {
  if (items.length === 0) return <p className="empty-state">{empty}</p>;
  return (
    <ul className="work-list queue">
      {items.map((i) => (
        <li key={i.versionId}>
          <Link to={to(i)}>{i.question}</Link>
          <span className="row-meta">
            <TopicChips names={i.topicNames} />
            <span>by {i.authorName}</span>
            {i.number > 1 ? <span className="chip">revision · v{i.number}</span> : null}
            {i.reverifyAt ? (
              <span className="chip state-reverification_due">due since {formatDate(i.reverifyAt)}</span>
            ) : (
              <span className={`age${ageDays(i.since, now) >= 3 ? " old" : ""}`}>waiting {age(i.since, now)}</span>
            )}
            {targets[i.versionId] ? <TargetBadge t={targets[i.versionId]!} /> : null}
          </span>
        </li>
      ))}
    </ul>
  );
}

/** Age against the topic's review target in working days; past it, the item has been escalated. */
function TargetBadge({ t }: { t: Target }) {
  if (t.overdue) return <span className="badge danger">Past target: {t.ageDays} working days (target {t.targetDays})</span>;
  if (t.dueNext) return <span className="badge warn">Due today: target {t.targetDays} working days</span>;
  return <span className="badge">{t.ageDays} of {t.targetDays} working days</span>;
}

function ageDays(since: Date | string, now: string): number {
  return (new Date(now).getTime() - new Date(since).getTime()) / 86_400_000;
}

export default function Review() {
  const { now, isExpert, isKm, review, certification, due, targets } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Review</h1>
      <p className="muted">Oldest first. A draft waiting three days or more is marked.</p>
      {isExpert ? (
        <section aria-labelledby="review-heading" className="card work-panel">
          <h2 id="review-heading">Drafts waiting for your review ({review.length})</h2>
          <Queue items={review} now={now} targets={targets} to={(i) => `/answers/${i.answerId}/review`} empty="No drafts wait for review in your topics." />
        </section>
      ) : null}
      {isKm ? (
        <section aria-labelledby="cert-heading" className="card work-panel">
          <h2 id="cert-heading">Approved, waiting for certification ({certification.length})</h2>
          <Queue items={certification} now={now} targets={targets} to={(i) => `/answers/${i.answerId}/review`} empty="Nothing waits for certification." />
        </section>
      ) : null}
      <section aria-labelledby="due-heading" className="card work-panel">
        <h2 id="due-heading">Re-verification due ({due.length})</h2>
        <Queue items={due} now={now} to={(i) => `/answers/${i.answerId}`} empty="Every answer you look after is current." />
      </section>
    </>
  );
}
