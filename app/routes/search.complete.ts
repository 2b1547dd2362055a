import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "../auth/session.server";
import { CompleteParamsSchema } from "../site-search/schema";
import { completeQuery, takeCompletionAllowance } from "../site-search/suggestions.server";

/**
 * Resource route for the search box's completions: `?q=` → whole-query completions from
 * certified questions (and the other completion sources). JSON; 400 on bad input, 429 when one
 * person asks too often.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "search.use");
  const parsed = CompleteParamsSchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) return Response.json({ error: parsed.error.issues[0]?.message ?? "Bad request" }, { status: 400 });
  const allowed = await takeCompletionAllowance(user.id);
  if (!allowed.ok) return Response.json({ error: "Too many requests" }, { status: 429, headers: { "Retry-After": String(allowed.retryAfterSeconds) } });
  const items = await completeQuery(parsed.data.q, parsed.data.limit);
  return Response.json({ q: parsed.data.q, items }, { headers: { "Cache-Control": "private, no-store" } });
}
