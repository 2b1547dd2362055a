import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { can } from "../auth/policy";
import { requireUser } from "../auth/session.server";
import { handleAnswerAction } from "../models/answer-actions.server";
import { decidersFor, getAnswerPage, lastReviewSeen } from "../models/answer.server";
import { STATE_LABELS } from "../models/answer-labels";
import { certifyOptions } from "../models/certify.server";
import { listComments } from "../models/comments.server";
import { handleSharedIntent } from "../models/content-actions.server";
import { reviewDiff, type RenderedDiff } from "../models/diff.server";
import { Comments } from "../ui/content";
import { FieldError } from "../ui/field-error";
import { formatDateTime } from "../ui/format";
import { refusalShownBeside, WorkflowActions } from "../ui/workflow-actions";
import { WhoDecides } from "../ui/who-decides";
import { readForm, type FieldErrors } from "../utils/forms.server";

export const meta: MetaFunction = () => [{ title: "Review · Vetted" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const page = await getAnswerPage(user, params.answerId ?? "");
  const candidate = page?.open ?? page?.shown;
  if (!page || !candidate) throw new Response("No answer you may review has this address.", { status: 404 });
  // Review the version in review (the open one), against the certified version when there is one.
  const reviewPage = candidate.id === page.shown.id ? page : await getAnswerPage(user, page.answerId, candidate.number);
  if (!reviewPage) throw new Response("No answer you may review has this address.", { status: 404 });
  const v = reviewPage.shown;
  const base = page.live && page.live.id !== v.id ? page.live : null;
  const diff = base ? { baseNumber: base.number, ...reviewDiff(base, v) } : null;
  const certify = reviewPage.allowed.includes("CERTIFY") ? await certifyOptions(reviewPage) : null;
  // The decisions taken on this version so far, oldest first, with what each reviewer said.
  const decisions = reviewPage.history
    .filter((h) => h.versionNumber === v.number && ["APPROVE", "REQUEST_CHANGES", "REJECT", "RESUBMIT", "SUBMIT", "CERTIFY"].includes(h.event))
    .reverse()
    .map((h) => ({ id: h.id, at: h.at, actorName: h.actorName, event: h.event, comment: h.comment }));
  // "Changes since your last review": what this reviewer last decided on, against today's.
  const mine = await lastReviewSeen(user.id, page.answerId);
  const sinceMine = mine ? { at: mine.at, ...reviewDiff(mine.seen, v) } : null;
  // They last decided on the certified version itself (they certified it): one diff says it all.
  const lastSawCertified = !!diff && !!sinceMine && (["question", "alternatives", "shortAnswer", "body"] as const).every((k) => diff[k].html === sinceMine[k].html);
  const comments = await listComments(user, "answer", page.answerId);
  const decides = ["APPROVE", "REQUEST_CHANGES", "REJECT", "CERTIFY"].some((e) => reviewPage.allowed.includes(e));
  const deciders = decides ? null : await decidersFor(v);
  return {
    page: reviewPage,
    diff,
    sinceMine: sinceMine?.changed && !lastSawCertified ? sinceMine : null,
    lastSawCertified,
    reviewedBefore: !!sinceMine,
    certify,
    deciders,
    decisions,
    comments,
    canComment: can(user.roles, "content.write"),
    canModerate: can(user.roles, "content.moderate"),
    isAuthor: v.authorId === user.id,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const intent = (await request.clone().formData()).get("intent");
  if (intent === "comment" || intent === "comment-edit" || intent === "comment-delete" || intent === "hide") {
    const user = await requireUser(request);
    const handled = await handleSharedIntent(user, await readForm(request), { type: "answer", id: params.answerId ?? "" });
    if (handled) return handled;
  }
  return handleAnswerAction(request, params.answerId ?? "");
}

/**
 * Each part as this version reads, with what changed marked in place: added text underlined on
 * green (<ins>), removed text struck through on red (<del>). The HTML is the editor's own
 * renderer's (app/models/diff.server.ts): escaped text, the schema's tags only.
 */
function DiffSection({ id, title, blocks, beforeLabel }: { id: string; title: string; blocks: [string, RenderedDiff][]; beforeLabel: string }) {
  return (
    <section aria-labelledby={id} className="diff-section">
      <h2 id={id}>{title}</h2>
      <p className="muted diff-legend">
        Against the {beforeLabel}: <ins>added text</ins> is underlined, <del>removed text</del> is struck through; a change of formatting only (bold, a link&rsquo;s address) shows the old and the new, <ins className="diff-format">marked with a dotted line</ins>.
      </p>
      {blocks.map(([label, d]) => (
        <div key={label} className="diff-block">
          <h3>
            {label} {d.changed ? null : <span className="muted">(unchanged)</span>}
          </h3>
          <div className="rich-text diff-rendered" dangerouslySetInnerHTML={{ __html: d.html }} />
        </div>
      ))}
    </section>
  );
}

const DECISION_LABELS: Record<string, string> = {
  SUBMIT: "submitted it",
  RESUBMIT: "resubmitted it",
  APPROVE: "approved",
  REQUEST_CHANGES: "asked for changes",
  REJECT: "rejected it",
  CERTIFY: "certified it",
};

export default function ReviewAnswer() {
  const { page, diff, sinceMine, lastSawCertified, reviewedBefore, certify, deciders, decisions, comments, canComment, canModerate, isAuthor } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors: FieldErrors = result && !result.ok ? result.errors : {};
  const refusedIntent = result && !result.ok && "intent" in result && typeof result.intent === "string" ? result.intent : undefined;
  const v = page.shown;
  return (
    <article>
      <p className="muted">
        <Link to="/review">← Review queue</Link> · <Link to={`/answers/${page.answerId}?version=${v.number}`}>answer page</Link> · version {v.number} ·{" "}
        {STATE_LABELS[v.state]} · by {v.authorName}
      </p>
      <h1>Review: {v.question}</h1>
      {result?.ok ? (
        <p className="notice success" role="status">
          {result.message}
        </p>
      ) : null}
      {refusalShownBeside(page, refusedIntent) ? null : <FieldError id="form-error" errors={errors.form} role="alert" />}
      <dl className="facts review-facts">
        <dt>Audience</dt>
        <dd>
          {v.audience === "public" ? (
            <>
              <strong>Public</strong>: once certified it is published on the public FAQ website
            </>
          ) : (
            "Internal: agents and colleagues only"
          )}
        </dd>
        <dt>Topics</dt>
        <dd>{page.topics.map((t) => t.name).join(", ") || "—"}</dd>
        <dt>Product tags</dt>
        <dd>{v.tags.join(", ") || "—"}</dd>
      </dl>
      {sinceMine ? (
        <DiffSection
          id="since-mine-heading"
          title={`Changes since your last review (${formatDateTime(sinceMine.at)})`}
          beforeLabel="text you last reviewed"
          blocks={[
            ["Question", sinceMine.question],
            ["Other phrasings", sinceMine.alternatives],
            ["Short answer", sinceMine.shortAnswer],
            ["Full answer", sinceMine.body],
          ]}
        />
      ) : lastSawCertified ? (
        <p className="notice">You last reviewed the certified version: the changes since are below.</p>
      ) : reviewedBefore ? (
        <p className="notice">Nothing changed since your last review.</p>
      ) : null}
      {diff ? (
        <DiffSection
          id="diff-heading"
          title={`Changes against the certified version ${diff.baseNumber}`}
          beforeLabel="certified version"
          blocks={[
            ["Question", diff.question],
            ["Other phrasings", diff.alternatives],
            ["Short answer", diff.shortAnswer],
            ["Full answer", diff.body],
          ]}
        />
      ) : (
        <section className="card">
          <h2>Short answer</h2>
          <p>{v.shortAnswer}</p>
          <h2>Full answer</h2>
          <div className="rich-text" dangerouslySetInnerHTML={{ __html: v.bodyHtml }} />
          {v.alternatives.length ? (
            <>
              <h2>Also asked as</h2>
              <ul>
                {v.alternatives.map((a) => (
                  <li key={a}>{a}</li>
                ))}
              </ul>
            </>
          ) : null}
        </section>
      )}
      <section aria-labelledby="decisions-heading" className="card">
        <h2 id="decisions-heading">Decisions so far</h2>
        {decisions.some((d) => d.event === "APPROVE") ? null : <p className="muted">No approvals yet.</p>}
        <ol className="decision-list">
          {decisions.map((d) => (
            <li key={d.id}>
              <span className="muted">{formatDateTime(d.at)}</span> <strong>{d.actorName ?? "Vetted"}</strong> {DECISION_LABELS[d.event] ?? d.event}
              {d.comment ? <blockquote>{d.comment}</blockquote> : null}
            </li>
          ))}
        </ol>
      </section>
      <WorkflowActions page={page} certify={certify} errors={errors} refusedIntent={refusedIntent} reviewPage />
      {deciders ? <WhoDecides deciders={deciders} isAuthor={isAuthor} /> : null}
      {page.allowed.length === 0 && !deciders ? <p className="muted">There is nothing for you to decide on this version now.</p> : null}
      <Comments comments={comments} canComment={canComment} canModerate={canModerate} errors={refusedIntent ? {} : errors} />
    </article>
  );
}
