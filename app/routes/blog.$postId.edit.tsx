import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { requirePermission } from "../auth/session.server";
import { getBlogPost, updateBlogPost } from "../models/blog.server";
import { BlogPostSchema } from "../models/content.schema";
import { listTopics } from "../models/topic.server";
import { BlogStatusField } from "../ui/blog-fields";
import { ContentForm } from "../ui/content-form";
import { domainErrorResponse, invalid, parseForm, readForm, type FieldErrors } from "../utils/forms.server";

export const meta: MetaFunction = () => [{ title: "Edit blog post · Vetted" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "content.write");
  const view = /^[0-9a-f-]{36}$/i.test(params.postId ?? "") ? await getBlogPost(user, params.postId!) : null;
  if (!view) throw new Response("There is no blog post at this address.", { status: 404 });
  if (!view.isAuthor) throw new Response("Only the author may edit this post.", { status: 403 });
  return { post: view.post, topics: (await listTopics()).map((t) => ({ id: t.id, name: t.name })) };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, "content.write");
  const parsed = parseForm(await readForm(request), BlogPostSchema);
  if (!parsed.ok) return invalid(parsed.errors);
  try {
    await updateBlogPost(user, params.postId ?? "", parsed.value);
    return redirect(`/blog/${params.postId}?saved=1`);
  } catch (error) {
    return domainErrorResponse(error);
  }
}

export default function EditBlogPost() {
  const { post, topics } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors: FieldErrors = result && !result.ok ? result.errors : {};
  return (
    <>
      <p className="muted">
        <Link to={`/blog/${post.id}`}>← Back to the post</Link>
      </p>
      <h1>Edit “{post.title}”</h1>
      <ContentForm values={post} topics={topics} errors={errors} bodyLabel="Post" submitLabel="Save post">
        <BlogStatusField status={post.status} />
      </ContentForm>
    </>
  );
}
