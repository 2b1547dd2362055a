import type { ReactElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { getLogger } from "../../server/logger";
import { FaqDocument } from "../ui/faq/document";
import { FaqAnswerPage, FaqFeedback, FaqHomePage, FaqNotFoundPage, FaqSearchPage, FaqTopicPage } from "../ui/faq/pages";
import { answerHead, homeHead, searchHead, topicHead, type FaqHead } from "../ui/faq/seo";
import { liveFaqUrls } from "../ui/faq/urls";
import { clientIp } from "../utils/http.server";
import { parseForm, readFormData } from "../utils/forms.server";
import type { Branding } from "./faq.schema";
import { FeedbackSchema } from "./faq.schema";
import { cachedPageReply, faqCacheKey, faqPageCache, type CachedPage } from "./faq-cache.server";
import { faqOrigin } from "./faq-page.server";
import { findFaqAnswer, getBranding, getFaqTopic, listFaqTopics, popularFaqAnswers, recordFaqFeedback, searchFaq } from "./faq.server";

// The live public FAQ, served by resource routes (app/routes/faq*): each page is rendered once
// with the same pure components and document as the static export, kept in the page cache
// (faq-cache.server.ts) and served from there — no Remix render tree, no root loader, no
// session or cookie. See docs/decisions/007-public-faq.md.

const FAVICON = "/favicon.svg";

function document(head: FaqHead, branding: Branding, body: ReactElement): string {
  return `<!DOCTYPE html>${renderToStaticMarkup(
    <FaqDocument head={head} siteName={branding.companyName} faviconUrl={FAVICON}>
      {body}
    </FaqDocument>,
  )}`;
}

type Rendered = { status: 200; html: string } | { status: 301; location: string } | { status: 404 };

/** A view of the cached bytes (no copy), as a Response body. */
const bytes = (b: Buffer) => new Uint8Array(b.buffer as ArrayBuffer, b.byteOffset, b.length);

export function pageResponse(request: Request, page: CachedPage, cache: "hit" | "miss"): Response {
  const reply = cachedPageReply(page, { ifNoneMatch: request.headers.get("If-None-Match"), acceptEncoding: request.headers.get("Accept-Encoding") }, cache);
  return new Response(reply.body && request.method !== "HEAD" ? bytes(reply.body) : null, { status: reply.status, headers: reply.headers });
}

async function notFound(request: Request): Promise<Response> {
  const branding = await getBranding();
  const urls = liveFaqUrls(faqOrigin(request));
  const html = document({ ...homeHead(branding, urls), title: `Page not found · ${branding.companyName} Help`, noindex: true }, branding, <FaqNotFoundPage branding={branding} urls={urls} />);
  return new Response(html, { status: 404, headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" } });
}

async function cached(request: Request, render: (epoch: number) => Promise<Rendered>): Promise<Response> {
  try {
    const cache = faqPageCache();
    const epoch = await cache.ready();
    const url = new URL(request.url);
    const key = faqCacheKey(faqOrigin(request), url.pathname, url.searchParams.get("feedback") === "thanks");
    const hit = cache.get(key);
    if (hit) return pageResponse(request, hit, "hit");
    const rendered = await render(epoch);
    if (rendered.status === 404) return notFound(request);
    const page =
      rendered.status === 301
        ? cache.set(key, { status: 301, body: Buffer.alloc(0), location: rendered.location }, epoch)
        : cache.set(key, { status: 200, body: Buffer.from(rendered.html) }, epoch);
    return pageResponse(request, page, "miss");
  } catch (error) {
    getLogger().error({ err: error, url: request.url }, "public FAQ page failed");
    return new Response("Something went wrong. Please try again in a moment.", { status: 500, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } });
  }
}

export function faqHomeResponse(request: Request): Promise<Response> {
  return cached(request, async () => {
    const urls = liveFaqUrls(faqOrigin(request));
    const [branding, topics, popular] = await Promise.all([getBranding(), listFaqTopics(), popularFaqAnswers()]);
    return { status: 200, html: document(homeHead(branding, urls), branding, <FaqHomePage branding={branding} urls={urls} topics={topics} popular={popular} />) };
  });
}

export function faqTopicResponse(request: Request, topicSlug: string): Promise<Response> {
  return cached(request, async () => {
    const urls = liveFaqUrls(faqOrigin(request));
    const [branding, found] = await Promise.all([getBranding(), getFaqTopic(topicSlug)]);
    if (!found) return { status: 404 };
    return {
      status: 200,
      html: document(topicHead(branding, urls, found.topic, found.answers), branding, <FaqTopicPage branding={branding} urls={urls} topic={found.topic} answers={found.answers} />),
    };
  });
}

async function renderAnswer(request: Request, topicSlug: string, slug: string, feedback: { thanks: boolean; errors: Record<string, string[]> }): Promise<Rendered> {
  const found = await findFaqAnswer(topicSlug, slug);
  if (!found) return { status: 404 };
  // A renamed question (or a moved answer) keeps its old address as a permanent redirect.
  if (found.kind === "redirect") return { status: 301, location: `/faq/${found.topicSlug}/${found.slug}` };
  const urls = liveFaqUrls(faqOrigin(request));
  const branding = await getBranding();
  return {
    status: 200,
    html: document(
      answerHead(branding, urls, found.answer),
      branding,
      <FaqAnswerPage branding={branding} urls={urls} answer={found.answer} feedback={<FaqFeedback thanks={feedback.thanks} errors={feedback.errors} />} />,
    ),
  };
}

export function faqAnswerResponse(request: Request, topicSlug: string, slug: string): Promise<Response> {
  const thanks = new URL(request.url).searchParams.get("feedback") === "thanks";
  return cached(request, () => renderAnswer(request, topicSlug, slug, { thanks, errors: {} }));
}

/** Search results depend on the query: rendered per request, never cached by us (a CDN may, briefly). */
export async function faqSearchResponse(request: Request): Promise<Response> {
  const urls = liveFaqUrls(faqOrigin(request));
  const query = (new URL(request.url).searchParams.get("q") ?? "").trim().slice(0, 200);
  const [branding, results] = await Promise.all([getBranding(), searchFaq(query)]);
  const html = document(searchHead(branding, urls), branding, <FaqSearchPage branding={branding} urls={urls} query={query} results={results} />);
  return new Response(html, { headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "public, max-age=30" } });
}

/**
 * Is this post from another site? The feedback form is anonymous and its page is shared by
 * everyone (cached), so it carries no per-visitor token: browsers say where a request comes
 * from instead. `Sec-Fetch-Site` (every current browser) must be `same-origin`; without it,
 * an `Origin` header must name this host. A request with neither is not a browser's
 * cross-site form (CSRF needs a victim's browser) and is treated like any anonymous client.
 */
export function isCrossSitePost(request: Request): boolean {
  const site = request.headers.get("Sec-Fetch-Site");
  if (site) return site !== "same-origin" && site !== "none";
  const origin = request.headers.get("Origin");
  if (!origin) return false;
  if (origin === "null") return true;
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    return true;
  }
  const own = [new URL(request.url).host, request.headers.get("Host"), new URL(faqOrigin(request)).host];
  return !own.includes(host);
}

/** "Was this helpful?": no sign-in; cross-site posts refused; one vote per address and answer a day. */
export async function faqFeedbackResponse(request: Request, topicSlug: string, slug: string): Promise<Response> {
  if (isCrossSitePost(request)) {
    return new Response("This form did not come from this site.", { status: 403, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } });
  }
  let form: FormData;
  try {
    form = await readFormData(request);
  } catch (refused) {
    if (refused instanceof Response) return refused;
    throw refused;
  }
  const parsed = parseForm(form, FeedbackSchema);
  let failure: { status: 400 | 429; errors: Record<string, string[]> } | null = null;
  if (!parsed.ok) failure = { status: 400, errors: parsed.errors };
  else {
    const result = await recordFaqFeedback({ topicSlug, slug, helpful: parsed.value.helpful === "yes", comment: parsed.value.comment, ip: clientIp(request) });
    if (!result.ok && result.reason === "not_found") return notFound(request);
    if (!result.ok) failure = { status: 429, errors: { form: ["You already told us about this answer today. Thank you!"] } };
  }
  if (!failure) return new Response(null, { status: 303, headers: { Location: `/faq/${topicSlug}/${slug}?feedback=thanks#feedback`, "Cache-Control": "no-store" } });
  // The page again, with the errors beside the form (not cached: it is this reader's).
  const rendered = await renderAnswer(request, topicSlug, slug, { thanks: false, errors: failure.errors });
  if (rendered.status !== 200) return notFound(request);
  return new Response(rendered.html, { status: failure.status, headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" } });
}
