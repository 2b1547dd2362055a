import { createCookie } from "@remix-run/node";
import { getConfig } from "../../server/config";

/**
 * Post/Redirect/Get for forms posted without JavaScript. Remix posts an index route's forms to
 * `<path>?index`; without JavaScript the browser then shows the result at that address, and a
 * reload posts the form again. A successful post is answered instead with a 303 to the page's
 * own address, and its message rides along in this one-read cookie (signed, so nobody can
 * plant text on someone else's page).
 */
let cookie: ReturnType<typeof createCookie> | undefined;
function flashCookie() {
  cookie ??= createCookie("vetted_flash", {
    httpOnly: true,
    sameSite: "lax",
    path: "/",
    maxAge: 60,
    secrets: [getConfig().sessionSecret],
  });
  return cookie;
}

const MAX_MESSAGE = 300;

/** The success message of a finished action, if the action's data says it succeeded. */
export function successMessage(actionData: Record<string, unknown> | null | undefined): string | null {
  if (!actionData) return null;
  for (const value of Object.values(actionData)) {
    if (value && typeof value === "object" && (value as { ok?: unknown }).ok === true) {
      const message = (value as { message?: unknown }).message;
      return typeof message === "string" ? message.slice(0, MAX_MESSAGE) : "Done.";
    }
  }
  return null;
}

/**
 * The redirect that replaces a successful no-JavaScript post to `?index`, or null when the
 * request is anything else (data requests from the browser's router never reach here).
 */
export async function redirectAfterIndexPost(request: Request, status: number, actionData: Record<string, unknown> | null | undefined, headers: Headers): Promise<Response | null> {
  if (request.method !== "POST" || status !== 200) return null;
  const url = new URL(request.url);
  if (!url.searchParams.has("index")) return null;
  const message = successMessage(actionData);
  if (message === null) return null;
  url.searchParams.delete("index");
  const location = `${url.pathname}${url.search}`;
  const out = new Headers();
  for (const [name, value] of headers) if (name.toLowerCase() === "set-cookie") out.append(name, value);
  out.append("Set-Cookie", await flashCookie().serialize(message));
  out.set("Location", location);
  return new Response(null, { status: 303, headers: out });
}

/** The flash message for this request (and the header that clears it), if there is one. */
export async function readFlash(request: Request): Promise<{ message: string | null; clear: string | null }> {
  const header = request.headers.get("Cookie");
  if (!header?.includes("vetted_flash=")) return { message: null, clear: null };
  const value: unknown = await flashCookie().parse(header);
  const clear = await flashCookie().serialize("", { maxAge: 0 });
  return { message: typeof value === "string" && value ? value.slice(0, MAX_MESSAGE) : null, clear };
}
