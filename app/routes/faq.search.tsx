import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { getBranding, searchFaq } from "../models/faq.server";
import { faqOrigin } from "../models/faq-page.server";
import type { PublicHandle } from "../root";
import { FaqErrorBoundary } from "../ui/faq/error";
import { FaqSearchPage } from "../ui/faq/pages";
import { headToMeta, searchHead } from "../ui/faq/seo";
import { liveFaqUrls } from "../ui/faq/urls";

export const handle: PublicHandle = { publicFaq: true };
export const meta: MetaFunction<typeof loader> = ({ data }) => (data ? headToMeta(data.head, data.branding.companyName) : []);

/** Search over public answers only; an over-long query is cut rather than refused. */
export async function loader({ request }: LoaderFunctionArgs) {
  const origin = faqOrigin(request);
  const query = (new URL(request.url).searchParams.get("q") ?? "").trim().slice(0, 200);
  const [branding, results] = await Promise.all([getBranding(), searchFaq(query)]);
  return { origin, branding, query, results, head: searchHead(branding, liveFaqUrls(origin)) };
}

export default function FaqSearch() {
  const { origin, branding, query, results } = useLoaderData<typeof loader>();
  return <FaqSearchPage branding={branding} urls={liveFaqUrls(origin)} query={query} results={results} />;
}

export const ErrorBoundary = FaqErrorBoundary;
