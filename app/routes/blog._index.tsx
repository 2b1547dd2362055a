import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { can } from "../auth/policy";
import { requirePermission } from "../auth/session.server";
import { authorName, BLOG_PAGE_SIZE, listBlogPosts, myBlogDrafts } from "../models/blog.server";
import { pageParam } from "../models/content-actions.server";
import { formatDate } from "../ui/format";
import { Pagination } from "../ui/pagination";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.author ? `Posts by ${data.author.name}` : "Blog"} · Vetted` }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "content.read");
  const url = new URL(request.url);
  const authorParam = url.searchParams.get("author") ?? "";
  const authorId = /^[0-9a-f-]{36}$/i.test(authorParam) ? authorParam : undefined;
  const name = authorId ? await authorName(authorId) : null;
  if (authorParam && !name) throw new Response("There is no such author.", { status: 404 });
  const page = pageParam(url);
  const [{ rows, total }, drafts] = await Promise.all([listBlogPosts(user, { page, authorId }), authorId ? Promise.resolve([]) : myBlogDrafts(user.id)]);
  return { pageSize: BLOG_PAGE_SIZE, rows, total, page, drafts, author: authorId && name ? { id: authorId, name } : null, canWrite: can(user.roles, "content.write") };
}

export default function BlogIndex() {
  const { rows, total, page, drafts, author, canWrite, pageSize } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>{author ? `Posts by ${author.name}` : "Blog"}</h1>
      {author ? (
        <p>
          <Link to="/blog">← All posts</Link>
        </p>
      ) : (
        <p className="muted">What colleagues learned, explained. A good post can become a certified answer.</p>
      )}
      {canWrite && !author ? (
        <p>
          <Link to="/blog/new" className="button primary">
            Write a post
          </Link>
        </p>
      ) : null}
      {drafts.length > 0 ? (
        <section aria-labelledby="drafts-heading" className="card">
          <h2 id="drafts-heading">Your drafts (only you see them)</h2>
          <ul>
            {drafts.map((d) => (
              <li key={d.id}>
                <Link to={`/blog/${d.id}`}>{d.title}</Link> <span className="muted">· {formatDate(d.updatedAt)}</span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {rows.length === 0 ? <p className="muted">No posts yet.</p> : null}
      <ol className="post-list">
        {rows.map((p) => (
          <li key={p.id} className="card">
            <h2>
              <Link to={`/blog/${p.id}`}>{p.title}</Link> {p.hiddenAt ? <span className="badge warn">hidden</span> : null}
            </h2>
            <p className="muted">
              <Link to={`/blog?author=${p.authorId}`}>{p.authorName}</Link> · {formatDate(p.publishedAt)}
              {p.tags.length ? ` · ${p.tags.join(", ")}` : ""}
            </p>
            <p>{p.excerpt}…</p>
          </li>
        ))}
      </ol>
      <Pagination page={page} pageSize={pageSize} total={total} params={author ? { author: author.id } : {}} />
    </>
  );
}
