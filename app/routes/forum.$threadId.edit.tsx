import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import type { JSONContent } from "@tiptap/core";
import { requirePermission } from "../auth/session.server";
import { ThreadSchema } from "../models/content.schema";
import { editThread, getThread } from "../models/forum.server";
import { ContentForm } from "../ui/content-form";
import { domainErrorResponse, invalid, parseForm, readForm, type FieldErrors } from "../utils/forms.server";

export const meta: MetaFunction = () => [{ title: "Edit question · Vetted" }];

const EditSchema = ThreadSchema.omit({ categoryId: true });

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "content.write");
  const view = /^[0-9a-f-]{36}$/i.test(params.threadId ?? "") ? await getThread(user, params.threadId!) : null;
  if (!view) throw new Response("There is no forum thread at this address.", { status: 404 });
  if (view.thread.authorId !== user.id) throw new Response("Only the author may edit this thread.", { status: 403 });
  return { thread: { id: view.thread.id, title: view.thread.title, body: view.thread.body as JSONContent } };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, "content.write");
  const parsed = parseForm(await readForm(request), EditSchema);
  if (!parsed.ok) return invalid(parsed.errors);
  try {
    await editThread(user, params.threadId ?? "", parsed.value);
    return redirect(`/forum/${params.threadId}`);
  } catch (error) {
    return domainErrorResponse(error);
  }
}

export default function EditThread() {
  const { thread } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors: FieldErrors = result && !result.ok ? result.errors : {};
  return (
    <>
      <p className="muted">
        <Link to={`/forum/${thread.id}`}>← Back to the thread</Link>
      </p>
      <h1>Edit your question</h1>
      <ContentForm values={thread} errors={errors} titleLabel="Your question" bodyLabel="Details" submitLabel="Save question" />
    </>
  );
}
