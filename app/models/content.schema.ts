import { z } from "zod";
import { DraftSchema, richTextJson, versionNumber } from "./answer.schema";

/** What forms of the wiki, blog and forum post; one schema per input, shared by parse and errors. */

const title = (what: string) =>
  z
    .string({ message: `Give the ${what} a title` })
    .trim()
    .min(3, `Give the ${what} a title (at least 3 characters)`)
    .max(200, "Keep the title under 200 characters")
    // Titles are the targets of [[links]]: brackets and line breaks would make them unlinkable.
    .refine((s) => !/[[\]\n\r|]/.test(s), "A title may not contain [ ] | or line breaks");

const plainText = (what: string, max: number) =>
  z
    .string({ message: `Write the ${what}` })
    .trim()
    .min(1, `Write the ${what}`)
    .max(max, `Keep the ${what} under ${max} characters`);

const optionalUuid = (message: string) =>
  z.preprocess((v) => (v === "" || v === null ? undefined : v), z.uuid(message).optional());

export const WikiPageSchema = z.object({
  title: title("page"),
  body: richTextJson("The page"),
  parentId: optionalUuid("Choose the parent page from the list"),
  topicIds: DraftSchema.shape.topicIds,
  tags: DraftSchema.shape.tags,
  summary: z.string().trim().max(300, "Keep the summary under 300 characters").default(""),
});
export type WikiPageInput = z.output<typeof WikiPageSchema>;

export const WikiSaveSchema = WikiPageSchema.extend({
  /** The revision the editor started from: saving over a newer one is a conflict, never an overwrite. */
  baseRevision: versionNumber("Reload the page and edit again"),
});

export const BlogPostSchema = z.object({
  title: title("post"),
  body: richTextJson("The post"),
  topicIds: DraftSchema.shape.topicIds,
  tags: DraftSchema.shape.tags,
  status: z.enum(["draft", "published"], { message: "Choose draft or published" }).default("draft"),
});
export type BlogPostInput = z.output<typeof BlogPostSchema>;

/** The version the editor started from: saving over a newer one is a conflict, never an overwrite. */
const baseVersion = versionNumber("Reload the page and edit again");

export const BlogSaveSchema = BlogPostSchema.extend({ baseVersion });

export const ThreadSchema = z.object({
  categoryId: z.uuid("Choose a category"),
  title: title("question"),
  body: richTextJson("The question"),
});
export type ThreadInput = z.output<typeof ThreadSchema>;

export const ThreadSaveSchema = ThreadSchema.omit({ categoryId: true }).extend({ baseVersion });

/** Replies and comments are plain text (they work without JavaScript); @name mentions a colleague. */
export const ReplySchema = z.object({ text: plainText("reply", 20_000) });
export const CommentSchema = z.object({ comment: plainText("comment", 5000) });
export const CommentEditSchema = z.object({ commentId: z.uuid("Unknown comment"), comment: plainText("comment", 5000) });
export const CommentDeleteSchema = z.object({ commentId: z.uuid("Unknown comment") });

export const HideSchema = z.object({
  kind: z.enum(["wiki", "blog", "thread", "reply", "comment"]),
  id: z.uuid(),
  hidden: z.preprocess((v) => v === "true" || v === true, z.boolean()),
  reason: z.string().trim().max(1000, "Keep the reason under 1000 characters").default(""),
});
export type HideInput = z.output<typeof HideSchema>;

/** `from` on /answers/new: where a promoted draft comes from. */
export const PromoteFromSchema = z
  .string()
  .regex(/^(wiki|blog|forum):[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i)
  .transform((s) => {
    const [type, id] = s.split(":") as ["wiki" | "blog" | "forum", string];
    return { type, id: id.toLowerCase() };
  });
