import { recordOpen } from "../insights/opens.server";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requirePermission } from "../auth/session.server";
import { handleAnswerAction } from "../models/answer-actions.server";
import { decidersFor, getAnswerPage } from "../models/answer.server";
import { STATE_LABELS } from "../models/answer-labels";
import { certifyOptions } from "../models/certify.server";
import { listComments } from "../models/comments.server";
import { handleSharedIntent } from "../models/content-actions.server";
import { originLink } from "../models/promote.server";
import { can } from "../auth/policy";
import { Comments } from "../ui/content";
import { readForm, readFormData } from "../utils/forms.server";
import { faqPathOf, feedbackSummary, maySeeFeedbackComments } from "../models/faq.server";
import { CsrfInput } from "../ui/csrf-input";
import { FieldError } from "../ui/field-error";
import { History } from "../ui/answer-history";
import { refusalShownBeside, WorkflowActions } from "../ui/workflow-actions";
import { WhoDecides } from "../ui/who-decides";
import type { FieldErrors } from "../utils/forms.server";
import { formatDate } from "../ui/format";
import { useCleanIndexUrl } from "../ui/clean-index-url";
import { ReplyActions } from "../ui/reply-actions";
import { data } from "@remix-run/node";
import { handleFeedbackIntent, readerFeedback } from "../models/feedback-actions.server";
import { AnswerFeedback, type FeedbackResult } from "../ui/answer-feedback";
import { FeedbackCard } from "../ui/feedback-card";
import { reviewerSuggestions } from "../models/people.server";
import { minAgentsToLearn, phrasingsOfAnswer } from "../learning/review.server";
import { LearnedPhrasings } from "../ui/learned-phrasings";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.page.shown.question ?? "Answer"} · Vetted` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "answer.read");
  const url = new URL(request.url);
  const version = url.searchParams.get("version");
  const n = version && /^\d{1,6}$/.test(version) ? Number(version) : undefined;
  const page = await getAnswerPage(user, params.answerId ?? "", n);
  if (!page) throw new Response("No answer you may read has this address.", { status: 404 });
  if (page.live && url.searchParams.has("s") && can(user.roles, "search.use")) await recordOpen({ sessionId: url.searchParams.get("s"), answerId: page.answerId, userId: user.id });
  const decides = ["APPROVE", "REQUEST_CHANGES", "REJECT", "CERTIFY"].some((e) => page.allowed.includes(e));
  const submits = page.allowed.includes("SUBMIT") || page.allowed.includes("RESUBMIT");
  const [certify, comments, origin, feedback, faqPath, deciders, readers, reviewers, phrasings] = await Promise.all([
    page.allowed.includes("CERTIFY") ? certifyOptions(page) : null,
    listComments(user, "answer", page.answerId),
    originLink(page.origin),
    page.live ? feedbackSummary(page.answerId, { withComments: maySeeFeedbackComments(user, page.live.ownerId) }) : null,
    faqPathOf(page.answerId),
    decides ? null : decidersFor(page.shown),
    can(user.roles, "answer.feedback") ? readerFeedback(user, page.answerId) : null,
    submits ? reviewerSuggestions(page.topics.map((t) => t.id), page.shown.authorId) : null,
    phrasingsOfAnswer(user, page.answerId),
  ]);
  return {
    page,
    certify,
    feedback,
    readers,
    reviewers,
    faqPath,
    userId: user.id,
    deciders,
    comments,
    origin: origin ? { link: origin, label: (page.origin as { label?: string }).label ?? "where it came from" } : null,
    desk: { canCopy: can(user.roles, "search.use"), canUse: can(user.roles, "answer.use") },
    canComment: can(user.roles, "content.write"),
    canModerate: can(user.roles, "content.moderate"),
    learned: { phrasings, minAgents: minAgentsToLearn() },
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  // Comments (and their moderation) share one implementation with the wiki and the blog.
  const intent = (await readFormData(request.clone())).get("intent");
  if (intent === "rate" || intent === "flag") {
    const user = await requirePermission(request, "answer.feedback");
    const outcome = await handleFeedbackIntent(user, await readForm(request), params.answerId ?? "");
    return data(outcome.body, { status: outcome.status });
  }
  if (intent === "comment" || intent === "comment-edit" || intent === "comment-delete" || intent === "hide") {
    const user = await requirePermission(request, "answer.read");
    const handled = await handleSharedIntent(user, await readForm(request), { type: "answer", id: params.answerId ?? "" });
    if (handled) return handled;
  }
  return handleAnswerAction(request, params.answerId ?? "");
}

export default function AnswerPage() {
  useCleanIndexUrl();
  const { page, certify, comments, origin, canComment, canModerate, feedback, readers, reviewers, faqPath, deciders, userId, desk, learned } = useLoaderData<typeof loader>();
  const posted = useActionData<typeof action>();
  // Rate and flag answer in their own card; everything else beside the workflow buttons.
  const isFeedback = posted && "intent" in posted && (posted.intent === "rate" || posted.intent === "flag");
  const result = isFeedback ? undefined : posted;
  const errors: FieldErrors = result && !result.ok ? result.errors : {};
  const refusedIntent = result && !result.ok && "intent" in result && typeof result.intent === "string" ? result.intent : undefined;
  const v = page.shown;
  const isLive = page.live?.id === v.id;
  return (
    <article className="answer-page">
      <p className="muted">
        <Link to="/">Home</Link> · version {v.number} · <span className={`badge state-${v.state}`}>{STATE_LABELS[v.state] ?? v.state}</span>
        {" · "}
        {v.audience === "public" ? "Public" : "Internal"}
      </p>
      <h1>{v.question}</h1>
      {result?.ok ? (
        <p className="notice success" role="status">
          {result.message}
        </p>
      ) : null}
      {refusalShownBeside(page, refusedIntent) ? null : <FieldError id="form-error" errors={errors.form} role="alert" />}
      {v.state === "reverification_due" ? (
        <p className="notice warn" role="note">
          Re-verification is due since {formatDate(v.reverifyAt)}: this answer may be out of date. An expert should re-verify it.
        </p>
      ) : null}
      {v.certifiedAt && (v.state === "certified" || v.state === "reverification_due") ? (
        <p className="certificate">
          ✔ Certified by <strong>{v.certifiedByName}</strong> on {formatDate(v.certifiedAt)} · owner {v.ownerName ?? "—"} · re-verify by{" "}
          {formatDate(v.reverifyAt)}
        </p>
      ) : null}
      {!isLive && page.live ? (
        <p className="notice">
          This is version {v.number} ({STATE_LABELS[v.state]}). The certified answer readers get is{" "}
          <Link to={`/answers/${page.answerId}`}>version {page.live.number}</Link>.
        </p>
      ) : null}
      {isLive && page.open ? (
        <p className="notice">
          A revision (version {page.open.number}, {STATE_LABELS[page.open.state]}) by {page.open.authorName} is in progress;{" "}
          <Link to={`/answers/${page.answerId}?version=${page.open.number}`}>see it</Link>. This version stays live until it is certified.
        </p>
      ) : null}

      <div className="answer-layout">
        <div className="answer-main">
          <section aria-labelledby="short-heading" className="card">
            <h2 id="short-heading">Short answer</h2>
            <p className="short-answer">{v.shortAnswer || <em className="muted">not written yet</em>}</p>
          </section>
          <section aria-labelledby="full-heading" className="card">
            <h2 id="full-heading">Full answer</h2>
            {/* Rendered on the server from validated Tiptap JSON with the shared schema: safe HTML. */}
            <div className="rich-text" dangerouslySetInnerHTML={{ __html: v.bodyHtml }} />
          </section>

          {isLive && (readers || feedback) ? (
            <FeedbackCard faq={feedback} faqPath={faqPath} readers={readers}>
              {readers ? (
                <AnswerFeedback
                  answerId={page.answerId}
                  action={`/answers/${page.answerId}?index`}
                  source="answer"
                  canRate={readers.canRate}
                  canFlag={readers.canFlag}
                  mine={readers.ratings.mine}
                  openFlagNote={readers.myFlag && (readers.myFlag.status === "open" || readers.myFlag.status === "in_revision") ? `You flagged this answer on ${formatDate(readers.myFlag.createdAt)}; ${readers.myFlag.assigneeName ?? "the topic's experts"} will act on it.` : null}
                  posted={isFeedback ? (posted as FeedbackResult) : undefined}
                />
              ) : null}
            </FeedbackCard>
          ) : null}

          <LearnedPhrasings phrasings={learned.phrasings} minAgents={learned.minAgents} back={`/answers/${page.answerId}`} />
          <History events={page.history} />
          <Comments comments={comments} canComment={canComment} canModerate={canModerate} errors={refusedIntent ? {} : errors} />
        </div>
        {/* The side column: what the answer is, who decides next, and the actions on it. */}
        <aside className="answer-side" aria-label="About this answer">
          {isLive && desk.canCopy && (v.state === "certified" || v.state === "reverification_due") ? (
            <section aria-labelledby="reply-heading" className="side-reply">
              <h2 id="reply-heading">
                Use in a reply
              </h2>
              <ReplyActions answerId={page.answerId} canUse={desk.canUse} />
            </section>
          ) : null}
          <dl className="facts">
            {v.alternatives.length > 0 ? (
              <>
                <dt>Also asked as</dt>
                <dd>
                  <ul>
                    {v.alternatives.map((a) => (
                      <li key={a}>{a}</li>
                    ))}
                  </ul>
                </dd>
              </>
            ) : null}
            <dt>Topics</dt>
            <dd>{page.topics.map((t) => t.name).join(", ") || "—"}</dd>
            <dt>Product tags</dt>
            <dd>{v.tags.join(", ") || "—"}</dd>
            <dt>Written by</dt>
            <dd>{v.authorName}</dd>
            {origin ? (
              <>
                <dt>Came from</dt>
                <dd>
                  <Link to={origin.link}>{origin.label}</Link>
                </dd>
              </>
            ) : null}
          </dl>
          {deciders ? <WhoDecides deciders={deciders} isAuthor={v.authorId === userId} /> : null}
          <WorkflowActions page={page} certify={certify} errors={errors} refusedIntent={refusedIntent} />
          {reviewers && reviewers.length > 0 ? (
            <section className="suggested-reviewers" aria-labelledby="reviewers-heading">
              <h3 id="reviewers-heading">Suggested reviewers</h3>
              <p className="muted">The topic&apos;s experts who know it best and have the fewest reviews waiting; all of them are asked when you submit.</p>
              <ul>
                {reviewers.map((r) => (
                  <li key={r.id}>
                    <Link to={`/people/${r.id}`}>{r.name}</Link>{" "}
                    <span className="muted">
                      · score {r.score} · {r.waiting} {r.waiting === 1 ? "review" : "reviews"} waiting
                    </span>
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
          {page.canEdit ? (
            <p>
              <Link className="button primary" to={`/answers/${page.answerId}/edit`}>
                Edit draft
              </Link>
            </p>
          ) : null}
          {page.canRevise && isLive ? (
            <Form method="post">
              <CsrfInput />
              <button type="submit" name="intent" value="REVISE">
                {page.open ? "Continue your revision" : "Revise this answer"}
              </button>
            </Form>
          ) : null}

          <section aria-labelledby="versions-heading">
            <h2 id="versions-heading">Versions</h2>
            <ol className="versions" reversed>
              {page.versions.map((x) => (
                <li key={x.number}>
                  {x.visible ? <Link to={`/answers/${page.answerId}?version=${x.number}`}>Version {x.number}</Link> : <span>Version {x.number}</span>} —{" "}
                  {STATE_LABELS[x.state] ?? x.state}, by {x.authorName}
                </li>
              ))}
            </ol>
          </section>
        </aside>
      </div>
    </article>
  );
}
