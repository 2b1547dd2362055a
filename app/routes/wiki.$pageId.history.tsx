import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { can } from "../auth/policy";
import { requirePermission } from "../auth/session.server";
import { versionNumber } from "../models/answer.schema";
import { diffWikiRevisions, getWikiPage, listWikiRevisions, restoreWikiRevision } from "../models/wiki.server";
import { CsrfInput } from "../ui/csrf-input";
import { ActionMessage } from "../ui/content";
import { DiffView } from "../ui/diff-view";
import { formatDateTime } from "../ui/format";
import { domainErrorResponse, invalid, parseForm, readForm } from "../utils/forms.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `History of ${data?.page.title ?? "a page"} · Vetted` }];

const num = (v: string | null) => (v && /^\d{1,6}$/.test(v) ? Number(v) : undefined);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "content.read");
  const view = /^[0-9a-f-]{36}$/i.test(params.pageId ?? "") ? await getWikiPage(user, params.pageId!) : null;
  if (!view) throw new Response("There is no wiki page you may read at this address.", { status: 404 });
  const url = new URL(request.url);
  const revisions = await listWikiRevisions(view.page.id);
  const to = num(url.searchParams.get("to")) ?? view.page.revision;
  const from = num(url.searchParams.get("from")) ?? Math.max(1, to - 1);
  const diff = url.searchParams.has("from") || url.searchParams.has("to") ? await diffWikiRevisions(view.page.id, from, to) : null;
  return { page: view.page, revisions, diff, from, to, canWrite: can(user.roles, "content.write") };
}

const RestoreSchema = z.object({ number: versionNumber("Choose a revision from the list"), baseRevision: versionNumber("Reload the page and try again") });

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, "content.write");
  const parsed = parseForm(await readForm(request), RestoreSchema);
  if (!parsed.ok) return invalid(parsed.errors);
  try {
    await restoreWikiRevision(user, params.pageId ?? "", parsed.value.number, parsed.value.baseRevision);
    return redirect(`/wiki/${params.pageId}?saved=1`);
  } catch (error) {
    return domainErrorResponse(error);
  }
}

export default function WikiHistory() {
  const { page, revisions, diff, from, to, canWrite } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <p className="muted">
        <Link to={`/wiki/${page.id}`}>← Back to the page</Link>
      </p>
      <h1>History of “{page.title}”</h1>
      <ActionMessage result={result} />
      {diff ? (
        <section aria-labelledby="diff-heading">
          <h2 id="diff-heading">
            Changes from revision {diff.from} to revision {diff.to}
          </h2>
          <DiffView diff={diff.diff} beforeLabel={`Revision ${diff.from}`} afterLabel={`Revision ${diff.to}`} />
        </section>
      ) : null}
      <Form method="get" className="inline-form compare-form">
        <label htmlFor="from">Compare revision</label>
        <select id="from" name="from" defaultValue={String(from)}>
          {revisions.map((r) => (
            <option key={r.number} value={r.number}>
              {r.number}
            </option>
          ))}
        </select>
        <label htmlFor="to">with</label>
        <select id="to" name="to" defaultValue={String(to)}>
          {revisions.map((r) => (
            <option key={r.number} value={r.number}>
              {r.number}
            </option>
          ))}
        </select>
        <button type="submit">Show changes</button>
      </Form>
      <table className="data-table">
        <thead>
          <tr>
            <th scope="col">Revision</th>
            <th scope="col">Saved</th>
            <th scope="col">Change</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {revisions.map((r) => (
            <tr key={r.number}>
              <td>
                <Link to={`/wiki/${page.id}?revision=${r.number}`}>Revision {r.number}</Link>
                {r.number === page.revision ? <span className="badge">current</span> : null}
              </td>
              <td>
                {formatDateTime(r.at)} by {r.authorName}
              </td>
              <td>
                {r.title !== page.title ? <>Title “{r.title}”. </> : null}
                {r.summary}
              </td>
              <td className="actions">
                {r.number > 1 ? <Link to={`?from=${r.number - 1}&to=${r.number}`}>Changes</Link> : null}
                {canWrite && r.number !== page.revision ? (
                  <Form method="post">
                    <CsrfInput />
                    <input type="hidden" name="number" value={r.number} />
                    <input type="hidden" name="baseRevision" value={page.revision} />
                    <button type="submit">Restore revision {r.number}</button>
                  </Form>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
