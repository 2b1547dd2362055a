import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { requirePermission } from "../auth/session.server";
import { ComingSoon } from "../ui/coming-soon";

export const meta: MetaFunction = () => [{ title: "Search · Vetted" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "search.use");
  return null;
}

export default function Search() {
  return <ComingSoon title="Search">Searching certified answers arrives once answers can be certified.</ComingSoon>;
}
