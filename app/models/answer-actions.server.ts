import { isUuid } from "../utils/http.server";
import { data, redirect } from "@remix-run/node";
import { requireUser } from "../auth/session.server";
import { DomainError } from "../utils/errors";
import { parseForm, readForm, type FieldErrors } from "../utils/forms.server";
import { TransitionSchema } from "./answer.schema";
import { reviseAnswer, sendEvent, type UserEvent } from "./answer.server";

/** Accepts a pasted answer address (…/answers/<id>) where an answer id is asked for. */
function answerIdFrom(value: FormDataEntryValue | null): FormDataEntryValue | null {
  if (typeof value !== "string") return value;
  const match = /([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/i.exec(value);
  return match ? match[1]! : value.trim() || null;
}

/**
 * The action behind every workflow button on the answer and review pages: parse, then let the
 * workflow service decide (it checks roles, expertise, separation of duties and staleness).
 */
export async function handleAnswerAction(request: Request, answerId: string) {
  const user = await requireUser(request);
  const formData = await readForm(request);
  if (!isUuid(answerId)) throw new Response("There is no answer at this address.", { status: 404 });
  const dup = formData.get("duplicateOf");
  if (dup !== null) {
    const id = answerIdFrom(dup);
    if (id) formData.set("duplicateOf", id);
    else formData.delete("duplicateOf");
  }
  const intent = String(formData.get("intent") ?? "");
  const parsed = parseForm(formData, TransitionSchema);
  if (!parsed.ok) return refused(intent, parsed.errors);
  const input = parsed.value;
  try {
    if (input.intent === "REVISE") {
      await reviseAnswer({ actor: user, answerId });
      return redirect(`/answers/${answerId}/edit`);
    }
    const versionId = String(formData.get("versionId") ?? "");
    const { intent, revision, ...rest } = input;
    const result = await sendEvent({ actor: user, answerId, versionId, revision, event: { type: intent, ...rest } as UserEvent });
    return data({ ok: true as const, message: MESSAGES[intent] ?? "Done.", to: result.to });
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    const missing = (error.details.missing as [string, string][] | undefined) ?? [[error.details.field ?? "form", error.message]];
    const errors: FieldErrors = {};
    for (const [field, message] of missing) (errors[field] ??= []).push(message);
    return refused(intent, errors, error.status);
  }
}

/** A refused workflow action names its intent, so the page shows the reason beside that button. */
function refused(intent: string, errors: FieldErrors, status = 400) {
  return data({ ok: false as const, intent, errors }, { status });
}

const MESSAGES: Record<string, string> = {
  SUBMIT: "Submitted: the topic's experts have been asked to review it.",
  RESUBMIT: "Resubmitted for review.",
  WITHDRAW: "Withdrawn. The text is kept in the history.",
  APPROVE: "Approved.",
  REQUEST_CHANGES: "Changes requested: the author has been told.",
  REJECT: "Rejected.",
  CERTIFY: "Certified: this is now the answer agents and readers get.",
  REVERIFY: "Re-verified: the answer is current again.",
  ARCHIVE: "Archived: it no longer appears in search.",
  RESTORE: "Restored.",
};
