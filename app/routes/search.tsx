import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requirePermission } from "../auth/session.server";
import { agentSearch, type AgentSearchData } from "../models/agent-search.server";
import { AnswerSearch } from "../ui/answer-search";

export const meta: MetaFunction = () => [{ title: "Search · Vetted" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "search.use");
  // The page searches the wiki, blog and forum too (for who may read them); the help-desk panel does not.
  return agentSearch(new URL(request.url), user, { allowContent: true });
}

export default function Search() {
  const data = useLoaderData<typeof loader>() as AgentSearchData;
  return <AnswerSearch initial={data} basePath="/search" completeUrl="/search/complete" />;
}
