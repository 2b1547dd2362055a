import { formatDateTime } from "./format";

const EVENT_LABELS: Record<string, string> = {
  CREATE: "created the draft",
  REVISE: "started a revision",
  SUBMIT: "submitted it for review",
  RESUBMIT: "resubmitted it",
  WITHDRAW: "withdrew it",
  APPROVE: "approved",
  REQUEST_CHANGES: "requested changes",
  REJECT: "rejected it",
  CERTIFY: "certified it",
  REVERIFICATION_DUE: "Re-verification became due",
  FEEDBACK_REVERIFY: "Readers flagged it: re-verification became due",
  REVERIFY: "re-verified it",
  ARCHIVE: "archived it",
  RESTORE: "restored it",
  SUPERSEDE: "Superseded by a newer certified version",
  IMPORT: "imported it",
  REIMPORT: "re-imported it with new text from the source",
};

export interface HistoryEvent {
  id: string;
  at: Date | string;
  actorName: string | null;
  event: string;
  from: string | null;
  to: string;
  comment: string | null;
  versionNumber: number;
  data?: Record<string, unknown>;
}

/** The audit trail of an answer: who, when, from, to and the comment. */
export function History({ events }: { events: HistoryEvent[] }) {
  return (
    <section aria-labelledby="history-heading">
      <h2 id="history-heading">History</h2>
      <ol className="timeline">
        {events.map((e) => (
          <li key={e.id} data-event={e.event}>
            <time dateTime={new Date(e.at).toISOString()}>{formatDateTime(e.at)}</time>{" "}
            <strong>{e.actorName ?? "Vetted"}</strong> {EVENT_LABELS[e.event] ?? e.event}{" "}
            <span className="muted">
              (version {e.versionNumber}
              {e.from ? `: ${e.from.replace(/_/g, " ")} → ${e.to.replace(/_/g, " ")}` : ""})
            </span>
            {e.comment ? <blockquote className="comment">{e.comment}</blockquote> : null}
            {typeof e.data?.duplicateOf === "string" ? (
              <p>
                Duplicate of <a href={`/answers/${e.data.duplicateOf}`}>the existing answer</a>: improve that one instead.
              </p>
            ) : null}
          </li>
        ))}
      </ol>
    </section>
  );
}
