import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useLoaderData, useSearchParams } from "@remix-run/react";
import { requirePermission } from "../auth/session.server";
import { agentSearch, type AgentSearchData } from "../models/agent-search.server";
import { panelConversation, requestFromPanel } from "../models/panel.server";
import { AnswerSearch } from "../ui/answer-search";
import { SignOutForm } from "../ui/sign-out";
import { readForm } from "../utils/forms.server";

export const meta: MetaFunction = () => [{ title: "Vetted panel" }];

/**
 * The help-desk panel: the agent's search, compact, for a 360 px sidebar inside Zendesk,
 * Freshdesk, Intercom, Front or a CRM. `?q=` prefills the search (the ticket's subject);
 * `?conversation=` names the ticket, so "Used in reply" counts once per ticket. Framing is allowed
 * only to the origins an admin lists (server/http.ts sets frame-ancestors).
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "search.use");
  const url = new URL(request.url);
  const search = await agentSearch(url, user);
  return { ...search, conversation: panelConversation(url), who: user.displayName };
}

/** "Request an answer" from inside the panel: the agent stays in the ticket. */
export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "answer.request");
  const outcome = await requestFromPanel(user, await readForm(request));
  if (outcome.refused) return outcome.refused;
  return redirect(`/panel/search?requested=${outcome.joined ? "joined" : "created"}`);
}

export default function Panel() {
  const data = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const requested = params.get("requested");
  return (
    <>
      <div className="panel-header">
        <a href="/" target="_blank" rel="noopener" className="brand-small">
          ✓ Vetted
        </a>
        <span className="muted">{data.who}</span>
        <SignOutForm action="/panel/logout" />
      </div>
      {requested ? (
        <p className="notice success" role="status">
          {requested === "joined" ? "Someone asked this already: you were added, and you will be told when it is certified." : "Requested: the topic's experts are told, and your Vetted inbox says when it is certified."}
        </p>
      ) : null}
      <AnswerSearch initial={data as AgentSearchData} basePath="/panel/search" compact conversation={data.conversation} />
    </>
  );
}
