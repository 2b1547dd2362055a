import { randomUUID } from "node:crypto";
import type { z } from "zod";
import type { SessionUser } from "../auth/session.server";
import { can } from "../auth/policy";
import { SearchParamsSchema } from "./agent.schema";
import { logSearch } from "../insights/search-log.server";
import { clearFailedSearchSession, logFailedSearch } from "./agent.server";
import { browseCertified, searchAnswers } from "./search.server";
import { listTopics } from "./topic.server";
import { mayReadContent, searchContent } from "../site-search/content-search.server";
import { ScopeSchema, type SearchScope } from "../site-search/schema";
import { suggestCorrection } from "../site-search/suggestions.server";

type Params = z.output<typeof SearchParamsSchema>;

/** Fewer results than this (answers and content together) and the page offers "did you mean". */
const FOUND_LITTLE = 3;

/**
 * Whether this search may cover the wiki, blog and forum, and whether it does: employees get all
 * of it by default; agents get certified answers alone unless they switch (`scope=all` in the URL).
 */
function scopeFor(url: URL, user: SessionUser, allowContent: boolean): { available: boolean; value: SearchScope } {
  if (!allowContent || !mayReadContent(user)) return { available: false, value: "certified" };
  const asked = ScopeSchema.parse(url.searchParams.get("scope") ?? undefined);
  return { available: true, value: asked ?? (user.roles.includes("agent") ? "certified" : "all") };
}

/**
 * What the agent's search (the /search page and the help-desk panel) shows for one request:
 * words → ranked certified answers; a topic or tag alone → that topic's certified answers, most
 * used first; both paged, with a count that paging can reach.
 *
 * Failed searches are logged per search session (one id per search the agent types, made here
 * when the page opens): every as-you-type request updates the session's one row to the latest
 * query, so the row holds the final words after the agent paused or left; a later query of the
 * same session that finds answers removes the row.
 */
export async function agentSearch(url: URL, user: SessionUser, opts: { allowContent?: boolean } = {}) {
  const parsed = SearchParamsSchema.safeParse(Object.fromEntries(url.searchParams));
  const params: Params = parsed.success ? parsed.data : { q: "", limit: 10, page: 1, tag: undefined, session: undefined };
  const session = params.session ?? randomUUID();
  const scope = scopeFor(url, user, opts.allowContent ?? false);
  const topics = (await listTopics()).map((t) => ({ id: t.id, name: t.name }));
  const base = { params: { ...params, session }, topics, canUse: can(user.roles, "answer.use"), canFeedback: can(user.roles, "answer.feedback"), failedSearchId: null as string | null, scope, content: null as Awaited<ReturnType<typeof searchContent>> | null, didYouMean: null as string | null, error: parsed.success ? null : (parsed.error.issues[0]?.message ?? null) };
  const offset = (params.page - 1) * params.limit;
  const started = performance.now();
  if (!params.q) {
    if (!params.topic && !params.tag) return { ...base, result: null };
    const result = await browseCertified({ topicId: params.topic, tag: params.tag, audience: params.audience }, { limit: params.limit, offset });
    return { ...base, result: { ...result, tookMs: Math.round(performance.now() - started), mode: "browse" as const, offset } };
  }
  // As-you-type requests (live=1) widen the last word being typed; a submitted query is taken as written ("up" stays "up").
  const committed = url.searchParams.get("live") !== "1";
  const result = await searchAnswers({
    q: params.q,
    submitted: committed,
    limit: params.limit,
    offset,
    ...(params.topic ? { topicIds: [params.topic] } : {}),
    ...(params.tag ? { tags: [params.tag] } : {}),
    ...(params.audience ? { audience: params.audience } : {}),
  });
  // Wiki, blog and forum: on the first page only, after the answers (they are not certified).
  const content = scope.value === "all" && offset === 0 ? await searchContent(user, params.q) : null;
  const found = result.total + (content?.total ?? 0);
  const didYouMean = offset === 0 && found < FOUND_LITTLE ? await suggestCorrection(params.q, { content: scope.value === "all" }) : null;
  const tookMs = Math.round(performance.now() - started);
  // Without a session (a form posted by an old page, no JavaScript), only a submitted search is a gap.
  let failedSearchId: string | null = null;
  if (offset === 0 && (params.session || committed)) {
    // Findability's denominator: attributed to the topic searched in, else to the top hit's topics.
    const topicIds = params.topic ? [params.topic] : (result.hits[0]?.document.topicIds ?? []);
    await logSearch({ sessionId: session, userId: user.id, query: params.q, results: result.total, topicIds });
  }
  if (result.hits.length === 0 && offset === 0 && (params.session || committed)) {
    failedSearchId = await logFailedSearch({
      query: params.q,
      filters: { topic: params.topic, tag: params.tag, audience: params.audience },
      results: 0,
      reason: "no_results",
      userId: user.id,
      sessionId: params.session ?? null,
    });
  } else if (result.hits.length > 0 && params.session) {
    await clearFailedSearchSession(params.session, user.id);
  }
  return { ...base, failedSearchId, content, didYouMean, result: { ...result, tookMs, mode: "search" as const, offset } };
}

export type AgentSearchData = Awaited<ReturnType<typeof agentSearch>>;
