import type { SessionUser } from "../auth/session.server";
import { domainErrorResponse, invalid, parseForm } from "../utils/forms.server";
import { ConversationParam, RequestSchema } from "./agent.schema";
import { requestAnswer } from "./agent.server";

// The panel route's parsing lives here, not in the route module: a schema imported by the route
// drags zod (90 KB gzip) into the panel's first load, whose budget is 100 KB.

/** The help desk's ticket from `?conversation=`, or undefined. */
export function panelConversation(url: URL): string | undefined {
  return ConversationParam.parse(url.searchParams.get("conversation") ?? undefined) || undefined;
}

/** "Request an answer" from the panel: the outcome, or the response that says what was wrong. */
export async function requestFromPanel(user: SessionUser, form: FormData): Promise<{ joined: boolean; refused?: undefined } | { refused: ReturnType<typeof invalid> }> {
  const parsed = parseForm(form, RequestSchema);
  if (!parsed.ok) return { refused: invalid(parsed.errors) };
  try {
    const { joined } = await requestAnswer({ ...parsed.value, userId: user.id });
    return { joined };
  } catch (error) {
    return { refused: domainErrorResponse(error) };
  }
}
