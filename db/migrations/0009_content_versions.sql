ALTER TABLE "blog_posts" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "forum_threads" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;