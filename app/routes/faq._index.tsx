import type { LoaderFunctionArgs } from "@remix-run/node";
import { faqHomeResponse } from "../models/faq-live.server";

/** The public FAQ home: no sign-in. A resource route: the page comes whole from the FAQ page cache. */
export const loader = ({ request }: LoaderFunctionArgs) => faqHomeResponse(request);
