import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { requirePermission } from "../auth/session.server";
import { getBlogPost, updateBlogPost } from "../models/blog.server";
import type { JSONContent } from "@tiptap/core";
import { BlogSaveSchema } from "../models/content.schema";
import { editConflictView, type EditConflict } from "../models/edit-conflict.server";
import { listTopics } from "../models/topic.server";
import { BlogStatusField } from "../ui/blog-fields";
import { ContentForm } from "../ui/content-form";
import { EditConflictNotice } from "../ui/edit-conflict";
import { DomainError } from "../utils/errors";
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
  const parsed = parseForm(await readForm(request), BlogSaveSchema);
  if (!parsed.ok) return invalid(parsed.errors);
  try {
    await updateBlogPost(user, params.postId ?? "", parsed.value);
    return redirect(`/blog/${params.postId}?saved=1`);
  } catch (error) {
    // 409: nothing was written; the form comes back with the author's text on the current version.
    if (error instanceof DomainError && error.details.conflict) {
      return data({ ok: false as const, errors: { form: [error.message] }, conflict: editConflictView(error.details.conflict as EditConflict, parsed.value) }, { status: 409 });
    }
    return domainErrorResponse(error);
  }
}

export default function EditBlogPost() {
  const { post, topics } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors: FieldErrors = result && !result.ok ? result.errors : {};
  const conflict = result && "conflict" in result ? result.conflict : null;
  const base = conflict ? conflict.current.version : post.version;
  const values = conflict ? { ...post, title: conflict.yours.title, body: conflict.yours.body as JSONContent } : post;
  return (
    <>
      <p className="muted">
        <Link to={`/blog/${post.id}`}>← Back to the post</Link>
      </p>
      <h1>Edit “{post.title}”</h1>
      {conflict ? <EditConflictNotice what="post" conflict={conflict} /> : null}
      <ContentForm key={base} values={values} topics={topics} errors={errors} bodyLabel="Post" submitLabel={conflict ? "Save my version" : "Save post"}>
        <input type="hidden" name="baseVersion" value={base} />
        <BlogStatusField status={post.status} />
      </ContentForm>
    </>
  );
}
