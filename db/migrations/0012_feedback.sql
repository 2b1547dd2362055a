CREATE TABLE "answer_flags" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"answer_id" uuid NOT NULL,
	"version_id" uuid NOT NULL,
	"topic_id" uuid,
	"reason" text NOT NULL,
	"comment" text DEFAULT '' NOT NULL,
	"duplicate_of_answer_id" uuid,
	"flagged_by" uuid,
	"faq_feedback_id" uuid,
	"source" text NOT NULL,
	"assignee_id" uuid,
	"status" text DEFAULT 'open' NOT NULL,
	"revision_version_id" uuid,
	"closed_by" uuid,
	"close_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"acted_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	CONSTRAINT "answer_flags_comment_len" CHECK (char_length("answer_flags"."comment") <= 2000),
	CONSTRAINT "answer_flags_close_reason_len" CHECK (char_length("answer_flags"."close_reason") <= 1000)
);
--> statement-breakpoint
CREATE TABLE "answer_ratings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"answer_id" uuid NOT NULL,
	"version_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"helpful" boolean NOT NULL,
	"source" text DEFAULT 'answer' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "topics" ADD COLUMN "flag_response_days" integer DEFAULT 2 NOT NULL;--> statement-breakpoint
ALTER TABLE "topics" ADD COLUMN "flag_threshold" integer DEFAULT 3 NOT NULL;--> statement-breakpoint
ALTER TABLE "answer_flags" ADD CONSTRAINT "answer_flags_answer_id_answers_id_fk" FOREIGN KEY ("answer_id") REFERENCES "public"."answers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "answer_flags" ADD CONSTRAINT "answer_flags_version_id_answer_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."answer_versions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "answer_flags" ADD CONSTRAINT "answer_flags_topic_id_topics_id_fk" FOREIGN KEY ("topic_id") REFERENCES "public"."topics"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "answer_flags" ADD CONSTRAINT "answer_flags_duplicate_of_answer_id_answers_id_fk" FOREIGN KEY ("duplicate_of_answer_id") REFERENCES "public"."answers"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "answer_flags" ADD CONSTRAINT "answer_flags_flagged_by_users_id_fk" FOREIGN KEY ("flagged_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "answer_flags" ADD CONSTRAINT "answer_flags_faq_feedback_id_faq_feedback_id_fk" FOREIGN KEY ("faq_feedback_id") REFERENCES "public"."faq_feedback"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "answer_flags" ADD CONSTRAINT "answer_flags_assignee_id_users_id_fk" FOREIGN KEY ("assignee_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "answer_flags" ADD CONSTRAINT "answer_flags_revision_version_id_answer_versions_id_fk" FOREIGN KEY ("revision_version_id") REFERENCES "public"."answer_versions"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "answer_flags" ADD CONSTRAINT "answer_flags_closed_by_users_id_fk" FOREIGN KEY ("closed_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "answer_ratings" ADD CONSTRAINT "answer_ratings_answer_id_answers_id_fk" FOREIGN KEY ("answer_id") REFERENCES "public"."answers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "answer_ratings" ADD CONSTRAINT "answer_ratings_version_id_answer_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."answer_versions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "answer_ratings" ADD CONSTRAINT "answer_ratings_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "answer_flags_answer_idx" ON "answer_flags" USING btree ("answer_id","status");--> statement-breakpoint
CREATE INDEX "answer_flags_topic_idx" ON "answer_flags" USING btree ("topic_id","status","created_at");--> statement-breakpoint
CREATE INDEX "answer_flags_assignee_idx" ON "answer_flags" USING btree ("assignee_id","status");--> statement-breakpoint
CREATE INDEX "answer_flags_flagger_idx" ON "answer_flags" USING btree ("flagged_by","created_at");--> statement-breakpoint
CREATE INDEX "answer_flags_revision_idx" ON "answer_flags" USING btree ("revision_version_id") WHERE "answer_flags"."revision_version_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "answer_ratings_version_user_idx" ON "answer_ratings" USING btree ("version_id","user_id");--> statement-breakpoint
CREATE INDEX "answer_ratings_answer_idx" ON "answer_ratings" USING btree ("answer_id","created_at");--> statement-breakpoint
CREATE INDEX "answer_ratings_user_idx" ON "answer_ratings" USING btree ("user_id","created_at");--> statement-breakpoint
ALTER TABLE "topics" ADD CONSTRAINT "topics_flag_response_days_range" CHECK ("topics"."flag_response_days" between 1 and 60);--> statement-breakpoint
ALTER TABLE "topics" ADD CONSTRAINT "topics_flag_threshold_range" CHECK ("topics"."flag_threshold" between 1 and 100);