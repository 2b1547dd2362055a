import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { can } from "../auth/policy";
import { forbidden, requireUser } from "../auth/session.server";
import { certificationQueue, reverificationDue, reviewQueue, type QueueItem } from "../models/answer.server";
import { age, formatDate } from "../ui/format";

export const meta: MetaFunction = () => [{ title: "Review · Vetted" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  if (!can(user.roles, "answer.review") && !can(user.roles, "answer.certify")) throw forbidden();
  const [review, certification, due] = await Promise.all([reviewQueue(user), certificationQueue(user), reverificationDue(user)]);
  return {
    now: new Date().toISOString(),
    isExpert: can(user.roles, "answer.review"),
    isKm: can(user.roles, "answer.certify"),
    review,
    certification,
    due,
  };
}

function Queue({ items, now, to, empty }: { items: (QueueItem & { reverifyAt?: Date | string | null })[]; now: string; to: (i: QueueItem) => string; empty: string }) {
  if (items.length === 0) return <p className="muted">{empty}</p>;
  return (
    <table className="data-table">
      <thead>
        <tr>
          <th scope="col">Question</th>
          <th scope="col">Topic</th>
          <th scope="col">Author</th>
          <th scope="col">Waiting</th>
        </tr>
      </thead>
      <tbody>
        {items.map((i) => (
          <tr key={i.versionId}>
            <td>
              <Link to={to(i)}>{i.question}</Link>
            </td>
            <td>{i.topicNames.join(", ")}</td>
            <td>{i.authorName}</td>
            <td>{i.reverifyAt ? `due since ${formatDate(i.reverifyAt)}` : age(i.since, now)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export default function Review() {
  const { now, isExpert, isKm, review, certification, due } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Review</h1>
      {isExpert ? (
        <section aria-labelledby="review-heading">
          <h2 id="review-heading">Drafts waiting for your review ({review.length})</h2>
          <Queue items={review} now={now} to={(i) => `/answers/${i.answerId}/review`} empty="No drafts wait for review in your topics." />
        </section>
      ) : null}
      {isKm ? (
        <section aria-labelledby="cert-heading">
          <h2 id="cert-heading">Approved, waiting for certification ({certification.length})</h2>
          <Queue items={certification} now={now} to={(i) => `/answers/${i.answerId}/review`} empty="Nothing waits for certification." />
        </section>
      ) : null}
      <section aria-labelledby="due-heading">
        <h2 id="due-heading">Re-verification due ({due.length})</h2>
        <Queue items={due} now={now} to={(i) => `/answers/${i.answerId}`} empty="Every answer you look after is current." />
      </section>
    </>
  );
}
