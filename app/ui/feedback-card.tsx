import { Link } from "@remix-run/react";
import type { ReactNode } from "react";
import { FLAG_REASON_LABELS, FLAG_STATUS_LABELS } from "../models/feedback-labels";
import { formatDate } from "./format";

interface FlagSummary {
  id: string;
  reason: string;
  comment: string;
  status: string;
  createdAt: Date | string;
  flaggerName: string | null;
  ageDays: number;
  targetDays: number;
  overdue: boolean;
}

interface Props {
  /** Colleagues' ratings of the live version and the flags for those who act on them. */
  readers: { ratings: { helpful: number; notHelpful: number }; openFlags: FlagSummary[]; openCount: number } | null;
  /** The public FAQ's "Was this helpful?" counts. */
  faq: { helpful: number; notHelpful: number; recentComments: { helpful: boolean; comment: string; at: Date | string }[] } | null;
  faqPath: string | null;
  children?: ReactNode;
}

/** Age against the topic's response target, the way every flag list shows it. */
export function FlagAge({ flag }: { flag: Pick<FlagSummary, "ageDays" | "targetDays" | "overdue" | "status"> }) {
  if (flag.status !== "open") return <span className="muted">{FLAG_STATUS_LABELS[flag.status] ?? flag.status}</span>;
  return flag.overdue ? (
    <span className="badge danger">
      Overdue: {flag.ageDays} working days (target {flag.targetDays})
    </span>
  ) : (
    <span className="badge">
      {flag.ageDays === 0 ? "New today" : `${flag.ageDays} working ${flag.ageDays === 1 ? "day" : "days"} old`} · target {flag.targetDays}
    </span>
  );
}

/** The answer page's "Feedback" card: what readers and the FAQ said, and what to do about it. */
export function FeedbackCard({ readers, faq, faqPath, children }: Props) {
  return (
    <section aria-labelledby="feedback-heading" className="card feedback-card">
      <h2 id="feedback-heading">Feedback</h2>
      <p>
        {readers ? (
          <>
            Colleagues: <strong>{readers.ratings.helpful}</strong> helpful, <strong>{readers.ratings.notHelpful}</strong> not helpful
            {readers.openCount > 0 ? (
              <>
                {" · "}
                <span className="badge warn">
                  {readers.openCount} open {readers.openCount === 1 ? "flag" : "flags"}
                </span>
              </>
            ) : null}
          </>
        ) : null}
        {faq && (faq.helpful > 0 || faq.notHelpful > 0 || faqPath) ? (
          <>
            {readers ? <br /> : null}
            {faqPath ? <a href={faqPath}>Public FAQ</a> : "Public FAQ"}: <strong>{faq.helpful}</strong> found it helpful, <strong>{faq.notHelpful}</strong> did not.
          </>
        ) : null}
      </p>
      {faq && faq.recentComments.length > 0 ? (
        <ul className="feedback-comments">
          {faq.recentComments.map((c, i) => (
            <li key={i}>
              {c.helpful ? "Helpful" : "Not helpful"} · {formatDate(c.at)}: {c.comment}
            </li>
          ))}
        </ul>
      ) : null}
      {readers && readers.openFlags.length > 0 ? (
        <>
          <h3>Open flags for you to act on</h3>
          <ul className="flag-list">
            {readers.openFlags.map((f) => (
              <li key={f.id}>
                <Link to={`/feedback/${f.id}`}>{FLAG_REASON_LABELS[f.reason] ?? f.reason}</Link> · {f.flaggerName ?? "anonymous FAQ reader"} · {formatDate(f.createdAt)} <FlagAge flag={f} />
                {f.comment ? <p className="muted">“{f.comment}”</p> : null}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {children}
    </section>
  );
}
