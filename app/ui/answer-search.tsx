import { Form, Link, useFetcher, useNavigate } from "@remix-run/react";
import { useCallback, useEffect, useRef, useState } from "react";
import type { AgentSearchData } from "../models/agent-search.server";
import { CsrfInput } from "./csrf-input";
import { formatDate } from "./format";
import { Pagination } from "./pagination";
import { ReplyActions } from "./reply-actions";
import { AnswerFeedback } from "./answer-feedback";
import { CompletionList, useCompletion } from "./query-completion";

type Data = AgentSearchData;
type Hit = NonNullable<Data["result"]>["hits"][number];
type ContentHit = NonNullable<Data["content"]>["hits"][number];

const KIND_LABELS: Record<ContentHit["kind"], string> = { wiki: "Wiki page", blog: "Blog post", forum: "Forum thread" };

/** A wiki page, blog post or forum thread found by the same words: shown after the answers, never as one. */
function ContentResult({ hit }: { hit: ContentHit }) {
  return (
    <li>
      <article className={`content-result kind-${hit.kind}`} data-kind={hit.kind} aria-labelledby={`c-${hit.id}`}>
        <p className="result-labels">
          <span className={`kind-label kind-${hit.kind}`}>{KIND_LABELS[hit.kind]}</span>
          <span className="badge uncertified">Not certified</span>
        </p>
        <h3 id={`c-${hit.id}`}>
          {/* Highlights are built on the server with the text escaped and only <mark> added. */}
          <Link to={hit.href} dangerouslySetInnerHTML={{ __html: hit.titleHtml }} />
        </h3>
        <p className="snippet muted" dangerouslySetInnerHTML={{ __html: hit.snippetHtml }} />
        <p className="meta muted">Updated {formatDate(hit.updatedAt)}</p>
      </article>
    </li>
  );
}

function Highlighted({ html, text }: { html?: string | undefined; text: string }) {
  // Highlights come from the engine with the text escaped and only <mark> added.
  return html ? <span dangerouslySetInnerHTML={{ __html: html }} /> : <>{text}</>;
}

const answerHref = (answerId: string, session: string | undefined) => `/answers/${answerId}${session ? `?s=${encodeURIComponent(session)}` : ""}`;

function Result({ hit, selected, onSelect, data, query, conversation, compact }: { hit: Hit; selected: boolean; onSelect: () => void; data: Data; query: string; conversation?: string | undefined; compact: boolean }) {
  const doc = hit.document;
  const target = compact ? "_blank" : undefined;
  // The search session rides along so the answer page can count "opened, then not used" (Insights).
  const href = answerHref(doc.id, data.params.session);
  return (
    <li>
      <article className={selected ? "result selected" : "result"} tabIndex={-1} data-answer-id={doc.id} onFocus={onSelect} aria-labelledby={`q-${doc.id}`}>
        {data.scope.available ? (
          <p className="result-labels">
            <span className="badge certified">✓ Certified answer</span>
          </p>
        ) : null}
        <h2 id={`q-${doc.id}`}>
          {compact ? (
            <a href={href} target={target} rel="noopener">
              <Highlighted html={hit.highlights.question} text={doc.question} />
            </a>
          ) : (
            <Link to={href}>
              <Highlighted html={hit.highlights.question} text={doc.question} />
            </Link>
          )}
        </h2>
        {doc.state === "reverification_due" ? (
          <p className="notice warn" role="note">
            Re-verification due since {formatDate(doc.reverifyAt)}: check before you rely on it.
          </p>
        ) : null}
        <p className="short-answer">
          <Highlighted html={hit.highlights.shortAnswer} text={doc.shortAnswer} />
        </p>
        {hit.highlights.body && !compact ? <p className="snippet muted" dangerouslySetInnerHTML={{ __html: hit.highlights.body }} /> : null}
        <p className="meta muted">
          {doc.topicNames.join(", ")} · {doc.audience === "public" ? "Public" : "Internal"} · certified by {doc.certifiedByName ?? "—"} on {formatDate(doc.certifiedAt)}
        </p>
        <ReplyActions answerId={doc.id} searchSession={data.params.session} searchQuery={query || undefined} conversation={conversation} canUse={data.canUse} panel={compact} />
        {data.canFeedback ? (
          <AnswerFeedback answerId={doc.id} action={compact ? "/panel/feedback" : "/search/feedback"} source={compact ? "panel" : "search"} canRate canFlag compact />
        ) : null}
      </article>
    </li>
  );
}

/**
 * The agent's search: as-you-type results, keyboard first ("/" to the box, ↓/↑ to pick, s/f to
 * copy, Enter to open), copy per channel and "Used in reply" on every result, browsing by topic
 * or tag without words, and "request an answer" when nothing fits. The /search page and the
 * help-desk panel (compact) both render it.
 */
export function AnswerSearch({
  initial,
  basePath,
  compact = false,
  conversation,
  completeUrl,
}: {
  initial: Data;
  basePath: string;
  compact?: boolean;
  conversation?: string | undefined;
  /** Where whole-query completions come from (GET ?q=); none: no suggestion list. */
  completeUrl?: string | undefined;
}) {
  const live = useFetcher<Data>();
  const data = (live.data ?? initial) as Data;
  const navigate = useNavigate();
  const input = useRef<HTMLInputElement>(null);
  const form = useRef<HTMLFormElement>(null);
  const sessionInput = useRef<HTMLInputElement>(null);
  const [selected, setSelected] = useState(-1);
  const [query, setQuery] = useState(initial.params.q);
  const timer = useRef<ReturnType<typeof setTimeout>>();

  const searchLive = useCallback(() => {
    if (!form.current) return;
    // Clearing the box starts a new search session: the next words are a new search.
    if (input.current && input.current.value.trim() === "" && sessionInput.current) sessionInput.current.value = crypto.randomUUID();
    setQuery(input.current?.value ?? "");
    const params = new URLSearchParams(new FormData(form.current) as unknown as Record<string, string>);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      window.history.replaceState(null, "", `${basePath}?${params.toString()}`);
      params.set("live", "1");
      live.load(`${basePath}?${params.toString()}`);
      setSelected(-1);
    }, 180);
  }, [live, basePath]);

  /** Puts a chosen suggestion or correction in the box and searches for it. */
  const searchFor = useCallback(
    (text: string) => {
      if (!input.current) return;
      input.current.value = text;
      input.current.focus();
      searchLive();
    },
    [searchLive],
  );
  const inputFocused = useCallback(() => document.activeElement === input.current, []);
  const completion = useCompletion(completeUrl, searchFor, inputFocused);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement;
      const typing = ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName);
      const results = [...document.querySelectorAll<HTMLElement>(".result")];
      if (e.key === "/" && !typing) {
        e.preventDefault();
        input.current?.focus();
        input.current?.select();
      } else if ((e.key === "ArrowDown" || e.key === "ArrowUp") && results.length > 0 && (!typing || target === input.current)) {
        e.preventDefault();
        const next = e.key === "ArrowDown" ? Math.min(selected + 1, results.length - 1) : selected - 1;
        if (next < 0) {
          input.current?.focus();
          setSelected(-1);
        } else {
          results[next]?.focus();
          setSelected(next);
        }
      } else if (!typing && selected >= 0) {
        const el = results[selected];
        if (!el) return;
        if (e.key === "Enter" && target === el) {
          const to = answerHref(el.dataset.answerId ?? "", sessionInput.current?.value);
          if (compact) window.open(to, "_blank", "noopener");
          else navigate(to);
        } else if (e.key === "s") el.querySelector<HTMLButtonElement>("button[aria-keyshortcuts='s']")?.click();
        else if (e.key === "f") el.querySelector<HTMLButtonElement>("button[aria-keyshortcuts='f']")?.click();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [selected, navigate, compact]);

  const { params, topics, result } = data;
  const pages = result ? Math.max(1, Math.ceil(result.total / params.limit)) : 1;
  const shownFrom = result ? result.offset + 1 : 0;
  const shownTo = result ? result.offset + result.hits.length : 0;
  return (
    <div className={compact ? "search-page compact" : "search-page"}>
      <h1 className="visually-hidden">Search certified answers</h1>
      <Form method="get" action={basePath} ref={form} role="search" className="search-form" onChange={searchLive}>
        <label htmlFor="q" className="visually-hidden">
          {data.scope.available ? "Search answers, wiki, blog and forum" : "Search certified answers"}
        </label>
        <div className="search-box">
          <input
            id="q"
            ref={input}
            name="q"
            type="search"
            defaultValue={params.q}
            placeholder={
              compact ? "Search certified answers ( / )" : data.scope.available ? "Search answers, wiki, blog and forum — press / to focus, ↓ to pick" : "Search certified answers — press / to focus, ↓ to pick a result"
            }
            autoComplete="off"
            // In a framed panel the browser refuses autofocus (the ticket has the focus): "/" focuses.
            autoFocus={!compact}
            onInput={(e) => {
              searchLive();
              completion.typed(e.currentTarget.value);
            }}
            onKeyDown={completion.onKeyDown}
            onBlur={completion.close}
            aria-keyshortcuts="/"
            {...(completeUrl
              ? {
                  role: "combobox",
                  "aria-autocomplete": "list" as const,
                  "aria-expanded": completion.open,
                  "aria-controls": "q-completions",
                  "aria-activedescendant": completion.open && completion.active >= 0 ? `q-completions-${completion.active}` : undefined,
                }
              : {})}
          />
          {completeUrl ? <CompletionList id="q-completions" items={completion.items} active={completion.active} open={completion.open} onChoose={completion.choose} /> : null}
        </div>
        <input type="hidden" name="session" ref={sessionInput} defaultValue={params.session} />
        {conversation ? <input type="hidden" name="conversation" value={conversation} /> : null}
        <select name="topic" defaultValue={params.topic ?? ""} aria-label="Filter by topic">
          <option value="">All topics</option>
          {topics.map((t) => (
            <option key={t.id} value={t.id}>
              {t.name}
            </option>
          ))}
        </select>
        <input name="tag" defaultValue={params.tag ?? ""} placeholder="product tag" aria-label="Filter by product tag" />
        <select name="audience" defaultValue={params.audience ?? ""} aria-label="Filter by audience">
          <option value="">Any audience</option>
          <option value="internal">Internal</option>
          <option value="public">Public</option>
        </select>
        <button type="submit">{params.q || !(params.topic || params.tag) ? "Search" : "Browse"}</button>
        {initial.scope.available ? (
          <fieldset className="scope-switch">
            <legend>Search in</legend>
            <label>
              <input type="radio" name="scope" value="certified" defaultChecked={initial.scope.value === "certified"} /> Certified answers only
            </label>
            <label>
              <input type="radio" name="scope" value="all" defaultChecked={initial.scope.value === "all"} /> Answers, wiki, blog &amp; forum
            </label>
          </fieldset>
        ) : null}
      </Form>
      {data.error ? <p className="field-error">{data.error}</p> : null}
      {result ? (
        <p className="muted result-count" aria-live="polite">
          {result.hits.length === 0
            ? result.mode === "browse"
              ? "No certified answer in this topic or tag yet."
              : "No certified answer matches."
            : `${result.total} ${result.mode === "browse" ? "certified" : "matching"} answer${result.total === 1 ? "" : "s"}${result.mode === "browse" ? ", most used first" : ""}${pages > 1 ? ` · showing ${shownFrom}–${shownTo}` : ""}`}{" "}
          · {result.tookMs} ms
        </p>
      ) : (
        <p className="muted">Type a customer's words — a few keywords, a whole question, or a pasted message — or choose a topic to browse its answers.</p>
      )}
      {data.didYouMean ? (
        <p className="did-you-mean">
          Did you mean{" "}
          <Link
            to={`${basePath}?${new URLSearchParams({ q: data.didYouMean, ...(data.scope.available ? { scope: data.scope.value } : {}) }).toString()}`}
            onClick={(e) => {
              e.preventDefault();
              searchFor(data.didYouMean!);
            }}
          >
            {data.didYouMean}
          </Link>
          ?
        </p>
      ) : null}
      {result && result.hits.length > 0 ? (
        <ol className="results" start={shownFrom}>
          {result.hits.map((hit, i) => (
            <Result key={hit.document.id} hit={hit} selected={i === selected} onSelect={() => setSelected(i)} data={data} query={query} conversation={conversation} compact={compact} />
          ))}
        </ol>
      ) : null}
      {result ? (
        <Pagination
          page={params.page}
          pageSize={params.limit}
          total={result.total}
          params={{ q: params.q, topic: params.topic ?? "", tag: params.tag ?? "", audience: params.audience ?? "", session: params.session, ...(data.scope.available ? { scope: data.scope.value } : {}) }}
        />
      ) : null}
      {data.content && data.content.hits.length > 0 ? (
        <section className="content-results" aria-labelledby="content-heading">
          <h2 id="content-heading">
            From the wiki, blog and forum <span className="muted">· {data.content.total} not certified — check before you rely on them</span>
          </h2>
          <ol className="results">
            {data.content.hits.map((hit) => (
              <ContentResult key={`${hit.kind}-${hit.id}`} hit={hit} />
            ))}
          </ol>
        </section>
      ) : null}
      {result && result.mode === "search" ? (
        <section className="card request-answer" aria-labelledby="request-heading">
          <h2 id="request-heading">{result.hits.length === 0 ? "Nothing fits? Ask for an answer" : "None of these helps? Ask for an answer"}</h2>
          <p className="muted">Experts of the topic see your request; you are told in your Inbox when the answer is certified.</p>
          <Form method="post" action={compact ? "/panel/search" : "/requests"} key={params.q}>
            <CsrfInput />
            {data.failedSearchId ? <input type="hidden" name="failedSearchId" value={data.failedSearchId} /> : null}
            <input type="hidden" name="fromSearch" value="1" />
            <label htmlFor="request-question">Question</label>
            <input id="request-question" name="question" defaultValue={params.q.slice(0, 300)} />
            <label htmlFor="request-topic">Topic</label>
            <select id="request-topic" name="topicId" defaultValue={params.topic ?? ""}>
              <option value="">Not sure</option>
              {topics.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name}
                </option>
              ))}
            </select>
            <label htmlFor="request-details">What the customer needs (optional)</label>
            <textarea id="request-details" name="details" rows={2} />
            <button type="submit" className="primary">
              Request an answer
            </button>
          </Form>
        </section>
      ) : null}
    </div>
  );
}
