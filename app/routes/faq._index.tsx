import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { getBranding, listFaqTopics, popularFaqAnswers } from "../models/faq.server";
import { faqOrigin } from "../models/faq-page.server";
import type { PublicHandle } from "../root";
import { FaqErrorBoundary } from "../ui/faq/error";
import { FaqHomePage } from "../ui/faq/pages";
import { headToMeta, homeHead } from "../ui/faq/seo";
import { liveFaqUrls } from "../ui/faq/urls";

export const handle: PublicHandle = { publicFaq: true };
export const meta: MetaFunction<typeof loader> = ({ data }) => (data ? headToMeta(data.head, data.branding.companyName) : []);

/** The public FAQ home: no sign-in. */
export async function loader({ request }: LoaderFunctionArgs) {
  const origin = faqOrigin(request);
  const [branding, topics, popular] = await Promise.all([getBranding(), listFaqTopics(), popularFaqAnswers()]);
  return { origin, branding, topics, popular, head: homeHead(branding, liveFaqUrls(origin)) };
}

export default function FaqHome() {
  const { origin, branding, topics, popular } = useLoaderData<typeof loader>();
  return <FaqHomePage branding={branding} urls={liveFaqUrls(origin)} topics={topics} popular={popular} />;
}

export const ErrorBoundary = FaqErrorBoundary;
