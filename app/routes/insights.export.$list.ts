import type { LoaderFunctionArgs } from "@remix-run/node";
import { forbidden, requireUser } from "../auth/session.server";
import { insightsCsv } from "../models/insights.server";
import { isDomainError } from "../utils/errors";

/** A dashboard list as CSV, streamed (a resource route: no page around it). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  try {
    const { stream, filename } = await insightsCsv(user, new URL(request.url), params.list ?? "");
    return new Response(stream, { headers: { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": `attachment; filename="${filename}"`, "Cache-Control": "no-store" } });
  } catch (error) {
    if (isDomainError(error) && error.code === "forbidden") throw forbidden(error.message);
    if (isDomainError(error) && error.code === "not_found") throw new Response(error.message, { status: 404 });
    throw error;
  }
}
