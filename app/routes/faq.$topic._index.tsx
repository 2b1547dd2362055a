import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { getBranding, getFaqTopic } from "../models/faq.server";
import { faqOrigin } from "../models/faq-page.server";
import type { PublicHandle } from "../root";
import { FaqErrorBoundary } from "../ui/faq/error";
import { FaqTopicPage } from "../ui/faq/pages";
import { headToMeta, topicHead } from "../ui/faq/seo";
import { liveFaqUrls } from "../ui/faq/urls";

export const handle: PublicHandle = { publicFaq: true };
export const meta: MetaFunction<typeof loader> = ({ data }) => (data ? headToMeta(data.head, data.branding.companyName) : []);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const origin = faqOrigin(request);
  const [branding, found] = await Promise.all([getBranding(), getFaqTopic(params.topic ?? "")]);
  if (!found) throw new Response("No such topic", { status: 404 });
  return { origin, branding, ...found, head: topicHead(branding, liveFaqUrls(origin), found.topic, found.answers) };
}

export default function FaqTopic() {
  const { origin, branding, topic, answers } = useLoaderData<typeof loader>();
  return <FaqTopicPage branding={branding} urls={liveFaqUrls(origin)} topic={topic} answers={answers} />;
}

export const ErrorBoundary = FaqErrorBoundary;
