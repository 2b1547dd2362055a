import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { requirePermission } from "../auth/session.server";
import { createBlogPost } from "../models/blog.server";
import { BlogPostSchema } from "../models/content.schema";
import { listTopics } from "../models/topic.server";
import { BlogStatusField } from "../ui/blog-fields";
import { ContentForm } from "../ui/content-form";
import { domainErrorResponse, invalid, parseForm, readForm, type FieldErrors } from "../utils/forms.server";

export const meta: MetaFunction = () => [{ title: "New blog post · Vetted" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "content.write");
  return { topics: (await listTopics()).map((t) => ({ id: t.id, name: t.name })) };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "content.write");
  const parsed = parseForm(await readForm(request), BlogPostSchema);
  if (!parsed.ok) return invalid(parsed.errors);
  try {
    const { id } = await createBlogPost(user, parsed.value);
    return redirect(`/blog/${id}?saved=1`);
  } catch (error) {
    return domainErrorResponse(error);
  }
}

export default function NewBlogPost() {
  const { topics } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors: FieldErrors = result && !result.ok ? result.errors : {};
  return (
    <>
      <h1>New blog post</h1>
      <ContentForm values={{ title: "", body: null }} topics={topics} errors={errors} bodyLabel="Post" submitLabel="Save post">
        <BlogStatusField status="draft" />
      </ContentForm>
    </>
  );
}
