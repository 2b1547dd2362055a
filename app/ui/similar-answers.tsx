import { Link } from "@remix-run/react";

export interface SimilarItem {
  answerId: string;
  question: string;
  matched: string;
  state: string;
  certified: boolean;
  authorName: string;
  mine: boolean;
}

/** The duplicate hint beside a new answer's question: improve the single source instead. */
export function SimilarAnswers({ items }: { items: SimilarItem[] }) {
  return (
    <aside className="similar" aria-live="polite" aria-labelledby="similar-heading" hidden={items.length === 0}>
      <h2 id="similar-heading">Similar answers already exist</h2>
      <p className="muted">Improve one of these instead of writing a second answer to the same question.</p>
      <ul>
        {items.map((s) => (
          <li key={s.answerId}>
            {s.certified || s.mine ? <Link to={`/answers/${s.answerId}`}>{s.question}</Link> : <span>{s.question}</span>}{" "}
            <span className={`badge state-${s.state}`}>{s.certified ? "Certified" : `Draft in progress by ${s.authorName}`}</span>
            {s.matched !== s.question ? <span className="muted"> — also asked as “{s.matched}”</span> : null}
          </li>
        ))}
      </ul>
    </aside>
  );
}
