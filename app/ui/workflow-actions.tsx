import { Form, Link } from "@remix-run/react";
import { CsrfInput } from "./csrf-input";
import { FieldError } from "./field-error";

interface Props {
  page: {
    answerId: string;
    shown: { id: string; revision: number; state: string };
    allowed: string[];
  };
  certify: { owners: { id: string; displayName: string }[]; defaultOwnerId: string; defaultIntervalDays: number } | null;
  errors: Record<string, string[]>;
  /** On the review page the decision forms are shown; elsewhere reviewers get a link to it. */
  reviewPage?: boolean;
}

function Hidden({ page }: Pick<Props, "page">) {
  return (
    <>
      <CsrfInput />
      <input type="hidden" name="versionId" value={page.shown.id} />
      <input type="hidden" name="revision" value={page.shown.revision} />
    </>
  );
}

/**
 * The buttons and small forms for exactly the workflow events the machine says this user may
 * send now (`allowed` comes from `snapshot.can`): the page never repeats the rules.
 */
export function WorkflowActions({ page, certify, errors, reviewPage = false }: Props) {
  const can = (e: string) => page.allowed.includes(e);
  const reviewing = can("APPROVE") || can("REQUEST_CHANGES") || can("REJECT");
  if (page.allowed.length === 0) return null;
  return (
    <section className="card workflow-actions" aria-labelledby="actions-heading">
      <h2 id="actions-heading">What you can do</h2>
      <div className="actions">
        {(["SUBMIT", "RESUBMIT", "WITHDRAW", "RESTORE"] as const)
          .filter(can)
          .map((e) => (
            <Form method="post" key={e}>
              <Hidden page={page} />
              <button type="submit" name="intent" value={e} className={e === "WITHDRAW" ? undefined : "primary"}>
                {{ SUBMIT: "Submit for review", RESUBMIT: "Resubmit for review", WITHDRAW: "Withdraw", RESTORE: "Restore" }[e]}
              </button>
            </Form>
          ))}
      </div>
      {reviewing && !reviewPage ? (
        <p>
          <Link className="button primary" to={`/answers/${page.answerId}/review`}>
            Review this draft
          </Link>
        </p>
      ) : null}
      {reviewing && reviewPage ? (
        <div className="decisions">
          {can("APPROVE") ? (
            <Form method="post" className="decision">
              <Hidden page={page} />
              <label htmlFor="approve-comment">Comment (optional)</label>
              <textarea id="approve-comment" name="comment" rows={2} />
              <button type="submit" name="intent" value="APPROVE" className="primary">
                Approve
              </button>
            </Form>
          ) : null}
          {can("REQUEST_CHANGES") ? (
            <Form method="post" className="decision">
              <Hidden page={page} />
              <label htmlFor="changes-comment">What should change? (required)</label>
              <textarea id="changes-comment" name="comment" rows={3} aria-describedby="comment-error" />
              <FieldError id="comment-error" errors={errors.comment} />
              <button type="submit" name="intent" value="REQUEST_CHANGES">
                Request changes
              </button>
            </Form>
          ) : null}
          {can("REJECT") ? (
            <Form method="post" className="decision">
              <Hidden page={page} />
              <label htmlFor="reject-reason">Why reject it? (required)</label>
              <textarea id="reject-reason" name="reason" rows={2} aria-describedby="reason-error" />
              <FieldError id="reason-error" errors={errors.reason} />
              <label htmlFor="reject-duplicate">Duplicate of (address of the existing answer, optional)</label>
              <input id="reject-duplicate" name="duplicateOf" placeholder="/answers/…" />
              <FieldError id="duplicateOf-error" errors={errors.duplicateOf} />
              <button type="submit" name="intent" value="REJECT" className="danger">
                Reject
              </button>
            </Form>
          ) : null}
        </div>
      ) : null}
      {can("CERTIFY") && certify ? (
        <Form method="post" className="decision">
          <Hidden page={page} />
          <label htmlFor="ownerId">Owner (keeps it current)</label>
          <select id="ownerId" name="ownerId" defaultValue={certify.defaultOwnerId}>
            {certify.owners.map((o) => (
              <option key={o.id} value={o.id}>
                {o.displayName}
              </option>
            ))}
          </select>
          <FieldError id="ownerId-error" errors={errors.ownerId} />
          <label htmlFor="reverifyIntervalDays">Re-verify every (days)</label>
          <input id="reverifyIntervalDays" name="reverifyIntervalDays" type="number" min={1} max={3650} defaultValue={certify.defaultIntervalDays} />
          <FieldError id="reverifyIntervalDays-error" errors={errors.reverifyIntervalDays} />
          <button type="submit" name="intent" value="CERTIFY" className="primary">
            Certify
          </button>
        </Form>
      ) : null}
      {can("REVERIFY") ? (
        <Form method="post" className="decision">
          <Hidden page={page} />
          <label htmlFor="reverify-comment">Note (optional)</label>
          <input id="reverify-comment" name="comment" />
          <button type="submit" name="intent" value="REVERIFY" className="primary">
            Re-verify: still correct
          </button>
        </Form>
      ) : null}
      {can("ARCHIVE") ? (
        <Form method="post" className="decision">
          <Hidden page={page} />
          <label htmlFor="archive-reason">Why archive it? (required)</label>
          <input id="archive-reason" name="reason" aria-describedby="archive-reason-error" />
          <FieldError id="archive-reason-error" errors={errors.reason} />
          <button type="submit" name="intent" value="ARCHIVE" className="danger">
            Archive
          </button>
        </Form>
      ) : null}
    </section>
  );
}
