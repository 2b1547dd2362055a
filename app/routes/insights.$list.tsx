import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { forbidden, requireUser } from "../auth/session.server";
import { insightsList, type InsightsListData } from "../models/insights.server";
import { csvHref, InsightsFilters, listHref } from "../ui/insights/panels";
import { isDomainError } from "../utils/errors";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.title ?? "Insights"} · Vetted` }];

/** One list behind a dashboard figure (its CSV is /insights/export/<list>). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  try {
    return await insightsList(user, new URL(request.url), params.list ?? "");
  } catch (error) {
    if (isDomainError(error) && error.code === "forbidden") throw forbidden(error.message);
    if (isDomainError(error) && error.code === "not_found") throw new Response(error.message, { status: 404 });
    throw error;
  }
}

export default function InsightsList() {
  const d: InsightsListData = useLoaderData<typeof loader>();
  const base = listHref(d.name, d.query);
  return (
    <div className="insights">
      <p className="no-print">
        <Link to={`/insights?${base.split("?")[1] ?? ""}`}>← Knowledge health</Link>
      </p>
      <h1>{d.title}</h1>
      <p className="muted">
        {d.range.fromDay} to {d.range.toDay} ({d.range.timeZone})
      </p>
      <InsightsFilters query={d.query} topics={d.topics} errors={d.errors} action={`/insights/${d.name}`} />
      <p className="no-print">
        <a href={csvHref(d.name, d.query)} download>
          Download all as CSV
        </a>
      </p>
      {d.rows.length === 0 ? (
        <p className="card">Nothing in this list for this period.</p>
      ) : (
        <table className="data-table">
          <caption className="visually-hidden">{d.title}</caption>
          <thead>
            <tr>
              {d.columns.map((c) => (
                <th scope="col" key={c.key}>
                  {c.label}
                </th>
              ))}
              {d.rows.some((r) => r.link) ? (
                <th scope="col">
                  <span className="visually-hidden">Action</span>
                </th>
              ) : null}
            </tr>
          </thead>
          <tbody>
            {d.rows.map((r, i) => (
              <tr key={i} className={r.cells.includes("Overdue") ? "overdue" : undefined}>
                {r.cells.map((c, j) => (j === 0 ? <th scope="row" key={j}>{c}</th> : <td key={j}>{c === "Overdue" ? <strong className="badge danger">Overdue</strong> : c}</td>))}
                {r.link ? (
                  <td>
                    <Link to={r.link.href}>{r.link.label}</Link>
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <nav className="pagination no-print" aria-label="Pages">
        {d.page > 1 ? <Link to={`${base}&page=${d.page - 1}`}>Previous</Link> : null} {d.hasMore ? <Link to={`${base}&page=${d.page + 1}`}>Next</Link> : null}
      </nav>
    </div>
  );
}
