CREATE TABLE "search_log" (
	"session_id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid,
	"query" text NOT NULL,
	"results" integer NOT NULL,
	"topic_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "search_log_query_len" CHECK (char_length("search_log"."query") <= 500)
);
--> statement-breakpoint
ALTER TABLE "search_log" ADD CONSTRAINT "search_log_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "search_log_at_idx" ON "search_log" USING btree ("at");--> statement-breakpoint
CREATE TABLE "review_escalations" (
	"version_id" uuid NOT NULL,
	"state" text NOT NULL,
	"escalated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "review_escalations_version_id_state_pk" PRIMARY KEY("version_id","state")
);
--> statement-breakpoint
ALTER TABLE "review_escalations" ADD CONSTRAINT "review_escalations_version_id_answer_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."answer_versions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "topics" ADD COLUMN "review_target_days" integer DEFAULT 2 NOT NULL;--> statement-breakpoint
ALTER TABLE "topics" ADD CONSTRAINT "topics_review_target_days_range" CHECK ("topics"."review_target_days" between 1 and 60);--> statement-breakpoint
CREATE INDEX "answer_uses_at_idx" ON "answer_uses" USING btree ("at");--> statement-breakpoint
CREATE INDEX "answer_uses_search_session_idx" ON "answer_uses" USING btree ("search_session") WHERE "answer_uses"."search_session" is not null;--> statement-breakpoint
CREATE INDEX "answer_events_at_idx" ON "answer_events" USING btree ("at");--> statement-breakpoint
CREATE INDEX "answer_flags_created_idx" ON "answer_flags" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "answer_ratings_created_idx" ON "answer_ratings" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "answer_versions_certified_at_idx" ON "answer_versions" USING btree ("certified_at") WHERE "answer_versions"."certified_at" is not null;
