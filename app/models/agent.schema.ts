import { z } from "zod";

/** API token scopes: here, not in agent.server.ts, because the admin page's form lists them in the browser. */
export const TOKEN_SCOPES = ["search:read", "uses:write"] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

export const CHANNEL_OPTIONS = ["phone", "email", "chat", "social"] as const;

/** The search box and its filters, as the GET form and the API send them. */
export const SearchParamsSchema = z.object({
  q: z.string().trim().max(1000, "Keep the search under 1000 characters").default(""),
  topic: z.uuid("Unknown topic").optional().or(z.literal("").transform(() => undefined)),
  tag: z.string().trim().max(40).optional().transform((t) => (t ? t.toLowerCase() : undefined)),
  audience: z.enum(["internal", "public"]).optional().or(z.literal("").transform(() => undefined)),
  limit: z.coerce.number().int().min(1, "limit is at least 1").max(50, "limit is at most 50").default(10),
});

export const UseSchema = z.object({
  answerId: z.uuid("Unknown answer"),
  kind: z.enum(["copy_short", "copy_full", "used"]),
  channel: z.enum(CHANNEL_OPTIONS, { message: "Choose phone, email, chat or social" }).optional(),
});

export const RequestSchema = z.object({
  question: z.string({ message: "Write the question you need answered" }).trim().min(3, "Write the question you need answered").max(300, "Keep the question under 300 characters"),
  details: z.string().trim().max(2000, "Keep the details under 2000 characters").default(""),
  topicId: z.uuid("Choose a topic from the list").optional().or(z.literal("").transform(() => undefined)),
  failedSearchId: z.uuid().optional(),
});
