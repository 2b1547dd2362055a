import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { can } from "../auth/policy";
import { requirePermission } from "../auth/session.server";
import { getBlogPost } from "../models/blog.server";
import { listComments } from "../models/comments.server";
import { handleSharedIntent } from "../models/content-actions.server";
import { ActionMessage, Comments, Facts, HiddenNotice, HideForm, PromoteLink, Promotions } from "../ui/content";
import { formatDate } from "../ui/format";
import { readForm, type FieldErrors } from "../utils/forms.server";
import { useCleanIndexUrl } from "../ui/clean-index-url";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.view.post.title ?? "Blog"} · Vetted` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "content.read");
  const view = /^[0-9a-f-]{36}$/i.test(params.postId ?? "") ? await getBlogPost(user, params.postId!) : null;
  if (!view) throw new Response("There is no blog post you may read at this address.", { status: 404 });
  const comments = view.post.status === "published" ? await listComments(user, "blog", view.post.id) : [];
  return { view, comments, canWrite: can(user.roles, "content.write"), canPromote: can(user.roles, "answer.draft"), canModerate: can(user.roles, "content.moderate") };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, "content.read");
  const handled = await handleSharedIntent(user, await readForm(request), { type: "blog", id: params.postId ?? "" });
  if (handled) return handled;
  throw new Response("Unknown action.", { status: 400 });
}

export default function BlogPostView() {
  useCleanIndexUrl();
  const { view, comments, canWrite, canPromote, canModerate } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const { post } = view;
  const errors: FieldErrors = result && !result.ok ? result.errors : {};
  const published = post.status === "published";
  return (
    <article className="blog-post">
      <p className="muted">
        <Link to="/blog">Blog</Link> · <Link to={`/blog?author=${post.authorId}`}>{view.authorName}</Link>
        {published ? ` · ${formatDate(post.publishedAt)}` : null} {published ? null : <span className="badge">Draft — only you see it</span>}
      </p>
      <h1>{post.title}</h1>
      {params.get("saved") ? (
        <p className="notice success" role="status">
          Saved{published ? " and published" : " as a draft"}.
        </p>
      ) : null}
      <ActionMessage result={result} />
      {post.hiddenAt ? <HiddenNotice reason={post.hiddenReason} /> : null}
      <Facts topicNames={view.topicNames} tags={post.tags} />
      <Promotions items={view.promotions} />
      {/* Safe HTML: rendered on the server from validated Tiptap JSON. */}
      <div className="rich-text card" dangerouslySetInnerHTML={{ __html: post.bodyHtml }} />
      <div className="actions">
        {view.isAuthor && canWrite ? (
          <Link to={`/blog/${post.id}/edit`} className="button primary">
            Edit post
          </Link>
        ) : null}
        {canPromote && published && !post.hiddenAt ? <PromoteLink from={`blog:${post.id}`} /> : null}
      </div>
      {canModerate && published ? <HideForm kind="blog" id={post.id} hidden={Boolean(post.hiddenAt)} label="post" /> : null}
      {published ? <Comments comments={comments} canComment={canWrite && !post.hiddenAt} canModerate={canModerate} errors={errors} /> : null}
    </article>
  );
}
