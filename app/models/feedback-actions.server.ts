import { subDays } from "date-fns";
import { z } from "zod";
import { getDb } from "../../db/client.server";
import { can } from "../auth/policy";
import type { SessionUser } from "../auth/session.server";
import { DomainError } from "../utils/errors";
import { parseForm, type FieldErrors } from "../utils/forms.server";
import {
  answerFeedback,
  DismissSchema,
  dismissFlag,
  feedbackActing,
  feedbackActingBreakdown,
  feedbackQueue,
  flagAnswer,
  FlagSchema,
  getFlag,
  QUEUE_VIEWS,
  rateAnswer,
  RateSchema,
  startRevisionForFlag,
  type QueueView,
  type RatingCounts,
} from "./feedback.server";
import { listTopics } from "./topic.server";

export type FeedbackOutcome =
  | { status: 200; body: { ok: true; intent: "rate" | "flag"; message: string; ratings?: RatingCounts; flagId?: string } }
  | { status: number; body: { ok: false; intent: string; errors: FieldErrors } };

const refused = (intent: string, status: number, errors: FieldErrors): FeedbackOutcome => ({ status, body: { ok: false, intent, errors } });

/**
 * "Helpful / not helpful" and "Flag a problem", from the answer page, a search result or the
 * help-desk panel: one parser and one set of messages for the three places (the form is already
 * CSRF-checked by the caller's readForm).
 */
export async function handleFeedbackIntent(user: SessionUser, form: FormData, answerId: string): Promise<FeedbackOutcome> {
  const intent = String(form.get("intent") ?? "");
  if (!can(user.roles, "answer.feedback")) return refused(intent, 403, { form: ["Your role cannot rate or flag answers."] });
  try {
    if (intent === "rate") {
      const parsed = parseForm(form, RateSchema);
      if (!parsed.ok) return refused(intent, 400, parsed.errors);
      const ratings = await rateAnswer(getDb(), user, answerId, parsed.value);
      const message = parsed.value.helpful ? "Thanks: marked helpful." : "Thanks: marked not helpful. Flag a problem to say what is wrong, and the owner will act on it.";
      return { status: 200, body: { ok: true, intent, message, ratings } };
    }
    if (intent === "flag") {
      const parsed = parseForm(form, FlagSchema);
      if (!parsed.ok) return refused(intent, 400, parsed.errors);
      const filed = await flagAnswer(getDb(), user, answerId, parsed.value);
      const who = filed.assigneeName ? `${filed.assigneeName} (the answer's owner)` : "the topic's experts";
      const moved = filed.movedToReverification ? " The answer is now marked for re-verification." : "";
      return { status: 200, body: { ok: true, intent, flagId: filed.flagId, message: `Flagged: ${who} will act on it, and your inbox will say what happened.${moved}` } };
    }
    return refused(intent, 400, { form: ["Choose to rate the answer or flag a problem."] });
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return refused(intent, error.status, { [error.details.field ?? "form"]: [error.message] });
  }
}

/** The owner's (or an expert's) answer to a flag: start the revision that fixes it, or dismiss it. */
export async function handleFlagDecision(user: SessionUser, form: FormData, flagId: string): Promise<{ redirectTo: string } | { status: number; errors: FieldErrors; intent: string }> {
  const intent = String(form.get("intent") ?? "");
  if (!can(user.roles, "feedback.act")) return { status: 403, intent, errors: { form: ["Your role cannot act on flags."] } };
  try {
    if (intent === "revise") {
      const started = await startRevisionForFlag(getDb(), user, flagId);
      return { redirectTo: started.editable ? `/answers/${started.answerId}/edit` : `/answers/${started.answerId}` };
    }
    if (intent === "dismiss") {
      const parsed = parseForm(form, DismissSchema);
      if (!parsed.ok) return { status: 400, intent, errors: parsed.errors };
      await dismissFlag(getDb(), user, flagId, parsed.value.reason);
      return { redirectTo: `/feedback/${flagId}?done=dismissed` };
    }
    return { status: 400, intent, errors: { form: ["Choose to start a revision or dismiss the flag."] } };
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return { status: error.status, intent, errors: { [error.details.field ?? "form"]: [error.message] } };
  }
}

/** The answer page's feedback card for this reader (ratings, their flag, open flags if they act). */
export function readerFeedback(user: SessionUser, answerId: string) {
  return answerFeedback(getDb(), user, answerId);
}

const QueueQuery = z.object({
  view: z.enum(QUEUE_VIEWS).optional(),
  topic: z.uuid().optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).optional().catch(undefined),
});

/**
 * The Feedback page: those who act on flags start on the open ones (oldest first, the overdue on
 * top); everyone else on the flags they filed. The figures are "how often are we acting on
 * feedback": the share acted on and the median time, over the last 90 days.
 */
export async function feedbackQueuePage(user: SessionUser, url: URL) {
  const mayAct = can(user.roles, "feedback.act");
  const raw = Object.fromEntries(url.searchParams);
  const parsed = QueueQuery.safeParse(raw);
  const q = parsed.success ? parsed.data : {};
  const view: QueueView = q.view ?? (mayAct ? "open" : "mine");
  const db = getDb();
  const since = subDays(new Date(), 90);
  const [queue, topics, acting] = await Promise.all([
    feedbackQueue(db, user, { view: mayAct ? view : "mine", topicId: q.topic, page: q.page ?? 1 }),
    listTopics(db),
    mayAct ? actingFigures({ topicId: q.topic, since }) : null,
  ]);
  return { view: mayAct ? view : ("mine" as const), topic: q.topic ?? "", queue, mayAct, acting, topics: topics.map((t) => ({ id: t.id, name: t.name })) };
}

/** One flag's page: what was said, what happened, and (for those who act) the two decisions. */
export async function flagPage(user: SessionUser, flagId: string) {
  return getFlag(getDb(), user, flagId);
}

/** "How often are we acting on the feedback we get?": overall, per topic and per owner since a date. */
export async function actingFigures(opts: { since: Date; topicId?: string | undefined }) {
  const db = getDb();
  const [overall, breakdown] = await Promise.all([feedbackActing(db, opts), feedbackActingBreakdown(db, opts)]);
  return { since: opts.since, ...overall, ...breakdown };
}
