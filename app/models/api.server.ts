import type { z } from "zod";
import { getConfig } from "../../server/config";
import { authenticateApiToken, type TokenScope } from "./agent.server";
import { RateLimiter } from "./rate-limit.server";

/** 600 calls a minute per token, in bursts of up to 60. */
const limiter = new RateLimiter(Number(process.env.API_RATE_BURST ?? 60), Number(process.env.API_RATE_PER_SECOND ?? 10));

export function apiError(status: number, code: string, message: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  return Response.json({ error: { code, message, ...extra } }, { status, headers: { "Cache-Control": "no-store", ...headers } });
}

/** Field errors of a zod failure, for a 400 the caller can act on. */
export function fieldErrors(error: z.ZodError): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of error.issues) (out[issue.path.join(".") || "request"] ??= []).push(issue.message);
  return out;
}

/**
 * Authenticates the bearer token for `scope` and applies the rate limit. Cookies are never
 * accepted here, so the API needs no CSRF protection. Throws the JSON error response.
 */
export async function requireApiToken(request: Request, scope: TokenScope) {
  const check = await authenticateApiToken(request.headers.get("Authorization"), scope);
  if (!check.ok) {
    throw apiError(check.status, check.code, check.message, {}, check.status === 401 ? { "WWW-Authenticate": 'Bearer realm="vetted"' } : {});
  }
  const rate = limiter.take(check.token.id);
  if (!rate.ok) {
    throw apiError(429, "rate_limited", `Too many requests: try again in ${rate.retryAfterSeconds} s.`, {}, { "Retry-After": String(rate.retryAfterSeconds) });
  }
  return check.token;
}

export function publicBaseUrl(request: Request): string {
  return getConfig().publicUrl ?? new URL(request.url).origin;
}
