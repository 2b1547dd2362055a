import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requirePermission } from "../auth/session.server";
import { agentSearch, type AgentSearchData } from "../models/agent-search.server";
import { AnswerSearch } from "../ui/answer-search";

export const meta: MetaFunction = () => [{ title: "Search · Vetted" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "search.use");
  return agentSearch(new URL(request.url), user);
}

export default function Search() {
  const data = useLoaderData<typeof loader>() as AgentSearchData;
  return <AnswerSearch initial={data} basePath="/search" />;
}
