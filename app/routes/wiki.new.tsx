import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { requirePermission } from "../auth/session.server";
import { WikiPageSchema } from "../models/content.schema";
import { listTopics } from "../models/topic.server";
import { createWikiPage, wikiParentOptions } from "../models/wiki.server";
import { ContentForm } from "../ui/content-form";
import { WikiExtraFields } from "../ui/wiki-fields";
import { domainErrorResponse, invalid, parseForm, readForm, type FieldErrors } from "../utils/forms.server";

export const meta: MetaFunction = () => [{ title: "New wiki page · Vetted" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "content.write");
  const url = new URL(request.url);
  const [topics, parents] = await Promise.all([listTopics(), wikiParentOptions()]);
  return {
    title: (url.searchParams.get("title") ?? "").slice(0, 200),
    parentId: url.searchParams.get("parent") ?? "",
    topics: topics.map((t) => ({ id: t.id, name: t.name })),
    parents,
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "content.write");
  const parsed = parseForm(await readForm(request), WikiPageSchema);
  if (!parsed.ok) return invalid(parsed.errors);
  try {
    const { id } = await createWikiPage(user, parsed.value);
    return redirect(`/wiki/${id}?saved=1`);
  } catch (error) {
    return domainErrorResponse(error);
  }
}

export default function NewWikiPage() {
  const { title, parentId, topics, parents } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors: FieldErrors = result && !result.ok ? result.errors : {};
  return (
    <>
      <h1>New wiki page</h1>
      <ContentForm values={{ title, body: null }} topics={topics} errors={errors} bodyLabel="Page text" submitLabel="Create page">
        <WikiExtraFields parents={parents} parentId={parentId} errors={errors} />
      </ContentForm>
    </>
  );
}
