import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { requirePermission } from "../auth/session.server";
import { REPLY_FORMATS } from "../models/agent.schema";
import { replyBaseUrl, replyIn } from "../models/agent-desk.server";
import { isUuid } from "../utils/http.server";

const Query = z.object({ format: z.enum(REPLY_FORMATS, { message: `format is one of ${REPLY_FORMATS.join(", ")}` }) });

/**
 * GET /answers/{id}/reply?format=chat — what the copy buttons put on the clipboard: the
 * certified answer as plain text and as sanitised HTML, for one channel. A resource route (JSON
 * with real statuses); the buttons fetch it inside the click, so the clipboard gets both flavours.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, "search.use");
  const parsed = Query.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) return Response.json({ ok: false, message: parsed.error.issues[0]?.message }, { status: 400 });
  const id = params.answerId ?? "";
  const reply = isUuid(id) ? await replyIn(parsed.data.format, id, replyBaseUrl(request)) : null;
  if (!reply) return Response.json({ ok: false, message: "No certified answer has this id." }, { status: 404 });
  return Response.json({ ok: true, format: parsed.data.format, ...reply }, { headers: { "Cache-Control": "private, no-store" } });
}
