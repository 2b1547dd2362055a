import type { ActionFunctionArgs } from "@remix-run/node";
import { requireUser } from "../auth/session.server";
import { handleFeedbackIntent } from "../models/feedback-actions.server";
import { readForm } from "../utils/forms.server";

/**
 * Rate or flag a certified answer from a search result (and, re-exported, from the help-desk
 * panel): a resource route that answers JSON with real status codes and field errors.
 */
export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = await readForm(request);
  const outcome = await handleFeedbackIntent(user, form, String(form.get("answerId") ?? ""));
  return Response.json(outcome.body, { status: outcome.status });
}
