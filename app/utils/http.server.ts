/** Only same-site paths: `//evil.example` and absolute URLs fall back to the home page. */
export function safeRedirect(to: unknown, fallback = "/"): string {
  if (typeof to !== "string" || !to.startsWith("/") || to.startsWith("//") || to.startsWith("/\\")) return fallback;
  return to;
}

/**
 * The client's address for throttling. Express gives Remix the socket address through the
 * request (X-Forwarded-For is only trusted when Express is told to trust a proxy).
 */
export function clientIp(request: Request): string {
  return request.headers.get("x-vetted-client-ip") ?? "unknown";
}
