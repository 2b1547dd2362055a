DROP INDEX "failed_searches_at_idx";--> statement-breakpoint
DROP INDEX "insights_stays_left_idx";--> statement-breakpoint
ALTER TABLE "failed_searches" ADD COLUMN "query_key" text GENERATED ALWAYS AS (lower(btrim(query))) STORED NOT NULL;--> statement-breakpoint
ALTER TABLE "insights_stays" ADD COLUMN "seconds" integer GENERATED ALWAYS AS (extract(epoch from (left_at - entered_at))::integer) STORED NOT NULL;--> statement-breakpoint
-- Covering indexes (not declarable in drizzle: INCLUDE). The dashboard's stay percentiles, top
-- failed queries and hourly counts read only these columns of a period: index-only scans.
CREATE INDEX "insights_stays_left_cover_idx" ON "insights_stays" USING btree ("left_at") INCLUDE ("state", "seconds");--> statement-breakpoint
CREATE INDEX "failed_searches_at_cover_idx" ON "failed_searches" USING btree ("at") INCLUDE ("query_key");--> statement-breakpoint
-- The hourly counts of a period over every topic: a range of this narrow index instead of a scan
-- of the whole table (a topic-scoped read needs topic_ids and takes the primary key).
CREATE INDEX "insights_hourly_hour_cover_idx" ON "insights_hourly" USING btree ("hour") INCLUDE ("searches", "no_result", "linked", "uses", "submitted", "certified", "became_due", "reverified", "new_certified");
