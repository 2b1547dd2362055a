import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { can } from "../auth/policy";
import { requirePermission } from "../auth/session.server";
import { pageParam } from "../models/content-actions.server";
import { FORUM_PAGE_SIZE, listCategories, listThreads } from "../models/forum.server";
import { formatDateTime } from "../ui/format";
import { Pagination } from "../ui/pagination";

export const meta: MetaFunction = () => [{ title: "Forum · Vetted" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "content.read");
  const url = new URL(request.url);
  const categories = await listCategories();
  const slug = url.searchParams.get("category") ?? "";
  const category = categories.find((c) => c.slug === slug);
  const unanswered = url.searchParams.get("unanswered") === "1";
  const page = pageParam(url);
  const { rows, total } = await listThreads(user, { page, categoryId: category?.id, unanswered });
  return { pageSize: FORUM_PAGE_SIZE, categories, category: category?.slug ?? "", unanswered, rows, total, page, canWrite: can(user.roles, "content.write") };
}

export default function ForumIndex() {
  const { categories, category, unanswered, rows, total, page, canWrite, pageSize } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Forum</h1>
      <p className="muted">Ask colleagues, answer each other. The thread’s author or a topic expert marks the reply that answers it.</p>
      {canWrite ? (
        <p>
          <Link to={`/forum/new${category ? `?category=${category}` : ""}`} className="button primary">
            Ask a question
          </Link>
        </p>
      ) : null}
      <Form method="get" className="inline-form forum-filter">
        <label htmlFor="category">Category</label>
        <select id="category" name="category" defaultValue={category}>
          <option value="">All categories</option>
          {categories.map((c) => (
            <option key={c.id} value={c.slug}>
              {c.name} ({c.threads})
            </option>
          ))}
        </select>
        <label className="check">
          <input type="checkbox" name="unanswered" value="1" defaultChecked={unanswered} /> Unanswered only
        </label>
        <button type="submit">Show</button>
      </Form>
      <p className="subnav">
        {categories.map((c) => (
          <Link key={c.id} to={`/forum?category=${c.slug}&unanswered=1`}>
            {c.name}: {c.unanswered} unanswered
          </Link>
        ))}
      </p>
      {rows.length === 0 ? <p className="muted">{unanswered ? "Every thread here has an accepted answer." : "No threads yet."}</p> : null}
      <table className="data-table">
        <thead>
          <tr>
            <th scope="col">Thread</th>
            <th scope="col">Category</th>
            <th scope="col">Replies</th>
            <th scope="col">Last activity</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((t) => (
            <tr key={t.id}>
              <td>
                {t.answered ? (
                  <span className="badge state-certified" title="Has an accepted answer">
                    ✔ answered
                  </span>
                ) : (
                  <span className="badge">unanswered</span>
                )}{" "}
                <Link to={`/forum/${t.id}`}>{t.title}</Link> <span className="muted">by {t.authorName}</span>
                {t.hiddenAt ? <span className="badge warn">hidden</span> : null}
              </td>
              <td>{t.categoryName}</td>
              <td>{t.replyCount}</td>
              <td>{formatDateTime(t.lastActivityAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <Pagination page={page} pageSize={pageSize} total={total} params={{ category, unanswered: unanswered ? "1" : "" }} />
    </>
  );
}
