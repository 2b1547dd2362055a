import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { logFailedSearch } from "../models/agent.server";
import { apiError, fieldErrors, publicBaseUrl, requireApiToken } from "../models/api.server";
import { searchAnswers } from "../models/search.server";

const Params = z.object({
  q: z.string({ message: "q is required" }).trim().min(1, "q is required").max(1000, "q is at most 1000 characters"),
  topic: z.uuid("topic is a topic id").optional(),
  tag: z.string().trim().max(40).optional(),
  audience: z.enum(["internal", "public"], { message: "audience is internal or public" }).optional(),
  limit: z.coerce.number({ message: "limit is a number" }).int("limit is a whole number").min(1, "limit is at least 1").max(50, "limit is at most 50").default(10),
});

/** GET /api/v1/search — certified answers for help-desk tools (see /api/v1/openapi.json). */
export async function loader({ request }: LoaderFunctionArgs) {
  const token = await requireApiToken(request, "search:read");
  const parsed = Params.safeParse(Object.fromEntries(new URL(request.url).searchParams));
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
  const base = publicBaseUrl(request);
  return Response.json(
    {
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
    { headers: { "Cache-Control": "no-store" } },
  );
}
