import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import type { JSONContent } from "@tiptap/core";
import { requirePermission } from "../auth/session.server";
import { WikiSaveSchema } from "../models/content.schema";
import { listTopics } from "../models/topic.server";
import { conflictView, getWikiPage, saveWikiPage, wikiParentOptions, type WikiConflict } from "../models/wiki.server";
import { ContentForm } from "../ui/content-form";
import { DiffView } from "../ui/diff-view";
import { WikiExtraFields } from "../ui/wiki-fields";
import { DomainError } from "../utils/errors";
import { domainErrorResponse, invalid, parseForm, readForm, type FieldErrors } from "../utils/forms.server";

export const meta: MetaFunction = () => [{ title: "Edit wiki page · Vetted" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "content.write");
  const view = /^[0-9a-f-]{36}$/i.test(params.pageId ?? "") ? await getWikiPage(user, params.pageId!) : null;
  if (!view) throw new Response("There is no wiki page you may edit at this address.", { status: 404 });
  const [topics, parents] = await Promise.all([listTopics(), wikiParentOptions()]);
  return { page: view.page, topics: topics.map((t) => ({ id: t.id, name: t.name })), parents };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, "content.write");
  const parsed = parseForm(await readForm(request), WikiSaveSchema);
  if (!parsed.ok) return invalid(parsed.errors);
  try {
    await saveWikiPage(user, params.pageId ?? "", parsed.value);
    return redirect(`/wiki/${params.pageId}?saved=1`);
  } catch (error) {
    if (error instanceof DomainError && error.details.conflict) {
      // 409: nothing was written. Show both versions; the form comes back with the editor's text
      // on top of the current revision, so saving again is a deliberate re-apply.
      const view = conflictView(error.details.conflict as WikiConflict, parsed.value);
      return data({ ok: false as const, errors: { form: [error.message] }, conflict: view }, { status: 409 });
    }
    return domainErrorResponse(error);
  }
}

export default function EditWikiPage() {
  const { page, topics, parents } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors: FieldErrors = result && !result.ok ? result.errors : {};
  const conflict = result && "conflict" in result ? result.conflict : null;
  const base = conflict ? conflict.current.revision : page.revision;
  const values = conflict ? { title: conflict.yours.title, body: conflict.yours.body as JSONContent } : { title: page.title, body: page.body };
  return (
    <>
      <p className="muted">
        <Link to={`/wiki/${page.id}`}>← Back to the page</Link>
      </p>
      <h1>Edit “{page.title}”</h1>
      {conflict ? (
        <section className="card conflict" aria-labelledby="conflict-heading">
          <h2 id="conflict-heading">Someone else saved this page while you were editing</h2>
          <p>
            Revision {conflict.current.revision} by {conflict.current.authorName} is now the current text. Your text was <strong>not</strong> saved. Left: the
            current revision; right: yours.
          </p>
          <DiffView diff={conflict.diff} beforeLabel={`Current (revision ${conflict.current.revision})`} afterLabel="Yours (not saved)" />
          <p>
            Below is your text again, now based on revision {conflict.current.revision}. Merge what you need from the current one and save to re-apply your
            change, or <Link to={`/wiki/${page.id}`}>discard yours and read the current page</Link>.
          </p>
        </section>
      ) : null}
      <ContentForm
        key={`${base}-${conflict ? "conflict" : "edit"}`}
        values={{ ...values, topicIds: page.topicIds, tags: page.tags }}
        topics={topics}
        errors={errors}
        bodyLabel="Page text"
        submitLabel={conflict ? "Save my version as the new revision" : "Save page"}
      >
        <input type="hidden" name="baseRevision" value={base} />
        <WikiExtraFields parents={parents} parentId={page.parentId ?? ""} errors={errors} excludeId={page.id} />
      </ContentForm>
    </>
  );
}
