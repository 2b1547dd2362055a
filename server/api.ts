import { z } from "zod";
import { authenticateApiToken, logFailedSearch, recordUse, type TokenScope } from "../app/models/agent.server";
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
  body: unknown;
  headers?: Record<string, string>;
}

/** 600 calls a minute per token, in bursts of up to 60. */
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
  const rate = limiter.take(check.token.id);
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
});

/** GET /api/v1/search — certified answers only. */
async function search(request: ApiRequest): Promise<ApiResponse> {
  const token = await requireToken(request, "search:read");
  const parsed = SearchParams.safeParse(Object.fromEntries(request.query));
  if (!parsed.success) return apiError(400, "invalid_request", "Some parameters are not valid.", { fields: fieldErrors(parsed.error) });
  const p = parsed.data;
  const result = await searchAnswers({
    q: p.q,
    limit: p.limit,
    ...(p.topic ? { topicIds: [p.topic] } : {}),
    ...(p.tag ? { tags: [p.tag.toLowerCase()] } : {}),
    ...(p.audience ? { audience: p.audience } : {}),
  });
  if (result.hits.length === 0) await logFailedSearch({ query: p.q, filters: { topic: p.topic, tag: p.tag, audience: p.audience }, results: 0, reason: "no_results", apiTokenId: token.id });
  const base = getConfig().publicUrl ?? request.origin;
  return {
    status: 200,
    headers: { "Cache-Control": "no-store" },
    body: {
      query: p.q,
      total: result.total,
      results: result.hits.map(({ document: d, score, highlights }) => ({
        id: d.id,
        question: d.question,
        shortAnswer: d.shortAnswer,
        answer: d.body,
        url: `${base}/answers/${d.id}`,
        topics: d.topicNames,
        tags: d.tags,
        audience: d.audience,
        certifiedBy: d.certifiedByName,
        certifiedAt: d.certifiedAt,
        reverificationDue: d.state === "reverification_due",
        score,
        highlights,
      })),
    },
  };
}

const UseBody = z.object({
  channel: z.enum(["phone", "email", "chat", "social"], { message: "channel is phone, email, chat or social" }),
  kind: z.enum(["used", "copy_short", "copy_full"]).default("used"),
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
    const { versionId } = await recordUse({ answerId: id.data, kind: parsed.data.kind, channel: parsed.data.channel, apiTokenId: token.id });
    return { status: 201, body: { recorded: true, answerId: id.data, versionId, channel: parsed.data.channel, kind: parsed.data.kind } };
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
    if (uses) return request.method === "POST" ? await recordAnswerUse(request, decodeURIComponent(uses[1]!)) : methodNotAllowed("POST");
    if (request.path === "/openapi.json") return { status: 200, body: openApiDocument, headers: { "Cache-Control": "public, max-age=300" } };
    return apiError(404, "not_found", "There is no such API endpoint: see /api/v1/openapi.json.");
  } catch (error) {
    if (error instanceof ApiFailure) return error.response;
    throw error;
  }
}
