import { diffWords } from "diff";

export interface DiffSide {
  parts: { text: string; kind: "same" | "removed" | "added" }[];
}

/** A side-by-side word diff: the old text with removals marked, the new with additions marked. */
export function sideBySide(before: string, after: string): { before: DiffSide; after: DiffSide; changed: boolean } {
  const changes = diffWords(before, after);
  return {
    before: { parts: changes.filter((c) => !c.added).map((c) => ({ text: c.value, kind: c.removed ? "removed" : "same" })) },
    after: { parts: changes.filter((c) => !c.removed).map((c) => ({ text: c.value, kind: c.added ? "added" : "same" })) },
    changed: changes.some((c) => c.added || c.removed),
  };
}
