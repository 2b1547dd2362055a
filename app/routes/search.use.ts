import type { ActionFunctionArgs } from "@remix-run/node";
import { can } from "../auth/policy";
import { forbidden, requireUser } from "../auth/session.server";
import { UseSchema } from "../models/agent.schema";
import { recordUse, takeUseAllowance } from "../models/agent.server";
import { DomainError } from "../utils/errors";
import { parseForm, readForm } from "../utils/forms.server";

/**
 * Records a copy or a "used in reply" from the search page (one click, reuse metrics). A resource
 * route: it answers JSON with real status codes (data() statuses are not applied here).
 */
export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const parsed = parseForm(await readForm(request), UseSchema);
  if (!parsed.ok) return Response.json({ ok: false, message: Object.values(parsed.errors).flat().join(" "), errors: parsed.errors }, { status: 400 });
  const needed = parsed.value.kind === "used" ? "answer.use" : "search.use";
  if (!can(user.roles, needed)) throw forbidden();
  const allowance = takeUseAllowance(user.id);
  if (!allowance.ok) return Response.json({ ok: false, message: allowance.message }, { status: 429, headers: { "Retry-After": String(allowance.retryAfterSeconds) } });
  try {
    await recordUse({ ...parsed.value, userId: user.id });
    return Response.json({ ok: true });
  } catch (error) {
    if (error instanceof DomainError) return Response.json({ ok: false, message: error.message }, { status: error.status });
    throw error;
  }
}
