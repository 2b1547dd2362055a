/**
 * The kinds of inbox items that can also come by email, as a person chooses them on
 * /settings/notifications. Shared by the settings page (browser) and the mail queue (server).
 * A notify() kind not listed here never sends mail.
 */
export const DELIVERY_MODES = ["immediate", "digest", "off"] as const;
export type DeliveryMode = (typeof DELIVERY_MODES)[number];

export const DELIVERY_LABELS: Record<DeliveryMode, string> = {
  immediate: "Immediately",
  digest: "Daily digest",
  off: "Off",
};

export interface MailKind {
  kind: string;
  label: string;
  /** What the person is asked to do, the message's call to action. */
  action: string;
  defaultMode: DeliveryMode;
}

/** Things that wait for the person come at once by default; news about others' work in the digest. */
export const MAIL_KINDS: readonly MailKind[] = [
  { kind: "review_requested", label: "Review requested in your topics", action: "Review it", defaultMode: "immediate" },
  { kind: "certification_requested", label: "An answer is ready to certify", action: "Certify it", defaultMode: "immediate" },
  { kind: "changes_requested", label: "Changes requested on your draft", action: "See the comments", defaultMode: "immediate" },
  { kind: "rejected", label: "Your draft was rejected", action: "See why", defaultMode: "immediate" },
  { kind: "certified", label: "Your answer was certified", action: "Open the answer", defaultMode: "immediate" },
  { kind: "reverification_due", label: "An answer you own is due for re-verification", action: "Re-verify it", defaultMode: "immediate" },
  { kind: "review_escalated", label: "A review in your topics is past its target", action: "Open the review queue", defaultMode: "immediate" },
  { kind: "flag_filed", label: "Someone flagged an answer you own", action: "Look at the flag", defaultMode: "immediate" },
  { kind: "request_answered", label: "An answer you asked for is certified", action: "Open the answer", defaultMode: "immediate" },
  { kind: "answer_requested", label: "An answer is requested in your topics", action: "See the request", defaultMode: "digest" },
  { kind: "flag_resolved", label: "Your flag led to a change", action: "See what changed", defaultMode: "digest" },
  { kind: "flag_dismissed", label: "Your flag was looked at", action: "Read the reason", defaultMode: "digest" },
  { kind: "reply", label: "Replies to your forum threads", action: "Read the reply", defaultMode: "digest" },
  { kind: "accepted", label: "Your forum reply was accepted", action: "Open the thread", defaultMode: "digest" },
  { kind: "mention", label: "You were mentioned", action: "Read it", defaultMode: "digest" },
];

export const MAIL_KIND_BY_NAME: ReadonlyMap<string, MailKind> = new Map(MAIL_KINDS.map((k) => [k.kind, k]));

/** Mail that is not a notification and cannot be turned off (it answers the person's own request). */
export const PASSWORD_RESET_KIND = "password_reset";
