import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import type { JSONContent } from "@tiptap/core";
import { requirePermission } from "../auth/session.server";
import { ThreadSaveSchema } from "../models/content.schema";
import { editConflictView, type EditConflict } from "../models/edit-conflict.server";
import { editThread, getThread } from "../models/forum.server";
import { ContentForm } from "../ui/content-form";
import { EditConflictNotice } from "../ui/edit-conflict";
import { DomainError } from "../utils/errors";
import { domainErrorResponse, invalid, parseForm, readForm, type FieldErrors } from "../utils/forms.server";

export const meta: MetaFunction = () => [{ title: "Edit question · Vetted" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "content.write");
  const view = /^[0-9a-f-]{36}$/i.test(params.threadId ?? "") ? await getThread(user, params.threadId!) : null;
  if (!view) throw new Response("There is no forum thread at this address.", { status: 404 });
  if (view.thread.authorId !== user.id) throw new Response("Only the author may edit this thread.", { status: 403 });
  return { thread: { id: view.thread.id, title: view.thread.title, body: view.thread.body as JSONContent, version: view.thread.version } };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, "content.write");
  const parsed = parseForm(await readForm(request), ThreadSaveSchema);
  if (!parsed.ok) return invalid(parsed.errors);
  try {
    await editThread(user, params.threadId ?? "", parsed.value);
    return redirect(`/forum/${params.threadId}`);
  } catch (error) {
    // 409: nothing was written; the form comes back with the author's text on the current version.
    if (error instanceof DomainError && error.details.conflict) {
      return data({ ok: false as const, errors: { form: [error.message] }, conflict: editConflictView(error.details.conflict as EditConflict, parsed.value) }, { status: 409 });
    }
    return domainErrorResponse(error);
  }
}

export default function EditThread() {
  const { thread } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors: FieldErrors = result && !result.ok ? result.errors : {};
  const conflict = result && "conflict" in result ? result.conflict : null;
  const base = conflict ? conflict.current.version : thread.version;
  const values = conflict ? { title: conflict.yours.title, body: conflict.yours.body as JSONContent } : thread;
  return (
    <>
      <p className="muted">
        <Link to={`/forum/${thread.id}`}>← Back to the thread</Link>
      </p>
      <h1>Edit your question</h1>
      {conflict ? <EditConflictNotice what="question" conflict={conflict} /> : null}
      <ContentForm key={base} values={values} errors={errors} titleLabel="Your question" bodyLabel="Details" submitLabel={conflict ? "Save my version" : "Save question"}>
        <input type="hidden" name="baseVersion" value={base} />
      </ContentForm>
    </>
  );
}
