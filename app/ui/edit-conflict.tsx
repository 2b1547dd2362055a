import type { DiffSide } from "../models/diff.server";
import { DiffView } from "./diff-view";

/** Shown above the edit form when a save collided with a newer version: nothing was saved. */
export function EditConflictNotice({ what, conflict }: { what: "post" | "question"; conflict: { current: { version: number }; diff: { before: DiffSide; after: DiffSide; changed: boolean } } }) {
  return (
    <section className="card conflict" aria-labelledby="conflict-heading">
      <h2 id="conflict-heading">This {what} was saved again while you were editing</h2>
      <p>
        Version {conflict.current.version} (perhaps from another tab or window) is now the current text. Your text was <strong>not</strong> saved. Left: the
        current version; right: yours.
      </p>
      <DiffView diff={conflict.diff} beforeLabel={`Current (version ${conflict.current.version})`} afterLabel="Yours (not saved)" />
      <p>Below is your text again, now based on version {conflict.current.version}. Save to replace the current text with it.</p>
    </section>
  );
}
