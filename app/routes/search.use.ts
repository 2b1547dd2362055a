import type { ActionFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { can } from "../auth/policy";
import { forbidden, requireUser } from "../auth/session.server";
import { UseSchema } from "../models/agent.schema";
import { recordUse } from "../models/agent.server";
import { domainErrorResponse, invalid, parseForm, readForm } from "../utils/forms.server";

/** Records a copy or a "used in reply" from the search page (one click, reuse metrics). */
export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const parsed = parseForm(await readForm(request), UseSchema);
  if (!parsed.ok) return invalid(parsed.errors);
  const needed = parsed.value.kind === "used" ? "answer.use" : "search.use";
  if (!can(user.roles, needed)) throw forbidden();
  try {
    await recordUse({ ...parsed.value, userId: user.id });
    return data({ ok: true as const });
  } catch (error) {
    return domainErrorResponse(error);
  }
}
