/** Words for the feedback loop, shared by the server and the browser (no server imports here). */
export const FLAG_REASON_LABELS: Record<string, string> = {
  outdated: "Outdated",
  incorrect: "Incorrect",
  unclear: "Unclear",
  missing_information: "Missing information",
  duplicate: "Duplicate of another answer",
  not_helpful: "Public FAQ reader: not helpful",
};

export const FLAG_STATUS_LABELS: Record<string, string> = {
  open: "Open",
  in_revision: "Being revised",
  resolved: "Fixed",
  dismissed: "Dismissed",
};

export const FEEDBACK_SOURCE_LABELS: Record<string, string> = {
  answer: "answer page",
  search: "search",
  panel: "help-desk panel",
  faq: "public FAQ",
};

/** What a reader may flag (the FAQ's anonymous "not helpful" is filed by the system). */
export const READER_REASONS = ["outdated", "incorrect", "unclear", "missing_information", "duplicate"] as const;
