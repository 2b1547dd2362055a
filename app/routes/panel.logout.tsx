import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { destroyUserSession } from "../auth/session.server";
import { readForm } from "../utils/forms.server";

/** Signs the panel out (its own session cookie); the app's session, if any, stays. */
export async function action({ request }: ActionFunctionArgs) {
  await readForm(request);
  return redirect("/panel/login", { headers: { "Set-Cookie": await destroyUserSession(request) } });
}

export function loader() {
  return redirect("/panel/search");
}
