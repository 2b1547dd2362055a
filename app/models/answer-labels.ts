/** Names of workflow states as people read them. Pure: pages import it on the client. */
export const STATE_LABELS: Record<string, string> = {
  draft: "Draft",
  in_review: "In expert review",
  changes_requested: "Changes requested",
  in_certification: "Awaiting certification",
  certified: "Certified",
  reverification_due: "Re-verification due",
  archived: "Archived",
  rejected: "Rejected",
  withdrawn: "Withdrawn",
  superseded: "Superseded",
};
