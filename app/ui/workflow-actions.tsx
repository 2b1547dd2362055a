import { Form, Link } from "@remix-run/react";
import { CsrfInput } from "./csrf-input";
import { FieldError } from "./field-error";

interface Props {
  page: {
    answerId: string;
    shown: { id: string; revision: number; state: string };
    allowed: string[];
    canEdit?: boolean;
    missingForReview?: string[];
  };
  certify: { owners: { id: string; displayName: string }[]; defaultOwnerId: string; defaultIntervalDays: number } | null;
  errors: Record<string, string[]>;
  /** The workflow event the last refused post asked for: its reason is shown beside that button. */
  refusedIntent?: string | undefined;
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

/** Fields each decision form shows its own errors beside; anything else is the refusal's reason. */
const OWN_FIELDS: Record<string, string[]> = {
  REQUEST_CHANGES: ["comment"],
  REJECT: ["reason", "duplicateOf"],
  CERTIFY: ["ownerId", "reverifyIntervalDays"],
  ARCHIVE: ["reason"],
};

/** Is the refusal of this post shown beside its button (else the page shows it at the top)? */
export function refusalShownBeside(page: Props["page"], intent: string | undefined): boolean {
  return !!intent && page.allowed.includes(intent);
}

function Refusal({ intent, errors }: { intent: string; errors: Record<string, string[]> }) {
  const own = OWN_FIELDS[intent] ?? [];
  const messages = Object.entries(errors)
    .filter(([field]) => !own.includes(field))
    .flatMap(([, m]) => m);
  if (messages.length === 0) return null;
  return (
    <div id={`refusal-${intent}`} className="field-error refusal" role="alert">
      {messages.length === 1 ? (
        <p>{messages[0]}</p>
      ) : (
        <ul>
          {messages.map((m) => (
            <li key={m}>{m}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

/**
 * The buttons and small forms for exactly the workflow events the machine says this user may
 * send now (`allowed` comes from `snapshot.can`): the page never repeats the rules.
 */
export function WorkflowActions({ page, certify, errors: allErrors, refusedIntent, reviewPage = false }: Props) {
  const can = (e: string) => page.allowed.includes(e);
  // Field errors belong to the form that was posted, not to every form with a field of that name.
  const errorsOf = (e: string): Record<string, string[]> => (e === refusedIntent ? allErrors : {});
  const refusal = (e: string) => (e === refusedIntent ? <Refusal intent={e} errors={allErrors} /> : null);
  const describedBy = (e: string) => (e === refusedIntent ? `refusal-${e}` : undefined);
  const missing = page.missingForReview ?? [];
  const reviewing = can("APPROVE") || can("REQUEST_CHANGES") || can("REJECT");
  if (page.allowed.length === 0) return null;
  return (
    <section className="card workflow-actions" aria-labelledby="actions-heading">
      <h2 id="actions-heading">What you can do</h2>
      {missing.length > 0 ? (
        <div className="notice warn" id="missing-for-review">
          <p>Before this draft can go to review:</p>
          <ul>
            {missing.map((m) => (
              <li key={m}>{m}</li>
            ))}
          </ul>
          {page.canEdit ? (
            <p>
              <Link to={`/answers/${page.answerId}/edit`}>Edit the draft</Link> to add them.
            </p>
          ) : null}
        </div>
      ) : null}
      <div className="actions">
        {(["SUBMIT", "RESUBMIT", "WITHDRAW", "RESTORE"] as const)
          .filter(can)
          .map((e) => (
            <Form
              method="post"
              key={e}
              className="action-form"
              onSubmit={(event) => {
                if (e === "WITHDRAW" && !window.confirm("Withdraw this draft from review? It stays in My drafts, and you can start it again later.")) event.preventDefault();
              }}
            >
              <Hidden page={page} />
              <button
                type="submit"
                name="intent"
                value={e}
                className={e === "WITHDRAW" ? undefined : "primary"}
                aria-describedby={[describedBy(e), (e === "SUBMIT" || e === "RESUBMIT") && missing.length > 0 ? "missing-for-review" : undefined].filter(Boolean).join(" ") || undefined}
              >
                {{ SUBMIT: "Submit for review", RESUBMIT: "Resubmit for review", WITHDRAW: "Withdraw", RESTORE: "Restore" }[e]}
              </button>
              {refusal(e)}
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
              <button type="submit" name="intent" value="APPROVE" className="primary" aria-describedby={describedBy("APPROVE")}>
                Approve
              </button>
          {refusal("APPROVE")}
            </Form>
          ) : null}
          {can("REQUEST_CHANGES") ? (
            <Form method="post" className="decision">
              <Hidden page={page} />
              <label htmlFor="changes-comment">What should change? (required)</label>
              <textarea id="changes-comment" name="comment" rows={3} aria-describedby="comment-error" />
              <FieldError id="comment-error" errors={errorsOf("REQUEST_CHANGES").comment} />
              <button type="submit" name="intent" value="REQUEST_CHANGES" aria-describedby={describedBy("REQUEST_CHANGES")}>
                Request changes
              </button>
          {refusal("REQUEST_CHANGES")}
            </Form>
          ) : null}
          {can("REJECT") ? (
            <Form method="post" className="decision">
              <Hidden page={page} />
              <label htmlFor="reject-reason">Why reject it? (required)</label>
              <textarea id="reject-reason" name="reason" rows={2} aria-describedby="reason-error" />
              <FieldError id="reason-error" errors={errorsOf("REJECT").reason} />
              <label htmlFor="reject-duplicate">Duplicate of (address of the existing answer, optional)</label>
              <input id="reject-duplicate" name="duplicateOf" placeholder="/answers/…" />
              <FieldError id="duplicateOf-error" errors={errorsOf("REJECT").duplicateOf} />
              <button type="submit" name="intent" value="REJECT" className="danger" aria-describedby={describedBy("REJECT")}>
                Reject
              </button>
          {refusal("REJECT")}
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
          <FieldError id="ownerId-error" errors={errorsOf("CERTIFY").ownerId} />
          <label htmlFor="reverifyIntervalDays">Re-verify every (days)</label>
          <input id="reverifyIntervalDays" name="reverifyIntervalDays" type="number" min={1} max={3650} defaultValue={certify.defaultIntervalDays} />
          <FieldError id="reverifyIntervalDays-error" errors={errorsOf("CERTIFY").reverifyIntervalDays} />
          <button type="submit" name="intent" value="CERTIFY" className="primary" aria-describedby={describedBy("CERTIFY")}>
            Certify
          </button>
          {refusal("CERTIFY")}
        </Form>
      ) : null}
      {can("REVERIFY") ? (
        <Form method="post" className="decision">
          <Hidden page={page} />
          <label htmlFor="reverify-comment">Note (optional)</label>
          <input id="reverify-comment" name="comment" />
          <button type="submit" name="intent" value="REVERIFY" className="primary" aria-describedby={describedBy("REVERIFY")}>
            Re-verify: still correct
          </button>
          {refusal("REVERIFY")}
        </Form>
      ) : null}
      {can("ARCHIVE") ? (
        <Form method="post" className="decision">
          <Hidden page={page} />
          <label htmlFor="archive-reason">Why archive it? (required)</label>
          <input id="archive-reason" name="reason" aria-describedby="archive-reason-error" />
          <FieldError id="archive-reason-error" errors={errorsOf("ARCHIVE").reason} />
          <button type="submit" name="intent" value="ARCHIVE" className="danger" aria-describedby={describedBy("ARCHIVE")}>
            Archive
          </button>
          {refusal("ARCHIVE")}
        </Form>
      ) : null}
    </section>
  );
}
