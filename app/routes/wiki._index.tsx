import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { can } from "../auth/policy";
import { requirePermission } from "../auth/session.server";
import { pageParam } from "../models/content-actions.server";
import { listWikiPages, WIKI_PAGE_SIZE } from "../models/wiki.server";
import { formatDateTime } from "../ui/format";
import { Pagination } from "../ui/pagination";

export const meta: MetaFunction = () => [{ title: "Wiki · Vetted" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "content.read");
  const url = new URL(request.url);
  const q = (url.searchParams.get("q") ?? "").trim().slice(0, 100);
  const page = pageParam(url);
  const { rows, total } = await listWikiPages(user, { page, q: q || undefined });
  return { pageSize: WIKI_PAGE_SIZE, rows, total, page, q, canWrite: can(user.roles, "content.write") };
}

export default function WikiIndex() {
  const { rows, total, page, q, canWrite, pageSize } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Wiki</h1>
      <p className="muted">Pages anyone in the company can improve. Link pages with [[Page title]]; every save is kept as a revision.</p>
      <div className="actions">
        {canWrite ? (
          <Link to="/wiki/new" className="button primary">
            New page
          </Link>
        ) : null}
        <Form method="get" className="inline-form" role="search">
          <label htmlFor="wiki-q" className="visually-hidden">
            Find a page by title
          </label>
          <input id="wiki-q" type="search" name="q" defaultValue={q} placeholder="Find a page by title" />
          <button type="submit">Find</button>
        </Form>
      </div>
      {rows.length === 0 ? <p className="muted">{q ? "No page has that in its title." : "No pages yet."}</p> : null}
      <table className="data-table">
        <thead>
          <tr>
            <th scope="col">Page</th>
            <th scope="col">Last change</th>
            <th scope="col">Revisions</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id}>
              <td>
                <Link to={`/wiki/${r.id}`}>{r.title}</Link> {r.hiddenAt ? <span className="badge warn">hidden</span> : null}
              </td>
              <td>
                {formatDateTime(r.updatedAt)} by {r.updatedByName}
              </td>
              <td>{r.revision}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <Pagination page={page} pageSize={pageSize} total={total} params={{ q }} />
    </>
  );
}
