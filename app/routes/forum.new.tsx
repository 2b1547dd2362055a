import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { requirePermission } from "../auth/session.server";
import { ThreadSchema } from "../models/content.schema";
import { createThread, listCategories } from "../models/forum.server";
import { ContentForm } from "../ui/content-form";
import { FieldError } from "../ui/field-error";
import { domainErrorResponse, invalid, parseForm, readForm, type FieldErrors } from "../utils/forms.server";

export const meta: MetaFunction = () => [{ title: "Ask the forum · Vetted" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "content.write");
  const categories = await listCategories();
  const slug = new URL(request.url).searchParams.get("category");
  return { categories: categories.map((c) => ({ id: c.id, name: c.name, slug: c.slug })), selected: categories.find((c) => c.slug === slug)?.id ?? "" };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "content.write");
  const parsed = parseForm(await readForm(request), ThreadSchema);
  if (!parsed.ok) return invalid(parsed.errors);
  try {
    const { id } = await createThread(user, parsed.value);
    return redirect(`/forum/${id}`);
  } catch (error) {
    return domainErrorResponse(error);
  }
}

export default function NewThread() {
  const { categories, selected } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors: FieldErrors = result && !result.ok ? result.errors : {};
  return (
    <>
      <h1>Ask the forum</h1>
      <ContentForm values={{ title: "", body: null }} errors={errors} titleLabel="Your question" bodyLabel="Details" submitLabel="Start thread">
        <label htmlFor="categoryId">Category</label>
        <select id="categoryId" name="categoryId" defaultValue={selected} required aria-describedby="categoryId-error">
          <option value="">— choose —</option>
          {categories.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
        <FieldError id="categoryId-error" errors={errors.categoryId} />
        <p className="muted">Mention a colleague with @ and their email name (e.g. @xavier) to ask them directly.</p>
      </ContentForm>
    </>
  );
}
