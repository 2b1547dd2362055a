import { apiBodyText, handleApi } from "../../server/api";

/**
 * Calls the JSON API the way the Express adapter in server/http.ts does, and answers with a
 * fetch Response, so tests read status, headers and JSON as a client would.
 */
export async function callApi(pathAndQuery: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Response> {
  const url = new URL(pathAndQuery, "http://localhost");
  if (!url.pathname.startsWith("/api/v1/")) throw new Error(`not an API path: ${pathAndQuery}`);
  const headers = new Headers(init.headers);
  const r = await handleApi({
    method: init.method ?? "GET",
    path: url.pathname.slice("/api/v1".length),
    query: url.searchParams,
    authorization: headers.get("Authorization"),
    body: init.body ?? "",
    origin: url.origin,
  });
  return new Response(apiBodyText(r), { status: r.status, headers: { "Content-Type": "application/json", ...r.headers } });
}
