import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { MAIL_KIND_BY_NAME } from "../notifications/mail-kinds";
import { DIGEST_KIND } from "../notifications/mail-render.server";
import { unsubscribe, unsubscribeLinkOf } from "../notifications/preferences.server";
import { readFormData } from "../utils/forms.server";

export const meta: MetaFunction = () => [{ title: "Unsubscribe · Vetted" }];

const what = (kind: string) => (kind === DIGEST_KIND ? "the daily digest" : `“${MAIL_KIND_BY_NAME.get(kind)?.label ?? kind}”`);

// The signed link itself is the authority: no sign-in, and no CSRF token (mail clients post it in one click, RFC 8058).
export function loader({ request }: LoaderFunctionArgs) {
  const link = unsubscribeLinkOf(request);
  if (!link) return data({ ok: false as const }, { status: 400 });
  return { ok: true as const, what: what(link.kind) };
}

export async function action({ request }: ActionFunctionArgs) {
  await readFormData(request);
  const link = unsubscribeLinkOf(request);
  if (!link) return data({ done: false as const }, { status: 400 });
  await unsubscribe(link.userId, link.kind);
  return { done: true as const, what: what(link.kind) };
}

export default function Unsubscribe() {
  const loaded = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  if (!loaded.ok || (result && !result.done)) {
    return (
      <section className="card narrow">
        <h1>This unsubscribe link does not work</h1>
        <p>
          It may have been cut short by your mail program. Change what you receive in your <Link to="/settings/notifications">notification settings</Link>.
        </p>
      </section>
    );
  }
  return (
    <section className="card narrow">
      <h1>Unsubscribe</h1>
      {result?.done ? (
        <p className="notice success" role="status">
          Done: no more emails about {result.what}. It still arrives in your Inbox; turn it back on in your <Link to="/settings/notifications">notification settings</Link>.
        </p>
      ) : (
        <Form method="post">
          <p>Stop emails about {loaded.what}? It will still arrive in your Inbox.</p>
          <button type="submit" className="primary">
            Stop these emails
          </button>
        </Form>
      )}
    </section>
  );
}
