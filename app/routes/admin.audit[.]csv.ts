import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "../auth/session.server";
import { AuditFilterSchema } from "../models/audit.schema";
import { auditCsv } from "../models/audit.server";
import { parseQuery } from "../utils/forms.server";

/** The audit log as CSV, with the viewer's filters; cells are formula-safe (audit.schema.ts). */
export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "admin.audit");
  const parsed = parseQuery(new URL(request.url).searchParams, AuditFilterSchema);
  if (!parsed.ok) {
    const message = Object.entries(parsed.errors).map(([k, v]) => `${k}: ${v.join(" ")}`).join("\n");
    return new Response(message, { status: 400, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  }
  const day = new Date().toISOString().slice(0, 10);
  return new Response(await auditCsv(parsed.value), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="vetted-audit-${day}.csv"`,
      "Cache-Control": "no-store",
    },
  });
}
