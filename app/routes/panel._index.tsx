import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";

/**
 * /panel is the address help-desk tools frame; the panel itself lives at /panel/search so that
 * its data requests (/panel/search.data) stay under the panel cookies' Path=/panel.
 */
export function loader({ request }: LoaderFunctionArgs) {
  return redirect(`/panel/search${new URL(request.url).search}`);
}
