import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requirePermission } from "../auth/session.server";
import { mailQueueDetail } from "../notifications/mail-queue.server";

export const meta: MetaFunction = () => [{ title: "Email · Admin · Vetted" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "admin.settings");
  const detail = await mailQueueDetail();
  return { ...detail, lastFailure: detail.lastFailure ? { ...detail.lastFailure, nextAttemptAt: detail.lastFailure.nextAttemptAt.toISOString() } : null };
}

export default function AdminMail() {
  const m = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Email</h1>
      <section className="card">
        <h2>Delivery</h2>
        <p>
          {m.mode === "smtp"
            ? "Mail is sent through the SMTP server in SMTP_URL."
            : m.mode === "log"
              ? "SMTP_URL is not set: in development, mail is written to the server log instead of being sent."
              : "Email is off: set SMTP_URL and SMTP_FROM in the environment and restart to turn it on."}
        </p>
        <dl className="facts">
          <dt>Waiting to be sent</dt>
          <dd>
            {m.pending}
            {m.pending > 0 ? ` (oldest ${m.oldestSeconds} s)` : ""}
          </dd>
          <dt>Failing (will be retried)</dt>
          <dd>{m.failing}</dd>
          <dt>Waiting for a daily digest</dt>
          <dd>{m.digestWaiting}</dd>
          <dt>Sent in the last 24 hours</dt>
          <dd>{m.sentLastDay}</dd>
        </dl>
        {m.lastFailure ? (
          <p className="notice" role="status">
            Last failure after {m.lastFailure.attempts} attempt{m.lastFailure.attempts === 1 ? "" : "s"}: <code>{m.lastFailure.error}</code>. Next try at{" "}
            <time dateTime={m.lastFailure.nextAttemptAt}>{m.lastFailure.nextAttemptAt.replace("T", " ").slice(0, 19)} UTC</time>. Nothing is lost while the server is
            down.
          </p>
        ) : null}
      </section>
    </>
  );
}
