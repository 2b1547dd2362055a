import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "../auth/session.server";
import { listNotifications, markNotificationsRead } from "../models/answer.server";
import { CsrfInput } from "../ui/csrf-input";
import { formatDateTime, plural } from "../ui/format";
import { readForm } from "../utils/forms.server";

const KINDS: Record<string, string> = {
  mention: "Mention",
  reply: "Reply to your thread",
  accepted: "Accepted answer",
  review_requested: "Review",
  certification_requested: "Certification",
  changes_requested: "Changes requested",
  rejected: "Rejected",
  certified: "Certified",
  reverification_due: "Re-verification",
  answer_requested: "Request",
  request_answered: "Request answered",
  review_escalated: "Review overdue",
};

export const meta: MetaFunction = () => [{ title: "Inbox · Vetted" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const unreadOnly = new URL(request.url).searchParams.get("show") === "unread";
  const all = await listNotifications(user.id);
  const items = all.map((n) => ({
    id: n.id,
    kind: n.kind,
    title: n.title,
    createdAt: n.createdAt,
    read: n.readAt !== null,
    resolved: typeof n.data?.resolved === "string" ? n.data.resolved : null,
    // Everything about one answer (review asked, changes requested, certified…) is one group.
    group: /^\/answers\/[0-9a-f-]{36}/i.exec(n.link)?.[0] ?? n.id,
  }));
  const groups = new Map<string, typeof items>();
  for (const item of items) {
    if (unreadOnly && item.read) continue;
    groups.set(item.group, [...(groups.get(item.group) ?? []), item]);
  }
  return { unreadOnly, unread: items.filter((i) => !i.read).length, total: items.length, groups: [...groups.values()] };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  await readForm(request);
  await markNotificationsRead(user.id);
  return redirect("/inbox");
}

export default function Inbox() {
  const { groups, unread, total, unreadOnly } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Inbox</h1>
      <div className="actions">
        <nav aria-label="Show" className="filter-links">
          <Link to="/inbox" aria-current={unreadOnly ? undefined : "page"}>
            All ({total})
          </Link>{" "}
          <Link to="/inbox?show=unread" aria-current={unreadOnly ? "page" : undefined}>
            Unread ({unread})
          </Link>
        </nav>
        {unread > 0 ? (
          <Form method="post">
            <CsrfInput />
            <button type="submit">Mark all as read</button>
          </Form>
        ) : null}
      </div>
      {groups.length === 0 ? <p className="muted">{unreadOnly ? "Nothing unread: you are up to date." : "Nothing here yet."}</p> : null}
      <ul className="inbox">
        {groups.map((items) => {
          const [latest, ...older] = items;
          if (!latest) return null;
          const newCount = items.filter((i) => !i.read).length;
          return (
            <li key={latest.id} className={newCount > 0 ? "unread" : "read"}>
              {newCount > 0 ? <span className="badge">{newCount > 1 ? `${newCount} new` : "new"}</span> : null}{" "}
              {KINDS[latest.kind] ? <span className="badge kind">{KINDS[latest.kind]}</span> : null}{" "}
              <Link to={`/inbox/${latest.id}`}>{latest.title}</Link> <span className="muted">{formatDateTime(latest.createdAt)}</span>
              {latest.resolved ? <span className="muted"> · done: {latest.resolved}</span> : null}
              {older.length > 0 ? (
                <details>
                  <summary>{plural(older.length, "earlier update")}</summary>
                  <ul>
                    {older.map((n) => (
                      <li key={n.id} className={n.read ? "read" : "unread"}>
                        {n.read ? null : <span className="badge">new</span>} <Link to={`/inbox/${n.id}`}>{n.title}</Link>{" "}
                        <span className="muted">{formatDateTime(n.createdAt)}</span>
                        {n.resolved ? <span className="muted"> · done: {n.resolved}</span> : null}
                      </li>
                    ))}
                  </ul>
                </details>
              ) : null}
            </li>
          );
        })}
      </ul>
    </>
  );
}
