import type { ActionFunctionArgs } from "@remix-run/node";
import { can } from "../auth/policy";
import { forbidden, requireUser } from "../auth/session.server";
import { UndoUseSchema, UseSchema } from "../models/agent.schema";
import { recordUse, takeUseAllowance, undoUse } from "../models/agent.server";
import { DomainError } from "../utils/errors";
import { parseForm, readForm } from "../utils/forms.server";

const CHANNEL_WORDS = { chat: "a chat", email: "an email", social: "a social", phone: "a phone" } as const;

/**
 * Records a copy or a "used in reply" from the search page, the answer page and the panel, and
 * undoes a use. A resource route: it answers JSON with real status codes.
 */
export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = await readForm(request);
  const fail = (status: number, message: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
    Response.json({ ok: false, message, ...extra }, { status, headers });
  try {
    if (form.get("intent") === "undo") {
      if (!can(user.roles, "answer.use")) throw forbidden();
      const parsed = parseForm(form, UndoUseSchema);
      if (!parsed.ok) return fail(400, Object.values(parsed.errors).flat().join(" "), { errors: parsed.errors });
      await undoUse({ useId: parsed.value.useId, userId: user.id });
      return Response.json({ ok: true, undone: true, message: "Undone: this use no longer counts." });
    }
    const parsed = parseForm(form, UseSchema);
    if (!parsed.ok) return fail(400, Object.values(parsed.errors).flat().join(" "), { errors: parsed.errors });
    const needed = parsed.value.kind === "used" ? "answer.use" : "search.use";
    if (!can(user.roles, needed)) throw forbidden();
    const allowance = await takeUseAllowance(user.id);
    if (!allowance.ok) return fail(429, allowance.message, {}, { "Retry-After": String(allowance.retryAfterSeconds) });
    const { useId, repeated } = await recordUse({ ...parsed.value, userId: user.id });
    const where = parsed.value.channel ? ` in ${CHANNEL_WORDS[parsed.value.channel]} reply` : " in a reply";
    const message =
      parsed.value.kind !== "used"
        ? "Copied."
        : repeated
          ? `Already recorded as used${where} in the last 10 minutes; it counts once.`
          : `Recorded as used${where}.`;
    return Response.json({ ok: true, useId, repeated, kind: parsed.value.kind, message });
  } catch (error) {
    if (error instanceof DomainError) return fail(error.status, error.message);
    throw error;
  }
}
