import { Form, Link } from "@remix-run/react";
import { CsrfInput } from "./csrf-input";

export interface SynonymSuggestionView {
  searched: string;
  answered: string;
  phrasings: number;
  agents: number;
  examples: string[];
}

/** Admin → Search: word pairs suggested by what agents searched before using answers. */
export function SynonymSuggestions({ suggestions }: { suggestions: SynonymSuggestionView[] }) {
  return (
    <section className="card" aria-labelledby="suggestions-heading">
      <h3 id="suggestions-heading">Learned from agents’ searches</h3>
      <p>
        <Link to="/phrasings">Review learned phrasings</Link>: wordings agents searched with before using an answer.
      </p>
      {suggestions.length === 0 ? <p className="muted">No synonym suggestions yet.</p> : null}
      {suggestions.length === 0 ? null : (
        <ul>
          {suggestions.map((s) => (
            <li key={`${s.searched}|${s.answered}`}>
              Agents who searched <strong>{s.searched}</strong> used answers about <strong>{s.answered}</strong> ({s.phrasings} phrasings, {s.agents}{" "}
              agents; e.g. <q>{s.examples[0]}</q>)
              <Form method="post" className="inline-form">
                <CsrfInput />
                <input type="hidden" name="intent" value="add-suggestion" />
                <input type="hidden" name="searched" value={s.searched} />
                <input type="hidden" name="answered" value={s.answered} />
                <button type="submit">Add as synonyms</button>
              </Form>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
