import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { requirePermission } from "../auth/session.server";
import { AUDIT_KINDS, AuditFilterSchema } from "../models/audit.schema";
import { listAudit } from "../models/audit.server";
import { FieldError } from "../ui/field-error";
import { Pagination } from "../ui/pagination";
import { parseQuery } from "../utils/forms.server";

export const meta: MetaFunction = () => [{ title: "Audit log · Admin · Vetted" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "admin.audit");
  const url = new URL(request.url);
  const raw = Object.fromEntries(["actor", "kind", "from", "to"].map((k) => [k, url.searchParams.get(k)?.slice(0, 200) ?? ""]));
  const parsed = parseQuery(url.searchParams, AuditFilterSchema);
  if (!parsed.ok) return data({ raw, errors: parsed.errors, rows: [], total: 0, page: 1, pageSize: 1, csv: "" }, { status: 400 });
  const { rows, total, pageSize } = await listAudit(parsed.value);
  const csv = `/admin/audit.csv?${new URLSearchParams(Object.entries(raw).filter(([, v]) => v)).toString()}`;
  const view = rows.map((r) => ({ ...r, at: r.at.toISOString(), data: JSON.stringify(r.data) }));
  return { raw, errors: {} as Record<string, string[]>, rows: view, total, page: parsed.value.page, pageSize, csv };
}

export default function AuditLog() {
  const { raw, errors, rows, total, page, pageSize, csv } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Audit log</h1>
      <p>Sign-ins and how, role changes, deactivations, API token use and settings changes, newest first.</p>
      <Form method="get" className="filters audit-filters" aria-label="Filter the audit log">
        <label className="inline">
          Who <input name="actor" type="search" defaultValue={raw.actor} placeholder="name or email" aria-describedby="actor-error" />
        </label>
        <label className="inline">
          Kind{" "}
          <select name="kind" defaultValue={raw.kind} aria-describedby="kind-error">
            <option value="">Everything</option>
            {Object.entries(AUDIT_KINDS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <label className="inline">
          From <input name="from" type="date" defaultValue={raw.from} aria-describedby="from-error" />
        </label>
        <label className="inline">
          To <input name="to" type="date" defaultValue={raw.to} aria-describedby="to-error" />
        </label>
        <button type="submit">Filter</button>
      </Form>
      <FieldError id="actor-error" errors={errors.actor} />
      <FieldError id="kind-error" errors={errors.kind} />
      <FieldError id="from-error" errors={errors.from} />
      <FieldError id="to-error" errors={errors.to} />
      <p className="muted">
        {`${total} entr${total === 1 ? "y" : "ies"}`} {csv ? <a href={csv} download>Download as CSV</a> : null}
      </p>
      <table className="data-table">
        <thead>
          <tr>
            <th scope="col">When (UTC)</th>
            <th scope="col">Who</th>
            <th scope="col">What</th>
            <th scope="col">Subject</th>
            <th scope="col">Details</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id}>
              <td>
                <time dateTime={r.at}>{r.at.slice(0, 19).replace("T", " ")}</time>
              </td>
              <td>{r.actorEmail ?? <span className="muted">system</span>}</td>
              <td>
                <code>{r.action}</code>
              </td>
              <td>{r.subjectEmail ?? `${r.subjectType} ${r.subjectId}`}</td>
              <td>
                <code className="break">{r.data}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <Pagination page={page} pageSize={pageSize} total={total} params={raw} />
    </>
  );
}
