import type { DiffSide } from "../models/diff.server";

/** Two columns: removals marked on the left, additions on the right. */
export function DiffView({ diff, beforeLabel, afterLabel }: { diff: { before: DiffSide; after: DiffSide; changed: boolean }; beforeLabel: string; afterLabel: string }) {
  return (
    <div className="diff" data-testid="diff">
      <div>
        <h3>{beforeLabel}</h3>
        <div className="diff-side">
          {diff.before.parts.map((p, i) => (p.kind === "removed" ? <del key={i}>{p.text}</del> : <span key={i}>{p.text}</span>))}
        </div>
      </div>
      <div>
        <h3>{afterLabel}</h3>
        <div className="diff-side">
          {diff.after.parts.map((p, i) => (p.kind === "added" ? <ins key={i}>{p.text}</ins> : <span key={i}>{p.text}</span>))}
        </div>
      </div>
      {diff.changed ? null : <p className="muted">The two texts are the same.</p>}
    </div>
  );
}
