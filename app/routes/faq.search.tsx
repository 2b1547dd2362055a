import type { LoaderFunctionArgs } from "@remix-run/node";
import { faqSearchResponse } from "../models/faq-live.server";

/** Search over public certified answers only; an over-long query is cut rather than refused. */
export const loader = ({ request }: LoaderFunctionArgs) => faqSearchResponse(request);
