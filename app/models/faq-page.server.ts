import { getConfig } from "../../server/config";

/** The live FAQ's origin for absolute links: PUBLIC_URL when set, else the request's own. */
export function faqOrigin(request: Request): string {
  return (getConfig().publicUrl ?? new URL(request.url).origin).replace(/\/+$/, "");
}
