import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { requireUser } from "../auth/session.server";
import { openNotification } from "../models/answer.server";

/** An inbox item's link: marks it read, then goes where it points (works without JavaScript). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const id = params.notificationId ?? "";
  const link = /^[0-9a-f-]{36}$/i.test(id) ? await openNotification(user.id, id) : null;
  if (!link) throw new Response("No inbox item of yours has this address.", { status: 404 });
  // Only our own paths: a stored link never sends anyone off-site.
  return redirect(link.startsWith("/") && !link.startsWith("//") ? link : "/inbox");
}
