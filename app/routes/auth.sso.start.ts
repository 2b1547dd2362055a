import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { z } from "zod";
import { startSsoSignIn } from "../models/sso.server";
import { parseForm, readForm } from "../utils/forms.server";

const StartSchema = z.object({ redirectTo: z.string().max(2000).optional() });

/** Only the sign-in page's button (a CSRF-checked POST) starts a sign-in; a GET goes back there. */
export const loader = () => redirect("/login");

export async function action({ request }: ActionFunctionArgs) {
  const parsed = parseForm(await readForm(request), StartSchema);
  const started = await startSsoSignIn(request, { redirectTo: parsed.ok ? parsed.value.redirectTo : undefined });
  if (!started.ok) {
    return new Response(started.message, { status: started.status, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } });
  }
  return redirect(started.url, { headers: { "Set-Cookie": started.setCookie, "Cache-Control": "no-store" } });
}
