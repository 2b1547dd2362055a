import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { DomainError } from "../utils/errors";
import { recordUse } from "../models/agent.server";
import { apiError, fieldErrors, requireApiToken } from "../models/api.server";

const Body = z.object({
  channel: z.enum(["phone", "email", "chat", "social"], { message: "channel is phone, email, chat or social" }),
  kind: z.enum(["used", "copy_short", "copy_full"]).default("used"),
});

/** POST /api/v1/answers/{id}/uses — a help-desk tool says an answer was used in a reply. */
export async function action({ request, params }: ActionFunctionArgs) {
  if (request.method !== "POST") return apiError(405, "method_not_allowed", "Use POST.", {}, { Allow: "POST" });
  const token = await requireApiToken(request, "uses:write");
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    return apiError(400, "invalid_json", "Send a JSON body such as {\"channel\": \"email\"}.");
  }
  const parsed = Body.safeParse(body);
  if (!parsed.success) return apiError(400, "invalid_request", "Some fields are not valid.", { fields: fieldErrors(parsed.error) });
  const id = z.uuid().safeParse(params.answerId);
  if (!id.success) return apiError(404, "not_found", "No certified answer has this id.");
  try {
    const { versionId } = await recordUse({ answerId: id.data, kind: parsed.data.kind, channel: parsed.data.channel, apiTokenId: token.id });
    return Response.json({ recorded: true, answerId: id.data, versionId, channel: parsed.data.channel, kind: parsed.data.kind }, { status: 201 });
  } catch (error) {
    if (error instanceof DomainError) return apiError(error.status, error.code, error.message);
    throw error;
  }
}

export function loader() {
  return apiError(405, "method_not_allowed", "Use POST.", {}, { Allow: "POST" });
}
