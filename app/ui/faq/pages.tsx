import type { CSSProperties, ReactNode } from "react";
import type { Branding } from "../../models/faq.schema";
import { brandStyle } from "./styles";
import type { FaqAnswer, FaqAnswerSummary, FaqTopic } from "./types";
import type { FaqUrls } from "./urls";

// Pure components shared by the live /faq routes and the static export (rendered there with
// renderToStaticMarkup): props in, HTML out; no Remix hooks, no client script needed to read.

export function FaqShell({ branding, urls, query, children }: { branding: Branding; urls: FaqUrls; query?: string; children: ReactNode }) {
  return (
    <div className="faq" style={brandStyle(branding) as CSSProperties}>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="bar">
        <div className="in">
          <a className="home" href={urls.home}>
            {branding.logoUrl ? <img src={urls.branded(branding.logoUrl)} alt="" width="32" height="32" /> : null}
            <span>{branding.companyName} Help</span>
          </a>
          <form className="sf" role="search" action={urls.search} method="get">
            <label className="vh" htmlFor="faq-q">
              Search the FAQ
            </label>
            <input id="faq-q" type="search" name="q" defaultValue={query ?? ""} placeholder="Search the FAQ" />
            <button type="submit">Search</button>
          </form>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
      <footer>
        <div className="in">
          {branding.footerLinks.length > 0 ? (
            <nav aria-label="Footer">
              <ul>
                {branding.footerLinks.map((l) => (
                  <li key={`${l.label}|${l.url}`}>
                    <a href={urls.branded(l.url)}>{l.label}</a>
                  </li>
                ))}
              </ul>
            </nav>
          ) : null}
          <p>© {branding.companyName}</p>
        </div>
      </footer>
    </div>
  );
}

function Crumbs({ items }: { items: { href?: string; label: string }[] }) {
  return (
    <nav className="crumbs" aria-label="Breadcrumb">
      <ol>
        {items.map((c, i) => (
          <li key={i}>{c.href ? <a href={c.href}>{c.label}</a> : <span aria-current="page">{c.label}</span>}</li>
        ))}
      </ol>
    </nav>
  );
}

function QuestionList({ answers, urls, showTopic }: { answers: FaqAnswerSummary[]; urls: FaqUrls; showTopic?: boolean }) {
  return (
    <ul className="qs">
      {answers.map((a) => (
        <li key={a.answerId}>
          <a href={urls.answer(a.topicSlug, a.slug)}>{a.question}</a>
          <p>
            {a.shortAnswer}
            {showTopic ? <span className="meta"> · {a.topicName}</span> : null}
          </p>
        </li>
      ))}
    </ul>
  );
}

export function FaqHomePage({ branding, urls, topics, popular }: { branding: Branding; urls: FaqUrls; topics: FaqTopic[]; popular: FaqAnswerSummary[] }) {
  return (
    <FaqShell branding={branding} urls={urls}>
      <h1>How can we help?</h1>
      <p className="lead">Answers to common questions, checked by our experts.</p>
      <section aria-labelledby="topics-h">
        <h2 id="topics-h">Topics</h2>
        {topics.length === 0 ? <p>No answers are published yet.</p> : null}
        <ul className="topics">
          {topics.map((t) => (
            <li key={t.slug}>
              <a href={urls.topic(t.slug)}>
                <strong>{t.name}</strong>
                <span>
                  {t.count} {t.count === 1 ? "answer" : "answers"}
                </span>
              </a>
            </li>
          ))}
        </ul>
      </section>
      {popular.length > 0 ? (
        <section aria-labelledby="popular-h">
          <h2 id="popular-h">Most helpful answers</h2>
          <QuestionList answers={popular} urls={urls} showTopic />
        </section>
      ) : null}
    </FaqShell>
  );
}

export function FaqTopicPage({ branding, urls, topic, answers }: { branding: Branding; urls: FaqUrls; topic: FaqTopic; answers: FaqAnswerSummary[] }) {
  return (
    <FaqShell branding={branding} urls={urls}>
      <Crumbs items={[{ href: urls.home, label: "Help" }, { label: topic.name }]} />
      <h1>{topic.name}</h1>
      {topic.description ? <p className="lead">{topic.description}</p> : null}
      <QuestionList answers={answers} urls={urls} />
    </FaqShell>
  );
}

export function FaqAnswerPage({ branding, urls, answer, feedback }: { branding: Branding; urls: FaqUrls; answer: FaqAnswer; feedback?: ReactNode }) {
  return (
    <FaqShell branding={branding} urls={urls}>
      <Crumbs
        items={[{ href: urls.home, label: "Help" }, { href: urls.topic(answer.topicSlug), label: answer.topicName }, { label: answer.question }]}
      />
      <article>
        <h1>{answer.question}</h1>
        <p className="short">{answer.shortAnswer}</p>
        <div className="body" dangerouslySetInnerHTML={{ __html: answer.bodyHtml }} />
        <p className="meta">
          Checked by our experts · updated <time dateTime={answer.certifiedOn}>{answer.certifiedOn}</time>
        </p>
      </article>
      {feedback}
    </FaqShell>
  );
}

/** Live: results come from the server. Export: `results` is null and a small script fills the list. */
export function FaqSearchPage({
  branding,
  urls,
  query,
  results,
  siteRoot,
}: {
  branding: Branding;
  urls: FaqUrls;
  query: string;
  results: FaqAnswerSummary[] | null;
  /** Export only: the export's root as a link from this page (the index's addresses are relative to it). */
  siteRoot?: string;
}) {
  return (
    <FaqShell branding={branding} urls={urls} query={query}>
      <h1>Search</h1>
      {results === null ? (
        <>
          <p id="search-status" role="status">
            Type a question in the search box above.
          </p>
          <ul className="qs" id="search-results" data-root={siteRoot} />
          <noscript>
            <p>Search needs JavaScript in this copy of the FAQ. Browse the topics from the home page instead.</p>
          </noscript>
        </>
      ) : (
        <>
          <p role="status">
            {query === ""
              ? "Type a question in the search box above."
              : results.length === 0
                ? `No answers match “${query}”. Try other words, or browse the topics.`
                : `${results.length} ${results.length === 1 ? "answer matches" : "answers match"} “${query}”.`}
          </p>
          <QuestionList answers={results} urls={urls} showTopic />
        </>
      )}
    </FaqShell>
  );
}

/**
 * "Was this helpful?" on live answer pages: a plain POST form (no script), the same for every
 * reader — no per-visitor token, so the page can be cached and shared. Cross-site posts are
 * refused by their Sec-Fetch-Site / Origin headers instead (app/models/faq-live.server.tsx).
 */
export function FaqFeedback({ thanks, errors }: { thanks: boolean; errors: Record<string, string[]> }) {
  return (
    <section className="fb" id="feedback" aria-labelledby="fb-h">
      <h2 id="fb-h">Was this helpful?</h2>
      {thanks ? (
        <p className="note" role="status">
          Thank you for your feedback.
        </p>
      ) : (
        <form method="post">
          {errors.form ? (
            <p className="note err" role="alert">
              {errors.form.join(" ")}
            </p>
          ) : null}
          <fieldset>
            <legend>Did this answer your question?</legend>
            <label>
              <input type="radio" name="helpful" value="yes" required {...(errors.helpful ? { "aria-describedby": "helpful-error" } : {})} /> Yes
            </label>
            <label>
              <input type="radio" name="helpful" value="no" /> No
            </label>
            <FieldErrors id="helpful-error" errors={errors.helpful} />
          </fieldset>
          <label htmlFor="fb-comment">What could be better? (optional)</label>
          <textarea id="fb-comment" name="comment" maxLength={1000} {...(errors.comment ? { "aria-describedby": "comment-error" } : {})} />
          <FieldErrors id="comment-error" errors={errors.comment} />
          <button type="submit">Send feedback</button>
        </form>
      )}
    </section>
  );
}

function FieldErrors({ id, errors }: { id: string; errors: string[] | undefined }) {
  if (!errors?.length) return null;
  return (
    <p id={id} className="note err">
      {errors.join(" ")}
    </p>
  );
}

export function FaqNotFoundPage({ branding, urls }: { branding: Branding; urls: FaqUrls }) {
  return (
    <FaqShell branding={branding} urls={urls}>
      <h1>Page not found</h1>
      <p>There is no answer at this address. It may have been removed.</p>
      <p>
        <a href={urls.home}>Go to the help home page</a>
      </p>
    </FaqShell>
  );
}
