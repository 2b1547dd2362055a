import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { z } from "zod";
import { startSsoSignIn } from "../models/sso.server";
import { parseForm, readForm } from "../utils/forms.server";
import { clientIp } from "../utils/http.server";

const StartSchema = z.object({ redirectTo: z.string().max(2000).optional() });

/** Only the sign-in page's button (a CSRF-checked POST) starts a sign-in; a GET goes back there. */
export const loader = () => redirect("/login");

export async function action({ request }: ActionFunctionArgs) {
  const parsed = parseForm(await readForm(request), StartSchema);
  const started = await startSsoSignIn(request, { redirectTo: parsed.ok ? parsed.value.redirectTo : undefined, ip: clientIp(request) });
  if (!started.ok) {
    const headers = new Headers({ "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" });
    if (started.retryAfterSeconds) headers.set("Retry-After", String(started.retryAfterSeconds));
    return new Response(started.message, { status: started.status, headers });
  }
  return redirect(started.url, { headers: { "Set-Cookie": started.setCookie, "Cache-Control": "no-store" } });
}
