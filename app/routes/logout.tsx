import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { destroyUserSession } from "../auth/session.server";
import { readForm } from "../utils/forms.server";

export async function action({ request }: ActionFunctionArgs) {
  await readForm(request);
  return redirect("/login", { headers: { "Set-Cookie": await destroyUserSession(request) } });
}

/** Signing out is a POST (a link could be forged); a GET just goes home. */
export function loader() {
  return redirect("/");
}
