import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "../auth/session.server";
import { listNotifications, markNotificationsRead } from "../models/answer.server";
import { CsrfInput } from "../ui/csrf-input";
import { formatDateTime } from "../ui/format";
import { readForm } from "../utils/forms.server";

const KINDS: Record<string, string> = {
  mention: "Mention",
  reply: "Reply to your thread",
  accepted: "Accepted answer",
};

export const meta: MetaFunction = () => [{ title: "Inbox · Vetted" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return { items: await listNotifications(user.id) };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  await readForm(request);
  await markNotificationsRead(user.id);
  return redirect("/inbox");
}

export default function Inbox() {
  const { items } = useLoaderData<typeof loader>();
  const unread = items.filter((i) => !i.readAt).length;
  return (
    <>
      <h1>Inbox</h1>
      {unread > 0 ? (
        <Form method="post">
          <CsrfInput />
          <button type="submit">Mark all {unread} as read</button>
        </Form>
      ) : null}
      {items.length === 0 ? <p className="muted">Nothing here yet.</p> : null}
      <ul className="inbox">
        {items.map((n) => (
          <li key={n.id} className={n.readAt ? "read" : "unread"}>
            {n.readAt ? null : <span className="badge">new</span>} {KINDS[n.kind] ? <span className="badge kind">{KINDS[n.kind]}</span> : null} <Link to={n.link}>{n.title}</Link>{" "}
            <span className="muted">{formatDateTime(n.createdAt)}</span>
          </li>
        ))}
      </ul>
    </>
  );
}
