import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "../auth/session.server";
import { similarAnswers } from "../models/promote.server";

/** Resource route for the duplicate hint: certified answers and open drafts like `?q=`. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "answer.draft");
  const q = (new URL(request.url).searchParams.get("q") ?? "").slice(0, 300);
  return Response.json({ q, items: await similarAnswers(user, q) });
}
