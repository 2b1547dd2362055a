import { randomBytes, timingSafeEqual } from "node:crypto";
import { createCookie } from "@remix-run/node";
import { getConfig } from "../../server/config";
import { createPanelCookie, isPanelRequest } from "./session.server";

/** The form field every mutating form carries (see app/ui/csrf-input.tsx). */
export const CSRF_FIELD = "csrf";

let cookie: ReturnType<typeof createCookie> | undefined;
function csrfCookie() {
  cookie ??= createCookie("vetted_csrf", {
    httpOnly: true,
    sameSite: "lax",
    path: "/",
    secrets: [getConfig().sessionSecret],
  });
  return cookie;
}

// The framed panel's own token cookie: SameSite=None so a framed page can post, Path=/panel (see session.server.ts).
let panelCookie: ReturnType<typeof createCookie> | undefined;
const panelCsrfCookie = () => (panelCookie ??= createPanelCookie("vetted_panel_csrf"));

const cookieFor = (request: Request) => (isPanelRequest(request) ? panelCsrfCookie() : csrfCookie());

/**
 * Double-submit token: a random value in a signed, HTTP-only cookie, echoed by every form.
 * A forged cross-site post cannot read the cookie and so cannot echo it. Returns the token for
 * the page and, when the browser has none yet, the Set-Cookie header to send with it.
 */
export async function csrfTokenFor(request: Request): Promise<{ token: string; setCookie: string | null }> {
  const existing: unknown = await cookieFor(request).parse(request.headers.get("Cookie"));
  if (typeof existing === "string" && existing.length >= 32) return { token: existing, setCookie: null };
  const token = randomBytes(32).toString("base64url");
  if (isPanelRequest(request)) return { token, setCookie: await panelCsrfCookie().serialize(token) };
  const secure = new URL(request.url).protocol === "https:";
  return { token, setCookie: await csrfCookie().serialize(token, { secure }) };
}

export class CsrfError extends Error {
  override name = "CsrfError";
}

/** Throws a 403 Response unless the form's token matches the cookie's. Call before any write. */
export async function requireCsrf(request: Request, formData: FormData): Promise<void> {
  const expected: unknown = await cookieFor(request).parse(request.headers.get("Cookie"));
  const sent = formData.get(CSRF_FIELD);
  const ok =
    typeof expected === "string" &&
    typeof sent === "string" &&
    expected.length === sent.length &&
    timingSafeEqual(Buffer.from(expected), Buffer.from(sent));
  if (!ok) {
    throw new Response("This form has expired or did not come from Vetted. Reload the page and try again.", {
      status: 403,
      statusText: "Forbidden",
    });
  }
}
