DROP INDEX "failed_searches_at_idx";--> statement-breakpoint
DROP INDEX "insights_stays_left_idx";--> statement-breakpoint
ALTER TABLE "failed_searches" ADD COLUMN "query_key" text GENERATED ALWAYS AS (lower(btrim(query))) STORED NOT NULL;--> statement-breakpoint
ALTER TABLE "insights_stays" ADD COLUMN "seconds" integer GENERATED ALWAYS AS (extract(epoch from (left_at - entered_at))::integer) STORED NOT NULL;--> statement-breakpoint
-- Covering indexes (not declarable in drizzle: INCLUDE). The dashboard's stay percentiles, top
-- failed queries and hourly counts read only these columns of a period: index-only scans.
CREATE INDEX "insights_stays_left_cover_idx" ON "insights_stays" USING btree ("left_at") INCLUDE ("state", "seconds", "topic_ids");--> statement-breakpoint
CREATE INDEX "failed_searches_at_cover_idx" ON "failed_searches" USING btree ("at") INCLUDE ("query_key");--> statement-breakpoint
-- The hourly counts of a period: a range of one of these instead of a scan of the whole table; the
-- narrow one over every topic, the one with topic_ids for an expert's or a topic filter's scope
-- (a topic's rows are spread over the whole table, so an index on topic_ids alone reads it all).
CREATE INDEX "insights_hourly_hour_cover_idx" ON "insights_hourly" USING btree ("hour") INCLUDE ("searches", "no_result", "linked", "uses", "submitted", "certified", "became_due", "reverified", "new_certified");--> statement-breakpoint
CREATE INDEX "insights_hourly_hour_topics_cover_idx" ON "insights_hourly" USING btree ("hour") INCLUDE ("topic_ids", "searches", "no_result", "linked", "uses", "submitted", "certified", "became_due", "reverified", "new_certified");
