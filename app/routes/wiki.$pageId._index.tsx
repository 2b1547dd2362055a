import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { can } from "../auth/policy";
import { requirePermission } from "../auth/session.server";
import { listComments } from "../models/comments.server";
import { handleSharedIntent } from "../models/content-actions.server";
import { getWikiPage } from "../models/wiki.server";
import { ActionMessage, Comments, Facts, HiddenNotice, HideForm, PromoteLink, Promotions } from "../ui/content";
import { formatDateTime } from "../ui/format";
import { readForm, type FieldErrors } from "../utils/forms.server";
import { useCleanIndexUrl } from "../ui/clean-index-url";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.view.shown.title ?? "Wiki"} · Vetted` }];

const notFound = () => new Response("There is no wiki page you may read at this address.", { status: 404 });

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "content.read");
  const r = new URL(request.url).searchParams.get("revision");
  const revision = r && /^\d{1,6}$/.test(r) ? Number(r) : undefined;
  const view = /^[0-9a-f-]{36}$/i.test(params.pageId ?? "") ? await getWikiPage(user, params.pageId!, revision) : null;
  if (!view) throw notFound();
  const comments = await listComments(user, "wiki", view.page.id);
  return {
    view,
    comments,
    canWrite: can(user.roles, "content.write"),
    canPromote: can(user.roles, "answer.draft"),
    canModerate: can(user.roles, "content.moderate"),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, "content.read");
  const formData = await readForm(request);
  const handled = await handleSharedIntent(user, formData, { type: "wiki", id: params.pageId ?? "" });
  if (handled) return handled;
  throw new Response("Unknown action.", { status: 400 });
}

export default function WikiPageView() {
  useCleanIndexUrl();
  const { view, comments, canWrite, canPromote, canModerate } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const { page, shown } = view;
  const isCurrent = shown.number === page.revision;
  const errors: FieldErrors = result && !result.ok ? result.errors : {};
  return (
    <article className="wiki-page">
      <nav aria-label="Breadcrumbs" className="muted">
        <Link to="/wiki">Wiki</Link>
        {view.breadcrumbs.map((b) => (
          <span key={b.id}>
            {" / "}
            <Link to={`/wiki/${b.id}`}>{b.title}</Link>
          </span>
        ))}
      </nav>
      <h1>{shown.title}</h1>
      {params.get("saved") ? (
        <p className="notice success" role="status">
          Saved as revision {page.revision}.
        </p>
      ) : null}
      <ActionMessage result={result} />
      {page.hiddenAt ? <HiddenNotice reason={page.hiddenReason} /> : null}
      {!isCurrent ? (
        <p className="notice" role="note">
          You are reading revision {shown.number} of {page.revision}. <Link to={`/wiki/${page.id}`}>Read the current text</Link> or{" "}
          <Link to={`/wiki/${page.id}/history?from=${shown.number}&to=${page.revision}`}>compare it with the current one</Link>.
        </p>
      ) : null}
      <p className="muted">
        Revision {shown.number} · {formatDateTime(shown.at)} by {shown.authorName}
        {shown.summary ? ` — ${shown.summary}` : ""} · <Link to={`/wiki/${page.id}/history`}>History</Link>
      </p>
      <Facts topicNames={view.topicNames} tags={page.tags} />
      <Promotions items={view.promotions} />
      {/* Safe HTML: rendered on the server from validated Tiptap JSON; [[links]] resolved on the document. */}
      <div className="rich-text card" dangerouslySetInnerHTML={{ __html: shown.html }} />
      <div className="actions">
        {canWrite && isCurrent ? (
          <Link to={`/wiki/${page.id}/edit`} className="button primary">
            Edit page
          </Link>
        ) : null}
        {canWrite ? (
          <Link to={`/wiki/new?parent=${page.id}`} className="button">
            Add a sub-page
          </Link>
        ) : null}
        {canPromote && !page.hiddenAt ? <PromoteLink from={`wiki:${page.id}`} /> : null}
      </div>
      {canModerate ? <HideForm kind="wiki" id={page.id} hidden={Boolean(page.hiddenAt)} label="page" /> : null}
      {view.children.length > 0 ? (
        <section aria-labelledby="children-heading">
          <h2 id="children-heading">Sub-pages</h2>
          <ul>
            {view.children.map((c) => (
              <li key={c.id}>
                <Link to={`/wiki/${c.id}`}>{c.title}</Link>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <section aria-labelledby="backlinks-heading">
        <h2 id="backlinks-heading">Pages that link here</h2>
        {view.backlinks.length === 0 ? (
          <p className="muted">None yet.</p>
        ) : (
          <ul>
            {view.backlinks.map((b) => (
              <li key={b.id}>
                <Link to={`/wiki/${b.id}`}>{b.title}</Link>
              </li>
            ))}
          </ul>
        )}
      </section>
      <Comments comments={comments} canComment={canWrite && !page.hiddenAt} canModerate={canModerate} errors={errors} />
    </article>
  );
}
