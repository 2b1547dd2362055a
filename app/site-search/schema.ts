import { z } from "zod";

/**
 * The one search box's inputs beyond the answer search's own (app/models/agent.schema.ts). Plain
 * zod, no server code: the browser's switch and the server read the same names.
 */

/** What the search covers: certified answers alone, or the wiki, blog and forum after them. */
export const SEARCH_SCOPES = ["all", "certified"] as const;
export type SearchScope = (typeof SEARCH_SCOPES)[number];
export const ScopeSchema = z.enum(SEARCH_SCOPES).optional().catch(undefined);

/** GET /search/complete?q=…&limit=… */
export const CompleteParamsSchema = z.object({
  q: z.string({ message: "q is required" }).max(200, "Keep q under 200 characters"),
  limit: z.coerce.number().int("limit is a whole number").min(1, "limit is at least 1").max(10, "limit is at most 10").default(6),
});
