import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useFetcher, useLoaderData, useNavigate } from "@remix-run/react";
import { useCallback, useEffect, useRef, useState } from "react";
import type { z } from "zod";
import { requirePermission } from "../auth/session.server";
import { CHANNEL_OPTIONS, SearchParamsSchema } from "../models/agent.schema";
import { logFailedSearch } from "../models/agent.server";
import { searchAnswers } from "../models/search.server";
import { listTopics } from "../models/topic.server";
import { CsrfInput } from "../ui/csrf-input";
import { formatDate } from "../ui/format";

export const meta: MetaFunction = () => [{ title: "Search · Vetted" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "search.use");
  const url = new URL(request.url);
  const parsed = SearchParamsSchema.safeParse(Object.fromEntries(url.searchParams));
  const params: z.output<typeof SearchParamsSchema> = parsed.success ? parsed.data : { q: "", limit: 10, tag: undefined };
  const topics = (await listTopics()).map((t) => ({ id: t.id, name: t.name }));
  if (!params.q) return { params, topics, result: null, failedSearchId: null, error: parsed.success ? null : parsed.error.issues[0]?.message ?? null };
  const started = performance.now();
  const result = await searchAnswers({
    q: params.q,
    limit: params.limit,
    ...(params.topic ? { topicIds: [params.topic] } : {}),
    ...(params.tag ? { tags: [params.tag] } : {}),
    ...(params.audience ? { audience: params.audience } : {}),
  });
  const tookMs = Math.round(performance.now() - started);
  // As-you-type requests are drafts of a search; only a submitted search that finds nothing is a gap.
  const committed = url.searchParams.get("live") !== "1";
  const failedSearchId =
    committed && result.hits.length === 0
      ? await logFailedSearch({ query: params.q, filters: { topic: params.topic, tag: params.tag, audience: params.audience }, results: 0, reason: "no_results", userId: user.id })
      : null;
  return { params, topics, result: { ...result, tookMs }, failedSearchId, error: null };
}

type Data = ReturnType<typeof useLoaderData<typeof loader>>;
type Hit = NonNullable<Data["result"]>["hits"][number];

function Highlighted({ html, text }: { html?: string | undefined; text: string }) {
  // Highlights come from the engine with the text escaped and only <mark> added.
  return html ? <span dangerouslySetInnerHTML={{ __html: html }} /> : <>{text}</>;
}

function Result({ hit, selected, onSelect }: { hit: Hit; selected: boolean; onSelect: () => void }) {
  const doc = hit.document;
  const use = useFetcher<{ ok: boolean; message?: string }>();
  const [copied, setCopied] = useState<string | null>(null);
  const [channel, setChannel] = useState<string>("chat");
  const record = useCallback(
    (kind: string, withChannel = false) => {
      const data = new FormData(document.getElementById("use-csrf") as HTMLFormElement);
      data.set("answerId", doc.id);
      data.set("kind", kind);
      if (withChannel) data.set("channel", channel);
      use.submit(data, { method: "post", action: "/search/use" });
    },
    [doc.id, channel, use],
  );
  const copy = useCallback(
    async (kind: "copy_short" | "copy_full") => {
      const text = kind === "copy_short" ? doc.shortAnswer : doc.body;
      try {
        await navigator.clipboard.writeText(text);
        setCopied(kind === "copy_short" ? "Short answer copied" : "Full answer copied");
      } catch {
        setCopied("Copy failed: select the text instead");
      }
      record(kind);
    },
    [doc, record],
  );
  return (
    <li>
      <article
        className={selected ? "result selected" : "result"}
        tabIndex={-1}
        data-answer-id={doc.id}
        data-copy-short={doc.shortAnswer}
        onFocus={onSelect}
        aria-labelledby={`q-${doc.id}`}
      >
        <h2 id={`q-${doc.id}`}>
          <Link to={`/answers/${doc.id}`}>
            <Highlighted html={hit.highlights.question} text={doc.question} />
          </Link>
        </h2>
        {doc.state === "reverification_due" ? (
          <p className="notice warn" role="note">
            Re-verification due since {formatDate(doc.reverifyAt)}: check before you rely on it.
          </p>
        ) : null}
        <p className="short-answer">
          <Highlighted html={hit.highlights.shortAnswer} text={doc.shortAnswer} />
        </p>
        {hit.highlights.body ? <p className="snippet muted" dangerouslySetInnerHTML={{ __html: hit.highlights.body }} /> : null}
        <p className="meta muted">
          {doc.topicNames.join(", ")} · {doc.audience === "public" ? "Public" : "Internal"} · certified by {doc.certifiedByName ?? "—"} on {formatDate(doc.certifiedAt)}
        </p>
        <div className="actions">
          <button type="button" onClick={() => void copy("copy_short")} aria-keyshortcuts="s">
            Copy short answer
          </button>
          <button type="button" onClick={() => void copy("copy_full")} aria-keyshortcuts="f">
            Copy full answer
          </button>
          <label className="inline">
            <span className="visually-hidden">Channel</span>
            <select value={channel} onChange={(e) => setChannel(e.target.value)} aria-label="Channel of your reply">
              {CHANNEL_OPTIONS.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
          </label>
          <button type="button" onClick={() => record("used", true)}>
            Used in reply
          </button>
          <span role="status" aria-live="polite" className="muted">
            {use.data?.ok ? (copied ?? "Recorded — thank you") : use.data && !use.data.ok ? use.data.message : copied}
          </span>
        </div>
      </article>
    </li>
  );
}

export default function Search() {
  const initial = useLoaderData<typeof loader>();
  const live = useFetcher<typeof loader>();
  const data = (live.data ?? initial) as Data;
  const navigate = useNavigate();
  const input = useRef<HTMLInputElement>(null);
  const form = useRef<HTMLFormElement>(null);
  const [selected, setSelected] = useState(-1);
  const timer = useRef<ReturnType<typeof setTimeout>>();

  const searchLive = useCallback(() => {
    if (!form.current) return;
    const params = new URLSearchParams(new FormData(form.current) as unknown as Record<string, string>);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      window.history.replaceState(null, "", `/search?${params.toString()}`);
      params.set("live", "1");
      live.load(`/search?${params.toString()}`);
      setSelected(-1);
    }, 180);
  }, [live]);

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
        if (e.key === "Enter") navigate(`/answers/${el.dataset.answerId}`);
        else if (e.key === "s") el.querySelector<HTMLButtonElement>("button[aria-keyshortcuts='s']")?.click();
        else if (e.key === "f") el.querySelector<HTMLButtonElement>("button[aria-keyshortcuts='f']")?.click();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [selected, navigate]);

  const { params, topics, result } = data;
  return (
    <div className="search-page">
      <h1 className="visually-hidden">Search certified answers</h1>
      <form id="use-csrf" hidden>
        <CsrfInput />
      </form>
      <Form method="get" ref={form} role="search" className="search-form" onChange={searchLive}>
        <label htmlFor="q" className="visually-hidden">
          Search certified answers
        </label>
        <input
          id="q"
          ref={input}
          name="q"
          type="search"
          defaultValue={params.q}
          placeholder="Search certified answers — press / to focus, ↓ to pick a result"
          autoComplete="off"
          autoFocus
          onInput={searchLive}
          aria-keyshortcuts="/"
        />
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
        <button type="submit">Search</button>
      </Form>
      {data.error ? <p className="field-error">{data.error}</p> : null}
      {result ? (
        <p className="muted" aria-live="polite">
          {result.hits.length === 0 ? "No certified answer matches." : `${result.total} matching answer${result.total === 1 ? "" : "s"}`} · {result.tookMs} ms
        </p>
      ) : (
        <p className="muted">Type a customer's words — a few keywords, a whole question, or a pasted message.</p>
      )}
      {result && result.hits.length > 0 ? (
        <ol className="results">
          {result.hits.map((hit, i) => (
            <Result key={hit.document.id} hit={hit} selected={i === selected} onSelect={() => setSelected(i)} />
          ))}
        </ol>
      ) : null}
      {result ? (
        <section className="card request-answer" aria-labelledby="request-heading">
          <h2 id="request-heading">{result.hits.length === 0 ? "Nothing fits? Ask for an answer" : "None of these helps? Ask for an answer"}</h2>
          <p className="muted">Experts of the topic see your request; you are told in your Inbox when the answer is certified.</p>
          <Form method="post" action="/requests" key={params.q}>
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
