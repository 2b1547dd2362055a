import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { faqAnswerResponse, faqFeedbackResponse } from "../models/faq-live.server";

/** One public answer (old addresses answer 301). A resource route: the page comes whole from the FAQ page cache. */
export const loader = ({ request, params }: LoaderFunctionArgs) => faqAnswerResponse(request, params.topic ?? "", params.slug ?? "");

/** "Was this helpful?": no sign-in, no token (the page is shared); cross-site posts are refused. */
export const action = ({ request, params }: ActionFunctionArgs) => faqFeedbackResponse(request, params.topic ?? "", params.slug ?? "");
