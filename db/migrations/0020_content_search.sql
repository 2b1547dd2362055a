-- One search box: the wiki, blog and forum searched by PostgreSQL full-text search (app/site-search/content-search.server.ts).
-- GIN expression indexes over the same weighted tsvectors the query computes (title A, body C); the expressions must stay identical.
CREATE INDEX IF NOT EXISTS "wiki_pages_search_idx" ON "wiki_pages" USING gin ((setweight(to_tsvector('english', "title"), 'A') || setweight(to_tsvector('english', "body_text"), 'C')));--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "blog_posts_search_idx" ON "blog_posts" USING gin ((setweight(to_tsvector('english', "title"), 'A') || setweight(to_tsvector('english', "body_text"), 'C')));--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "forum_threads_search_idx" ON "forum_threads" USING gin ((setweight(to_tsvector('english', "title"), 'A') || setweight(to_tsvector('english', "body_text"), 'C')));--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "forum_replies_search_idx" ON "forum_replies" USING gin (to_tsvector('english', "body_text"));
