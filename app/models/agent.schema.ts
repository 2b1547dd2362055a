import { z } from "zod";

/** API token scopes: here, not in agent.server.ts, because the admin page's form lists them in the browser. */
export const TOKEN_SCOPES = ["search:read", "uses:write", "insights:read"] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

export const CHANNEL_OPTIONS = ["phone", "email", "chat", "social"] as const;

/** The search box and its filters, as the GET form and the API send them. */
export const SearchParamsSchema = z.object({
  q: z.string().trim().max(1000, "Keep the search under 1000 characters").default(""),
  topic: z.uuid("Unknown topic").optional().or(z.literal("").transform(() => undefined)),
  tag: z.string().trim().max(40).optional().transform((t) => (t ? t.toLowerCase() : undefined)),
  audience: z.enum(["internal", "public"]).optional().or(z.literal("").transform(() => undefined)),
  limit: z.coerce.number().int().min(1, "limit is at least 1").max(50, "limit is at most 50").default(10),
  page: z.coerce.number().int("page is a whole number").min(1, "page is at least 1").max(100, "page is at most 100").default(1),
  /** The search session (one per search the agent types), made by the server when the page opens. */
  session: z.uuid().optional().catch(undefined),
});

const optionalText = (max: number, what: string) =>
  z.string().trim().max(max, `Keep the ${what} under ${max} characters`).optional().or(z.literal("").transform(() => undefined));

export const UseSchema = z.object({
  answerId: z.uuid("Unknown answer"),
  kind: z.enum(["copy_short", "copy_full", "used"]),
  channel: z.enum(CHANNEL_OPTIONS, { message: "Choose phone, email, chat or social" }).optional(),
  conversation: optionalText(200, "conversation id"),
  searchSession: z.uuid("Unknown search session").optional().or(z.literal("").transform(() => undefined)),
  searchQuery: optionalText(1000, "search"),
});

export const UndoUseSchema = z.object({ useId: z.uuid("Unknown use") });

/** What an agent pastes: one of the four channels' replies, or the short or full answer alone. */
export const REPLY_FORMATS = ["short", "full", ...CHANNEL_OPTIONS] as const;
export type ReplyFormat = (typeof REPLY_FORMATS)[number];

export const RequestSchema = z.object({
  question: z.string({ message: "Write the question you need answered" }).trim().min(3, "Write the question you need answered").max(300, "Keep the question under 300 characters"),
  details: z.string().trim().max(2000, "Keep the details under 2000 characters").default(""),
  topicId: z.uuid("Choose a topic from the list").optional().or(z.literal("").transform(() => undefined)),
  failedSearchId: z.uuid().optional(),
});

/** An origin a help-desk tool serves its sidebar from: scheme, host and optional port, nothing else. */
const PanelOrigin = z.string().refine((value) => {
  try {
    const u = new URL(value);
    return (u.protocol === "https:" || (u.protocol === "http:" && ["localhost", "127.0.0.1"].includes(u.hostname))) && u.origin === value.replace(/\/$/, "");
  } catch {
    return false;
  }
}, "Write an origin such as https://yourcompany.zendesk.com (https, no path; http only for localhost)");

export const DeskSettingsSchema = z.object({
  signOff: z.string().trim().max(300, "Keep the sign-off under 300 characters").default(""),
  panelOrigins: z.array(PanelOrigin.transform((o) => o.replace(/\/$/, ""))).max(20, "At most 20 origins").default([]),
});
export type DeskSettings = z.infer<typeof DeskSettingsSchema>;

/** The admin form: the origins one per line. */
export const DeskSettingsFormSchema = z.object({
  signOff: z.string().default(""),
  panelOrigins: z.string().max(4000, "Too many origins").default(""),
});

/** The panel's `?conversation=` (the help desk's ticket); anything unusable is simply dropped. */
export const ConversationParam = z.string().trim().max(200).optional().catch(undefined);
