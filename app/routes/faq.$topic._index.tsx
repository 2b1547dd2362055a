import type { LoaderFunctionArgs } from "@remix-run/node";
import { faqTopicResponse } from "../models/faq-live.server";

/** A topic's public answers. A resource route: the page comes whole from the FAQ page cache. */
export const loader = ({ request, params }: LoaderFunctionArgs) => faqTopicResponse(request, params.topic ?? "");
