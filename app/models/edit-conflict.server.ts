import { DomainError } from "../utils/errors";
import { prepareBody } from "./content.server";
import { sideBySide } from "./diff.server";

/** The stored text an edit collided with (blog posts and forum questions; wiki pages have revisions). */
export interface EditConflict {
  version: number;
  title: string;
  bodyText: string;
  at: Date;
}

/**
 * The edit started from `baseVersion`, but the text has been saved since (by another tab,
 * another window, another device): nothing is written, and the conflict carries the current
 * text so the editor can compare and save again deliberately.
 */
export function assertCurrentVersion(what: "post" | "question", stored: { version: number; title: string; bodyText: string; updatedAt: Date }, baseVersion: number): void {
  if (stored.version === baseVersion) return;
  const conflict: EditConflict = { version: stored.version, title: stored.title, bodyText: stored.bodyText, at: stored.updatedAt };
  throw new DomainError(
    "conflict",
    `This ${what} was saved again (version ${stored.version}) after you started editing version ${baseVersion}. Your changes were not saved and are still in the form below: compare them with the current text, then save again to replace it.`,
    { field: "form", conflict },
  );
}

/** What the edit form shows on a conflict: the current text and the editor's, side by side. */
export function editConflictView(conflict: EditConflict, yours: { title: string; body: unknown }) {
  const mine = prepareBody(yours.body);
  return {
    current: { version: conflict.version, title: conflict.title, at: conflict.at, bodyText: conflict.bodyText },
    yours: { title: yours.title, body: mine.body, bodyText: mine.bodyText },
    diff: sideBySide(`${conflict.title}\n\n${conflict.bodyText}`, `${yours.title}\n\n${mine.bodyText}`),
  };
}
