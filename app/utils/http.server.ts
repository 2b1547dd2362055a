/**
 * Only same-origin paths, judged the way a browser will read them: browsers drop tabs and
 * newlines from a URL and read `\` as `/`, so `/\t/evil.example` and `/\\evil.example` are
 * other sites. Anything with a control character or a backslash, anything not starting with one
 * `/`, and anything that resolves to another origin falls back to the home page.
 */
export function safeRedirect(to: unknown, fallback = "/"): string {
  if (typeof to !== "string" || to.length === 0 || to.length > 2048) return fallback;
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (/[\u0000-\u001f\u007f\\]/.test(to)) return fallback;
  if (!to.startsWith("/") || to.startsWith("//")) return fallback;
  const base = "http://vetted.invalid";
  let url: URL;
  try {
    url = new URL(to, base);
  } catch {
    return fallback;
  }
  // `/.//evil.example` normalises to `//evil.example`: judge the result, not only the input.
  if (url.origin !== base || url.pathname.startsWith("//")) return fallback;
  return `${url.pathname}${url.search}${url.hash}`;
}

/**
 * The client's address for throttling. Express gives Remix the socket address through the
 * request (X-Forwarded-For is only trusted when Express is told to trust a proxy).
 */
export function clientIp(request: Request): string {
  return request.headers.get("x-vetted-client-ip") ?? "unknown";
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids in addresses are UUIDs; anything else names nothing (a 404, not a database error). */
export function isUuid(value: unknown): value is string {
  return typeof value === "string" && UUID.test(value);
}
