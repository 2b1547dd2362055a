import { z } from "zod";
import { AUDIENCES } from "./audience";

export const SHORT_ANSWER_MAX = 280;

const lines = (max: number, each: z.ZodString) =>
  z.preprocess(
    (v) => (typeof v === "string" ? v.split(/\r?\n/).map((s) => s.trim()).filter(Boolean) : v),
    z.array(each).max(max, `At most ${max} lines`).default([]),
  );

/** Tiptap JSON as the editor's hidden input posts it (a string), or the object itself. */
export const richTextJson = (what: string) =>
  z.preprocess(
    (v, ctx) => {
      if (typeof v !== "string") return v;
      try {
        return JSON.parse(v) as unknown;
      } catch {
        ctx.addIssue({ code: "custom", message: `${what} could not be read; reload the editor and try again` });
        return z.NEVER;
      }
    },
    z.custom<object>((v) => typeof v === "object" && v !== null, `${what} is missing`),
  );

/**
 * A draft answer as the editor posts it. Everything may still be incomplete in a draft;
 * `ReadyForReview` says what a submission needs.
 */
export const DraftSchema = z.object({
  question: z
    .string({ message: "Write the customer's question" })
    .trim()
    .min(3, "Write the customer's question (at least 3 characters)")
    .max(300, "Keep the question under 300 characters"),
  alternatives: lines(20, z.string().max(300, "Keep each phrasing under 300 characters")),
  shortAnswer: z.string().trim().max(SHORT_ANSWER_MAX, `The short answer must fit a social reply: at most ${SHORT_ANSWER_MAX} characters`).default(""),
  /** Tiptap JSON: a string as the form posts it, or the object itself (imports, re-validation). */
  body: richTextJson("The full answer"),
  topicIds: z.array(z.uuid("Unknown topic")).max(5, "Choose at most 5 topics").default([]),
  tags: z.preprocess(
    (v) =>
      typeof v === "string"
        ? v
            .split(",")
            .map((t) => t.trim().toLowerCase())
            .filter(Boolean)
        : v,
    z
      .array(z.string().regex(/^[\p{L}\p{N}][\p{L}\p{N} ._-]{0,39}$/u, "Tags are words of up to 40 letters, digits, spaces, dots or dashes"))
      .max(20, "At most 20 tags")
      .default([]),
  ),
  audience: z.enum(AUDIENCES, { message: "Choose internal or public" }).default("internal"),
});
export type DraftInput = z.output<typeof DraftSchema>;

const optionalText = (max: number, message: string) =>
  z
    .string()
    .trim()
    .max(max, message)
    .optional()
    .transform((s) => (s ? s : undefined));

/**
 * A revision, version or lock counter sent back by a form. Its columns are 4-byte integers, so a
 * larger number would fail in the database (a 500) instead of being refused here (a 400).
 */
export const versionNumber = (message = "Reload the page and try again") =>
  z.number({ message }).int(message).min(1, message).max(2_147_483_647, message);

/**
 * A decision posted from the answer or review page. Emptiness of comments and reasons is left
 * to the approval machine, which owns those rules and says why it refuses.
 */
export const TransitionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("REVISE") }),
  ...(["SUBMIT", "RESUBMIT", "WITHDRAW", "RESTORE"] as const).map((intent) =>
    z.object({ intent: z.literal(intent), revision: versionNumber() }),
  ),
  z.object({ intent: z.literal("APPROVE"), revision: versionNumber(), comment: optionalText(5000, "Keep the comment under 5000 characters") }),
  z.object({ intent: z.literal("REVERIFY"), revision: versionNumber(), comment: optionalText(5000, "Keep the comment under 5000 characters") }),
  z.object({
    intent: z.literal("REQUEST_CHANGES"),
    revision: versionNumber(),
    comment: optionalText(5000, "Keep the comment under 5000 characters").transform((s) => s ?? ""),
  }),
  z.object({
    intent: z.literal("REJECT"),
    revision: versionNumber(),
    reason: optionalText(2000, "Keep the reason under 2000 characters").transform((s) => s ?? ""),
    duplicateOf: z.uuid("Paste the address or id of the existing answer").optional(),
  }),
  z.object({ intent: z.literal("ARCHIVE"), revision: versionNumber(), reason: optionalText(2000, "Keep the reason under 2000 characters").transform((s) => s ?? "") }),
  z.object({
    intent: z.literal("CERTIFY"),
    revision: versionNumber(),
    ownerId: z.uuid("Choose the answer's owner"),
    reverifyIntervalDays: z.number({ message: "Enter a number of days" }).int().min(1, "At least 1 day").max(3650, "At most 3650 days"),
  }),
]);
export type TransitionInput = z.output<typeof TransitionSchema>;

/** What the author typed, as the form posted it: a refused save shows it again, so nothing is lost. */
export interface SubmittedDraft {
  question: string;
  alternatives: string[];
  shortAnswer: string;
  body: Record<string, unknown> | null;
  topicIds: string[];
  tags: string[];
  audience: "internal" | "public";
}

export function submittedDraft(formData: FormData): SubmittedDraft {
  const str = (k: string) => {
    const v = formData.get(k);
    return typeof v === "string" ? v : "";
  };
  let body: Record<string, unknown> | null = null;
  try {
    const parsed: unknown = JSON.parse(str("body"));
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) body = parsed as Record<string, unknown>;
  } catch {
    body = null;
  }
  return {
    question: str("question"),
    alternatives: str("alternatives").split(/\r?\n/),
    shortAnswer: str("shortAnswer"),
    body,
    topicIds: formData.getAll("topicIds").filter((v): v is string => typeof v === "string"),
    tags: str("tags").split(",").map((t) => t.trim()).filter(Boolean),
    audience: str("audience") === "public" ? "public" : "internal",
  };
}
