import { z } from "zod";
import { authenticateApiToken, logFailedSearch, recordUse, type TokenScope } from "../app/models/agent.server";
import { answerFormats, formatsForHits, getDeskSettings, replyFromFormats, type AnswerFormats } from "../app/models/agent-desk.server";
import type { DeskSettings } from "../app/models/agent.schema";
import { actingFigures } from "../app/models/feedback-actions.server";
import { openApiDocument } from "../app/models/openapi";
import { RateLimiter } from "../app/models/rate-limit.server";
import { searchAnswers } from "../app/models/search.server";
import { DomainError } from "../app/utils/errors";
import { getConfig } from "./config";

/**
 * The JSON API for help-desk tools (/api/v1, described by /api/v1/openapi.json). It is served by
 * Express directly, not by Remix resource routes: Remix's request and response conversion costs
 * about 0.6 ms a call, which under 20 concurrent clients on two cores is the difference between
 * the 30 ms p95 target and twice that (docs/decisions/008-resident-search-index.md). Handlers
 * stay thin, as route modules do: parse with zod, authorize, call the domain, answer.
 */

export interface ApiRequest {
  method: string;
  /** The path below /api/v1, e.g. "/search". */
  path: string;
  query: URLSearchParams;
  authorization: string | null;
  /** The raw body, for POSTs. */
  body: string;
  /** Scheme and host the client used, for absolute links when PUBLIC_URL is not set. */
  origin: string;
}

export interface ApiResponse {
  status: number;
  body?: unknown;
  /** The body already serialized, when parts of it were serialized once and kept (search hits). */
  json?: string;
  headers?: Record<string, string>;
}

/** The response body as sent. */
export function apiBodyText(r: ApiResponse): string {
  return r.json ?? JSON.stringify(r.body);
}

/** 600 calls a minute per token, in bursts of up to 60, across every instance (ADR 014). */
const limiter = new RateLimiter(Number(process.env.API_RATE_BURST ?? 60), Number(process.env.API_RATE_PER_SECOND ?? 10));

class ApiFailure extends Error {
  constructor(readonly response: ApiResponse) {
    super(String((response.body as { error?: { code?: string } }).error?.code));
  }
}

export function apiError(status: number, code: string, message: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}): ApiResponse {
  return { status, body: { error: { code, message, ...extra } }, headers: { "Cache-Control": "no-store", ...headers } };
}

/** Field errors of a zod failure, for a 400 the caller can act on. */
function fieldErrors(error: z.ZodError): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of error.issues) (out[issue.path.join(".") || "request"] ??= []).push(issue.message);
  return out;
}

/** The bearer token for `scope`, within its rate limit. Cookies are never accepted, so no CSRF. */
async function requireToken(request: ApiRequest, scope: TokenScope) {
  const check = await authenticateApiToken(request.authorization, scope);
  if (!check.ok) {
    throw new ApiFailure(apiError(check.status, check.code, check.message, {}, check.status === 401 ? { "WWW-Authenticate": 'Bearer realm="vetted"' } : {}));
  }
  const rate = await limiter.take(`api:${check.token.id}`);
  if (!rate.ok) {
    throw new ApiFailure(apiError(429, "rate_limited", `Too many requests: try again in ${rate.retryAfterSeconds} s.`, {}, { "Retry-After": String(rate.retryAfterSeconds) }));
  }
  return check.token;
}

const SearchParams = z.object({
  q: z.string({ message: "q is required" }).trim().min(1, "q is required").max(1000, "q is at most 1000 characters"),
  topic: z.uuid("topic is a topic id").optional(),
  tag: z.string().trim().max(40).optional(),
  audience: z.enum(["internal", "public"], { message: "audience is internal or public" }).optional(),
  limit: z.coerce.number({ message: "limit is a number" }).int("limit is a whole number").min(1, "limit is at least 1").max(50, "limit is at most 50").default(10),
  format: z.enum(["text", "markdown", "html"], { message: "format is text, markdown or html" }).optional(),
  channel: z.enum(["chat", "email", "social", "phone"], { message: "channel is chat, email, social or phone" }).optional(),
});

type Format = "text" | "markdown" | "html";

/** The part of an answer that only its certified version decides: the question and the formats. */
function answerHead(f: AnswerFormats, format: Format = "text") {
  const formats = { text: f.answerText, markdown: f.answerMarkdown, html: f.answerHtml };
  return {
    id: f.answerId,
    question: f.question,
    shortAnswer: f.shortAnswer,
    // `answer` keeps its old meaning (the full answer as text) unless format= asks for another.
    answer: formats[format],
    answer_text: f.answerText,
    answer_markdown: f.answerMarkdown,
    answer_html: f.answerHtml,
  };
}

function answerTail(f: AnswerFormats, base: string, certificate: AnswerFormats["certificate"] = f.certificate) {
  return {
    url: `${base}/answers/${f.answerId}`,
    faqUrl: f.faqUrl,
    audience: f.audience,
    certificate: {
      version: certificate.version,
      versionId: f.versionId,
      certifiedBy: certificate.certifiedBy,
      certifiedAt: certificate.certifiedAt?.toISOString() ?? null,
      reverifyAt: certificate.reverifyAt?.toISOString() ?? null,
      reverificationDue: certificate.reverificationDue,
    },
  };
}

/** One certified answer in every format, with its certificate: what a help-desk macro cites. */
function answerBody(f: AnswerFormats, base: string, extra: { reply?: { channel: string; text: string; html: string }; format?: Format } = {}) {
  return { ...answerHead(f, extra.format), ...(extra.reply ? { reply: extra.reply } : {}), ...answerTail(f, base) };
}

// A search hit carries its answer three times over (text, Markdown, HTML): ~5 KB of JSON that is
// the same for every search that finds that version. It is serialized once per cached formats
// object (app/models/agent-desk.server.ts keeps those per version) instead of on every call,
// which under 20 concurrent clients was a tenth of the server's CPU (docs/benchmarks.md).
const serializedHeads = new WeakMap<AnswerFormats, Map<Format, string>>();

/** `{"id":…,"answer_html":"…"` — the hit's head as JSON, without its closing brace. */
function serializedHead(f: AnswerFormats, format: Format): string {
  let byFormat = serializedHeads.get(f);
  if (!byFormat) serializedHeads.set(f, (byFormat = new Map()));
  let head = byFormat.get(format);
  if (head === undefined) byFormat.set(format, (head = JSON.stringify(answerHead(f, format)).slice(0, -1)));
  return head;
}

// A channel's reply (its text and its HTML, often larger than the answer) is the same for every
// search that finds that version with the same sign-off: serialized once as well. With
// channel=email it was half the handler's CPU.
const serializedReplies = new WeakMap<AnswerFormats, Map<string, string>>();

/** `"reply":{"channel":…,"text":…,"html":…}` — the hit's reply as a JSON member. */
function serializedReply(channel: "chat" | "email" | "social" | "phone", f: AnswerFormats, settings: DeskSettings, base: string): string {
  let byKey = serializedReplies.get(f);
  if (!byKey) serializedReplies.set(f, (byKey = new Map()));
  const key = JSON.stringify([channel, settings.signOff, base]);
  let member = byKey.get(key);
  if (member === undefined) byKey.set(key, (member = `"reply":${JSON.stringify({ channel, ...replyFromFormats(channel, f, settings, base) })}`));
  return member;
}

/** GET /api/v1/answers/{id} — one certified answer, all formats, with its certificate. */
async function getAnswer(request: ApiRequest, answerId: string): Promise<ApiResponse> {
  await requireToken(request, "search:read");
  const id = z.uuid().safeParse(answerId);
  if (!id.success) return apiError(404, "not_found", "No certified answer has this id.");
  const base = getConfig().publicUrl ?? request.origin;
  const f = (await answerFormats([id.data], base)).get(id.data);
  if (!f) return apiError(404, "not_found", "No certified answer has this id.");
  const settings = await getDeskSettings();
  const replies = Object.fromEntries((["chat", "email", "social", "phone"] as const).map((c) => [c, replyFromFormats(c, f, settings, base)]));
  return { status: 200, headers: { "Cache-Control": "no-store" }, body: { ...answerBody(f, base), replies } };
}

const StatsParams = z.object({
  topic: z.uuid("topic is a topic id").optional(),
  days: z.coerce.number({ message: "days is a number" }).int("days is a whole number").min(1, "days is at least 1").max(3650, "days is at most 3650").default(90),
});

/** GET /api/v1/feedback/stats — how often flags are acted on, overall, per topic and per owner. */
async function feedbackStats(request: ApiRequest): Promise<ApiResponse> {
  await requireToken(request, "insights:read");
  const parsed = StatsParams.safeParse(Object.fromEntries(request.query));
  if (!parsed.success) return apiError(400, "invalid_request", "Some parameters are not valid.", { fields: fieldErrors(parsed.error) });
  const since = new Date(Date.now() - parsed.data.days * 86_400_000);
  const f = await actingFigures({ since, topicId: parsed.data.topic });
  return { status: 200, headers: { "Cache-Control": "no-store" }, body: { ...f, since: f.since.toISOString() } };
}

/** GET /api/v1/search — certified answers only. */
async function search(request: ApiRequest): Promise<ApiResponse> {
  const token = await requireToken(request, "search:read");
  const parsed = SearchParams.safeParse(Object.fromEntries(request.query));
  if (!parsed.success) return apiError(400, "invalid_request", "Some parameters are not valid.", { fields: fieldErrors(parsed.error) });
  const p = parsed.data;
  const result = await searchAnswers({
    q: p.q,
    // A help-desk tool sends whole questions or tickets: the last word is a word, not a prefix.
    submitted: true,
    limit: p.limit,
    ...(p.topic ? { topicIds: [p.topic] } : {}),
    ...(p.tag ? { tags: [p.tag.toLowerCase()] } : {}),
    ...(p.audience ? { audience: p.audience } : {}),
  });
  if (result.hits.length === 0) await logFailedSearch({ query: p.q, filters: { topic: p.topic, tag: p.tag, audience: p.audience }, results: 0, reason: "no_results", apiTokenId: token.id });
  const base = getConfig().publicUrl ?? request.origin;
  const [formats, settings] = await Promise.all([formatsForHits(result.hits.map((h) => h.document), base), p.channel ? getDeskSettings() : null]);
  const hits = result.hits.flatMap(({ document: d, score, highlights }) => {
    const cachedFormats = formats.get(d.id);
    if (!cachedFormats) return []; // archived between the search and this read
    // The index knows the version's current state (re-verification due, its date).
    const certificate = { ...cachedFormats.certificate, reverificationDue: d.state === "reverification_due", reverifyAt: d.reverifyAt ? new Date(d.reverifyAt) : null };
    // The reply does not cite the certificate: the cached formats object is its cache key.
    const reply = p.channel && settings ? `${serializedReply(p.channel, cachedFormats, settings, base)},` : "";
    const rest = {
      ...answerTail(cachedFormats, base, certificate),
      topics: d.topicNames,
      tags: d.tags,
      // Kept from v1's first shape, beside the certificate.
      certifiedBy: d.certifiedByName,
      certifiedAt: d.certifiedAt,
      reverificationDue: d.state === "reverification_due",
      score,
      highlights,
    };
    return [`${serializedHead(cachedFormats, p.format ?? "text")},${reply}${JSON.stringify(rest).slice(1)}`];
  });
  return {
    status: 200,
    headers: { "Cache-Control": "no-store" },
    json: `{"query":${JSON.stringify(p.q)},"total":${JSON.stringify(result.total)},"results":[${hits.join(",")}]}`,
  };
}

const UseBody = z.object({
  channel: z.enum(["phone", "email", "chat", "social"], { message: "channel is phone, email, chat or social" }),
  kind: z.enum(["used", "copy_short", "copy_full"]).default("used"),
  /** The ticket the reply went to: a use counts once per token, answer and conversation. */
  conversation: z.string().trim().min(1).max(200, "conversation is at most 200 characters").optional(),
  query: z.string().trim().max(1000, "query is at most 1000 characters").optional(),
});

/** POST /api/v1/answers/{id}/uses — a help-desk tool says an answer was used in a reply. */
async function recordAnswerUse(request: ApiRequest, answerId: string): Promise<ApiResponse> {
  const token = await requireToken(request, "uses:write");
  let body: unknown;
  try {
    body = JSON.parse(request.body);
  } catch {
    return apiError(400, "invalid_json", 'Send a JSON body such as {"channel": "email"}.');
  }
  const parsed = UseBody.safeParse(body);
  if (!parsed.success) return apiError(400, "invalid_request", "Some fields are not valid.", { fields: fieldErrors(parsed.error) });
  const id = z.uuid().safeParse(answerId);
  if (!id.success) return apiError(404, "not_found", "No certified answer has this id.");
  try {
    const { versionId, useId, repeated } = await recordUse({
      answerId: id.data,
      kind: parsed.data.kind,
      channel: parsed.data.channel,
      apiTokenId: token.id,
      conversation: parsed.data.conversation ?? null,
      searchQuery: parsed.data.query ?? null,
    });
    return {
      status: repeated ? 200 : 201,
      body: { recorded: !repeated, repeated, useId, answerId: id.data, versionId, channel: parsed.data.channel, kind: parsed.data.kind },
    };
  } catch (error) {
    if (error instanceof DomainError) return apiError(error.status, error.code, error.message);
    throw error;
  }
}

const methodNotAllowed = (allow: string) => apiError(405, "method_not_allowed", `Use ${allow}.`, {}, { Allow: allow });

/** Routes one API call; every failure is a JSON error with a code and a message. */
export async function handleApi(request: ApiRequest): Promise<ApiResponse> {
  try {
    if (request.path === "/search") return request.method === "GET" ? await search(request) : methodNotAllowed("GET");
    const uses = /^\/answers\/([^/]+)\/uses$/.exec(request.path);
    const one = /^\/answers\/([^/]+)$/.exec(request.path);
    if (one) return request.method === "GET" ? await getAnswer(request, decodeURIComponent(one[1]!)) : methodNotAllowed("GET");
    if (uses) return request.method === "POST" ? await recordAnswerUse(request, decodeURIComponent(uses[1]!)) : methodNotAllowed("POST");
    if (request.path === "/feedback/stats") return request.method === "GET" ? await feedbackStats(request) : methodNotAllowed("GET");
    if (request.path === "/openapi.json") return { status: 200, body: openApiDocument, headers: { "Cache-Control": "public, max-age=300" } };
    return apiError(404, "not_found", "There is no such API endpoint: see /api/v1/openapi.json.");
  } catch (error) {
    if (error instanceof ApiFailure) return error.response;
    throw error;
  }
}
