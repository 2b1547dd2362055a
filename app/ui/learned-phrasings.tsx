import { Form, Link } from "@remix-run/react";
import type { PhrasingRow } from "../learning/review.server";
import { CsrfInput } from "./csrf-input";
import { formatDate } from "./format";

/** A phrasing as the page receives it: the model's row, its dates serialised. */
export type LearnedPhrasingView = Omit<PhrasingRow, "firstSeenAt" | "lastSeenAt"> & { lastSeenAt: string | Date };

/** Promote / reject buttons for one learned phrasing; posts to /phrasings and comes back to `back`. */
export function PhrasingDecisions({ p, back }: { p: LearnedPhrasingView; back: string }) {
  if (p.status !== "learned") return <span className="muted">{p.status}</span>;
  return (
    <Form method="post" action="/phrasings" className="inline-form">
      <CsrfInput />
      <input type="hidden" name="phrasingId" value={p.id} />
      <input type="hidden" name="back" value={back} />
      <button type="submit" name="intent" value="promote" aria-label={`Promote “${p.phrasing}” to an “also asked as”`}>
        Promote
      </button>{" "}
      <button type="submit" name="intent" value="reject" aria-label={`Reject “${p.phrasing}”`}>
        Reject
      </button>
    </Form>
  );
}

/** The answer page's card: how agents worded the question before using this answer. */
export function LearnedPhrasings({ phrasings, minAgents, back }: { phrasings: LearnedPhrasingView[]; minAgents: number; back: string }) {
  if (phrasings.length === 0) return null;
  return (
    <section className="card" aria-labelledby="learned-heading">
      <h2 id="learned-heading">Learned phrasings</h2>
      <p className="muted">
        Agents searched with these words before using this answer. A phrasing is searchable once {minAgents} different agents taught it; promote one
        to make it an official “also asked as” (a new draft, reviewed like any edit), or reject it to keep it out of search for good.
      </p>
      <PhrasingTable phrasings={phrasings} back={back} />
    </section>
  );
}

/** The phrasings with their evidence and a decision each; the review list adds the answer column. */
export function PhrasingTable({ phrasings, back, showAnswer = false }: { phrasings: LearnedPhrasingView[]; back: string; showAnswer?: boolean }) {
  return (
    <table>
      <thead>
        <tr>
          <th scope="col">Phrasing</th>
          {showAnswer ? <th scope="col">Answer</th> : null}
          <th scope="col">Agents</th>
          <th scope="col">Conversations</th>
          <th scope="col">Last seen</th>
          <th scope="col">In search</th>
          <th scope="col">Decision</th>
        </tr>
      </thead>
      <tbody>
        {phrasings.map((p) => (
          <tr key={p.id}>
            <td>{p.phrasing}</td>
            {showAnswer ? (
              <td>
                <Link to={`/answers/${p.answerId}`}>{p.question ?? "(no certified version)"}</Link>
              </td>
            ) : null}
            <td>{p.agents}</td>
            <td>{p.conversations}</td>
            <td>{formatDate(p.lastSeenAt)}</td>
            <td>{p.active ? "yes" : "not yet"}</td>
            <td>
              <PhrasingDecisions p={p} back={back} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
